import Foundation
import Postgres

/// The "queue a backtest" form: one form per engine of bi.strategy_engines, with an input per
/// parameter and option of bi.strategy_parameters (nothing listed in Swift), and the payload it
/// sends to queue.enqueue('backtest', ...). Values go in as typed; the backtest validator
/// (backtest.validate_backtest) is the only judge and its message names the field it refuses.
enum BacktestForm {
    /// Text fields of the payload, and number fields (left out when empty: their defaults apply).
    static let textFields = ["inst_id", "bar", "from", "to", "engine"]
    static let numberFields = ["fee_rate", "slippage_bps", "capital"]
    static let paramPrefix = "params."

    /// The payload's JSON text. A value that reads as a JSON number (or true/false in params) is
    /// sent as one; anything else as a string, which the validator then refuses by name.
    static func payload(_ form: Form) throws(Refusal) -> String {
        var fields: [String] = [], params: [String] = []
        for name in form.names where name != CSRF.fieldName {
            let value = form.values[name]!.trimmingCharacters(in: .whitespaces)
            if textFields.contains(name) {
                if !value.isEmpty { fields.append("\(JSON.string(name)): \(JSON.string(value))") }
            } else if numberFields.contains(name) {
                if !value.isEmpty { fields.append("\(JSON.string(name)): \(jsonValue(value, booleans: false))") }
            } else if name.hasPrefix(paramPrefix),
                      name.dropFirst(paramPrefix.count).range(of: #"^[a-z][a-z0-9_]{0,62}$"#, options: .regularExpression) != nil {
                if !value.isEmpty { params.append("\(JSON.string(String(name.dropFirst(paramPrefix.count)))): \(jsonValue(value, booleans: true))") }
            } else {
                throw .bad("unknown form field \"\(QueryParameters.clip(name))\"; a backtest takes \((textFields + numberFields).joined(separator: ", ")) and params.NAME")
            }
        }
        fields.append("\"params\": {\(params.joined(separator: ", "))}")
        return "{\(fields.joined(separator: ", "))}"
    }

    static func jsonValue(_ text: String, booleans: Bool) -> String {
        if text.range(of: #"^-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,30})?([eE][+-]?[0-9]{1,3})?$"#, options: .regularExpression) != nil { return text }
        if booleans && (text == "true" || text == "false") { return text }
        return JSON.string(text)
    }

    /// The forms, from the engines and their parameters as the database lists them.
    static func html(engines: QueryResult, parameters: QueryResult, token: String) throws -> String {
        var h = "<h2>Queue a backtest</h2>\n<div id=\"queue-backtest\">\n"
        for e in engines.rows() {
            let engine = try e.string("engine") ?? ""
            h += "<details class=\"action\"><summary>\(HTML.escape(engine)): \(HTML.escape(try e.string("description") ?? ""))</summary>\n"
            h += "<form method=\"post\" action=\"/backtests\" class=\"action\" id=\"queue-\(HTML.escape(engine))\">\n"
            h += "<input type=\"hidden\" name=\"\(CSRF.fieldName)\" value=\"\(HTML.escape(token))\">"
            h += "<input type=\"hidden\" name=\"engine\" value=\"\(HTML.escape(engine))\">\n"
            h += "<label>instrument <input name=\"inst_id\" required placeholder=\"BTC-USDT\"></label>\n"
            h += "<label>bar <input name=\"bar\" size=\"4\" required value=\"1m\"></label>\n"
            h += "<label>from <input name=\"from\" type=\"date\" required></label>\n"
            h += "<label>to <input name=\"to\" type=\"date\" required></label>\n"
            h += "<label>fee rate <input name=\"fee_rate\" size=\"6\" placeholder=\"0.001\"></label>\n"
            h += "<label>slippage (bps) <input name=\"slippage_bps\" size=\"4\" placeholder=\"0\"></label>\n"
            h += "<label>capital <input name=\"capital\" size=\"8\" placeholder=\"10000\"></label>\n<br>\n"
            for p in parameters.rows() {
                guard try p.string("engine") == engine else { continue }
                let name = try p.string("name") ?? "", rule = try p.string("rule") ?? ""
                let required = try p.bool("required") == true
                let title = "\(try p.string("description") ?? "") (\(rule))"
                h += "<label title=\"\(HTML.escape(title))\">\(HTML.escape(name))\(required ? "" : " (optional)") "
                h += "<input name=\"\(HTML.escape(paramPrefix + name))\" size=\"8\" placeholder=\"\(HTML.escape(rule))\"\(required ? " required" : "")></label>\n"
            }
            h += "<button>Queue backtest</button></form></details>\n"
        }
        return h + "</div>\n"
    }
}

import BacktestReport
import Foundation
import Postgres

/// Server-rendered HTML: one layout, tables of rows, all text escaped. Styles and the one script
/// are served by the process (/static/...), so the CSP forbids every inline script and style.
enum HTML {
    static func escape(_ s: String) -> String { ReportPage.escape(s) }

    static let nav: [(path: String, label: String)] = [
        ("/", "Overview"), ("/coins", "Coins"), ("/activity", "Activity"), ("/backtests", "Backtests"),
        ("/strategies", "Strategies"),
    ]

    static func layout(title: String, intro: String, body: String, apiPath: String, csrfToken: String? = nil) -> String {
        let links = nav.map { "<a href=\"\($0.path)\">\(escape($0.label))</a>" }.joined(separator: " ")
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) · Candlestack</title>
        \(csrfToken.map { "<meta name=\"csrf-token\" content=\"\(escape($0))\">" } ?? "")
        <link rel="stylesheet" href="/static/dashboard.css">
        <script src="/static/dashboard.js" defer></script>
        </head><body>
        <nav>\(links) <a class="api" href="\(escape(apiPath))">JSON</a></nav>
        <h1>\(escape(title))</h1>
        \(intro.isEmpty ? "" : "<p class=\"intro\">\(escape(intro))</p>")
        \(body)
        </body></html>

        """
    }

    /// Where a cell links to, by column name.
    static func link(column: String, value: String) -> String? {
        switch column {
        case "run_id": return "/runs/\(value)"
        case "job_id", "parent_id": return "/jobs/\(value)"
        case "instrument": return "/coins/\(value)"
        default: return nil
        }
    }

    /// A table of every column of `result`; `progress` renders as a progress bar.
    /// `appended`: one more column titled `title`, right after column `key`, holding ready HTML (a
    /// sparkline) by the row's `key` value.
    /// `headerLink`: where a column's header links to (ready, escaped href), e.g. to sort by it.
    static func table(_ id: String, _ result: QueryResult, sortable: Bool = false,
                      appended: (title: String, key: String, cells: [String: String])? = nil,
                      headerLink: (String) -> String? = { _ in nil }) -> String {
        guard result.count > 0 else { return "<p class=\"muted\" id=\"\(escape(id))\">no rows</p>\n" }
        var h = "<table id=\"\(escape(id))\"\(sortable ? " class=\"sortable\"" : "")><thead><tr>"
        h += result.columns.map { c in
            (headerLink(c).map { "<th><a href=\"\($0)\">\(escape(c))</a></th>" } ?? "<th>\(escape(c))</th>")
                + (appended.flatMap { $0.key == c ? "<th>\(escape($0.title))</th>" : nil } ?? "")
        }.joined()
        h += "</tr></thead><tbody>\n"
        for r in 0..<result.count {
            h += "<tr>"
            for (c, column) in result.columns.enumerated() {
                defer { if let a = appended, a.key == column { h += "<td>" + (result.string(r, c).flatMap { a.cells[$0] } ?? "") + "</td>" } }
                guard let v = result.string(r, c) else { h += "<td class=\"muted\">-</td>"; continue }
                if column == "progress", let p = Double(v) {
                    let jobID = (try? result.string(r, "job_id")) ?? nil
                    h += "<td><progress max=\"1\" value=\"\(p)\"\(jobID.map { " data-job=\"\(escape($0))\"" } ?? "")>\(Int(p * 100))%</progress></td>"
                } else if let href = link(column: column, value: v) {
                    // The leaderboard's runs can be ticked for the compare view (CompareView.form).
                    let tick = id == "runs" && column == "run_id"
                        ? "<input type=\"checkbox\" name=\"compare\" value=\"\(escape(v))\" form=\"compare-form\" aria-label=\"compare run \(escape(v))\"> " : ""
                    h += "<td>\(tick)<a href=\"\(escape(href))\">\(escape(v))</a></td>"
                } else {
                    h += "<td>\(escape(v))</td>"
                }
            }
            h += "</tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    /// A two-column table (name, value) of chosen columns of the first row, with plain names and units.
    static func namedValues(_ id: String, _ result: QueryResult, _ names: [(column: String, name: String, unit: String)]) -> String {
        guard let row = result.first else { return "" }
        var h = "<table id=\"\(escape(id))\" class=\"kv\"><tbody>\n"
        for n in names {
            guard let c = result.columns.firstIndex(of: n.column) else { continue }
            var shown = row.string(c).map { escape($0) } ?? "<span class=\"muted\">n/a</span>"
            if let text = row.string(c) {
                if n.column == "max_drawdown_duration_ms", let ms = Double(text) {
                    shown = escape(String(format: "%.2f", ms / 86_400_000))
                } else if let d = Double(text), !n.unit.isEmpty, n.unit != "trades", n.unit != "bars", d == 0 || abs(d) >= 1e-4 {
                    shown = escape(ReportPage.number(d))
                } else if text == "t" || text == "f" {
                    shown = text == "t" ? "yes" : "no"
                }
                if !n.unit.isEmpty { shown += " <span class=\"unit\">\(escape(n.unit))</span>" }
            }
            h += "<tr><th title=\"\(escape(n.column))\">\(escape(n.name))</th><td>\(shown)</td></tr>\n"
        }
        return h + "</tbody></table>\n"
    }
}

import Foundation
import Postgres

/// The operator forms a page shows, only for the actions bi.dashboard_actions() says the connected
/// role may perform (the database is asked on every page; nothing is assumed from the login's name).
/// /backtests gets the "queue a backtest" forms; /jobs/ID a cancel button while the job is queued
/// or running, a rerun button once it has finished.
enum ActionForms {
    static func html(pagePath: String, database: DashboardDatabase, token: String) async throws -> String {
        let parts = pagePath.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if parts == ["backtests"] {
            guard try await allowed(database).contains("queue_backtest") else { return "" }
            let engines = try await database.query("select engine, description from bi.strategy_engines order by ordinal")
            let parameters = try await database.query(
                "select engine, name, required, value_type, rule, description from bi.strategy_parameters order by engine, ordinal")
            return try BacktestForm.html(engines: engines, parameters: parameters, token: token)
        }
        if parts.count == 2, parts[0] == "jobs", let id = Int64(parts[1]) {
            let may = try await allowed(database)
            guard !may.isEmpty, let status = try await database.query("select status from bi.jobs where job_id = $1", [id]).string(0, 0) else { return "" }
            var h = ""
            if may.contains("cancel_job"), status == "queued" || status == "running" {
                h += button(path: "/jobs/\(id)/cancel", id: "cancel-job", label: "Cancel job \(id)", token: token)
            }
            if may.contains("rerun_job"), ["succeeded", "failed", "cancelled"].contains(status) {
                h += button(path: "/jobs/\(id)/rerun", id: "rerun-job", label: "Rerun job \(id)", token: token)
            }
            return h.isEmpty ? "" : "<div class=\"actions\">\n\(h)</div>\n"
        }
        return ""
    }

    /// The actions the connected role may perform (queue_backtest, cancel_job, rerun_job).
    static func allowed(_ database: DashboardDatabase) async throws -> Set<String> {
        let r = try await database.query("select action from bi.dashboard_actions() where allowed")
        return Set((0..<r.count).compactMap { r.string($0, 0) })
    }

    static func button(path: String, id: String, label: String, token: String) -> String {
        "<form method=\"post\" action=\"\(HTML.escape(path))\" class=\"action\" id=\"\(HTML.escape(id))\">"
            + "<input type=\"hidden\" name=\"\(CSRF.fieldName)\" value=\"\(HTML.escape(token))\">"
            + "<button>\(HTML.escape(label))</button></form>\n"
    }
}

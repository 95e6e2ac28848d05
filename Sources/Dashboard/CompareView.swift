import Backtest
import BacktestReport
import Foundation
import Postgres

/// The compare view of `/backtests`: `?compare=1,2,3` (or one `compare` checkbox per leaderboard
/// row) draws up to four runs' equity curves on one chart, each as its return since its start.
enum CompareView {
    static let maxRuns = 4

    /// The run ids of `compare` (comma separated; repeated checkboxes arrive joined by commas).
    static func ids(_ text: String?) throws(Refusal) -> [Int64] {
        guard let text, !text.isEmpty else { return [] }
        var ids: [Int64] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let s = part.trimmingCharacters(in: .whitespaces)
            guard let id = Int64(s), id > 0 else {
                throw .bad("compare: expected run ids (positive whole numbers) separated by commas, got \"\(QueryParameters.clip(s))\"")
            }
            if !ids.contains(id) { ids.append(id) }
        }
        guard ids.count <= maxRuns else { throw .bad("compare: at most \(maxRuns) runs, got \(ids.count)") }
        return ids
    }

    /// The equity rows of the runs (their JSON twin), labelled by run, engine and parameters.
    static func section(_ ids: [Int64]) -> Section {
        Section(name: "compare", title: "Compared runs",
                sql: """
                select r.run_id, r.kind, r.engine, r.params, r.instrument, r.bar, e.time, e.equity
                  from bi.backtest_runs as r join bi.backtest_equity as e on e.run_id = r.run_id
                 where r.run_id = any($1::int8[])
                 order by array_position($1::int8[], r.run_id), e.time
                """, parameters: ["{" + ids.map(String.init).joined(separator: ",") + "}"], table: false)
    }

    /// The chart of the fetched curves; a run with no stored equity is a 404 naming it.
    static func html(_ result: QueryResult?, ids: [Int64]) throws(Refusal) -> String {
        var curves: [Int64: [EquityPoint]] = [:], labels: [Int64: String] = [:]
        for r in result?.rows() ?? [] {
            guard let id = try? r.int64("run_id"), let t = try? r.unixMillis("time"), let e = try? r.double("equity") else { continue }
            curves[id, default: []].append(EquityPoint(time: t, equity: e, drawdownPct: 0))
            if labels[id] == nil {
                let engine = (try? r.string("engine")) ?? "", params = (try? r.string("params")) ?? ""
                let place = [(try? r.string("instrument")) ?? "", (try? r.string("bar")) ?? ""].joined(separator: " ")
                labels[id] = "run \(id) \(engine) \(params.replacingOccurrences(of: "\"", with: "")) \(place)"
            }
        }
        if let missing = ids.first(where: { curves[$0] == nil }) { throw .notFound("compare: run \(missing) not found (or it stored no equity)") }
        let runs = ids.map { (label: labels[$0]!, curve: curves[$0]!) }
        let links = ids.map { "<a href=\"/runs/\($0)\">run \($0)</a>" }.joined(separator: " · ")
        return "<h2>Equity compared (return since each run's start)</h2>\n" + Charts.compare(runs) + "<p>\(links)</p>\n"
    }

    /// The form the leaderboard's `compare` checkboxes belong to (they name it with `form=`).
    static func form(kind: String) -> String {
        """
        <form method="get" action="/backtests" id="compare-form" class="filters">
        <input type="hidden" name="kind" value="\(HTML.escape(kind))">
        <button>Compare the ticked runs (up to \(maxRuns))</button></form>

        """
    }
}

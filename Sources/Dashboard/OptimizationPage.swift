import BacktestReport
import Foundation
import Postgres

/// `/optimizations/ID`: a heatmap of a metric over two parameters of the grid (`?x=&y=&metric=`),
/// the best cell outlined and linked to its full run; every combination in the table below.
enum OptimizationPage {
    static let metrics = ["objective_value", "sharpe", "total_return_pct", "cagr_pct", "sortino", "max_drawdown_pct",
                          "win_rate_pct", "profit_factor", "exposure_pct", "n_trades"]

    static func page(id: Int64, _ q: QueryParameters) throws(Refusal) -> Page {
        let metric = try q.choice("metric", metrics) ?? "objective_value"
        let xName = try q.word("x"), yName = try q.word("y")
        return Page(title: "Optimization \(id)", intro: "Every combination of the grid; the heatmap colours \(metric) over two parameters (the best value where other parameters vary).", sections: [
            Section(name: "combinations", title: "Combinations",
                    sql: """
                    select n, params, objective, objective_value, eligible, rank, is_best, n_trades, total_return_pct,
                           cagr_pct, sharpe, sortino, max_drawdown_pct, win_rate_pct, profit_factor, exposure_pct
                      from bi.optimization_results where run_id = $1 order by rank nulls last, n
                    """, parameters: [id]),
        ], extra: { f throws(Refusal) in
            guard let rows = f["combinations"] else { return "" }
            return try heatmap(rows, runID: id, metric: metric, x: xName, y: yName)
        }, mustExist: ("combinations", "optimization run \(id) not found"))
    }

    struct Cell { var x: Double, y: Double, value: Double?, best: Bool }

    static func heatmap(_ rows: QueryResult, runID: Int64, metric: String, x: String?, y: String?) throws(Refusal) -> String {
        var points: [(params: [String: Double], value: Double?, best: Bool)] = []
        for r in rows.rows() {
            let params = ((try? r.json("params")) as? [String: Any] ?? [:]).compactMapValues { ($0 as? NSNumber)?.doubleValue }
            points.append((params, try? r.double(metric), (try? r.bool("is_best")) == true))
        }
        let varying = Set(points.flatMap { $0.params.keys }).filter { k in Set(points.compactMap { $0.params[k] }).count > 1 }.sorted()
        let all = Set(points.flatMap { $0.params.keys })
        for name in [x, y].compactMap({ $0 }) where !all.contains(name) {
            throw .bad("x/y: the grid has no parameter \"\(name)\"; it has \(all.sorted().joined(separator: ", "))")
        }
        guard let px = x ?? varying.first, let py = y ?? varying.first(where: { $0 != px }) ?? varying.first else {
            return "<p class=\"muted\">no parameter varies: nothing to map</p>\n"
        }
        var cells: [String: Cell] = [:]
        for p in points {
            guard let xv = p.params[px], let yv = p.params[py] else { continue }
            let key = "\(xv)|\(yv)"
            var c = cells[key] ?? Cell(x: xv, y: yv, value: nil, best: false)
            if let v = p.value, c.value == nil || v > c.value! { c.value = v }
            c.best = c.best || p.best
            cells[key] = c
        }
        let xs = Array(Set(cells.values.map(\.x))).sorted(), ys = Array(Set(cells.values.map(\.y))).sorted()
        let values = cells.values.compactMap(\.value)
        let lo = values.min() ?? 0, hi = values.max() ?? 1
        let cw = min(60.0, 800.0 / Double(max(xs.count, 1))), ch = min(40.0, 400.0 / Double(max(ys.count, 1)))
        let left = 70.0, top = 20.0
        let w = left + cw * Double(xs.count) + 20, h = top + ch * Double(ys.count) + 40
        var svg = "<svg id=\"heatmap\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"\(HTML.escape(metric)) over \(HTML.escape(px)) and \(HTML.escape(py))\">\n"
        svg += "<g font-size=\"11\" fill=\"#555\">"
        for (i, v) in xs.enumerated() {
            svg += "<text x=\"\(Charts.f(left + cw * (Double(i) + 0.5)))\" y=\"\(Charts.f(h - 22))\" text-anchor=\"middle\">\(ReportPage.number(v))</text>"
        }
        for (j, v) in ys.enumerated() {
            svg += "<text x=\"\(Charts.f(left - 6))\" y=\"\(Charts.f(top + ch * (Double(ys.count - 1 - j) + 0.6)))\" text-anchor=\"end\">\(ReportPage.number(v))</text>"
        }
        svg += "<text x=\"\(Charts.f(left + cw * Double(xs.count) / 2))\" y=\"\(Charts.f(h - 6))\" text-anchor=\"middle\">\(HTML.escape(px))</text>"
        svg += "<text x=\"4\" y=\"12\">\(HTML.escape(py))</text></g>\n"
        for c in cells.values.sorted(by: { ($0.x, $0.y) < ($1.x, $1.y) }) {
            let i = Double(xs.firstIndex(of: c.x)!), j = Double(ys.count - 1 - ys.firstIndex(of: c.y)!)
            let color: String
            if let v = c.value {
                let t = hi > lo ? (v - lo) / (hi - lo) : 0.5
                color = String(format: "rgb(%d,%d,%d)", Int(220 - 180 * t), Int(60 + 140 * t), 80)
            } else { color = "#ddd" }
            let label = "\(px)=\(ReportPage.number(c.x)) \(py)=\(ReportPage.number(c.y)) \(metric)=\(c.value.map(ReportPage.number) ?? "n/a")"
            var rect = "<rect class=\"cell\(c.best ? " best" : "")\" x=\"\(Charts.f(left + cw * i))\" y=\"\(Charts.f(top + ch * j))\" width=\"\(Charts.f(cw - 1))\" height=\"\(Charts.f(ch - 1))\" fill=\"\(color)\"\(c.best ? " stroke=\"#000\" stroke-width=\"3\"" : "")><title>\(HTML.escape(label))\(c.best ? " (best)" : "")</title></rect>"
            if c.best { rect = "<a href=\"/runs/\(runID)\">\(rect)</a>" }
            svg += rect + "\n"
        }
        svg += "</svg>\n"
        let choices = varying.map { HTML.escape($0) }.joined(separator: ", ")
        return "<h2>Heatmap</h2>\n<p class=\"muted\">x = \(HTML.escape(px)), y = \(HTML.escape(py)) (choose with ?x=&amp;y= among \(choices)); outlined: the best combination, whose full run is <a href=\"/runs/\(runID)\">run \(runID)</a>.</p>\n" + svg
    }
}

import Backtest
import Foundation

extension Charts {
    /// Up to a handful of runs' equity curves on one chart (id `compare-chart`), each as its return
    /// since its first point in percent (runs of different capital stay comparable), on a common
    /// time axis: one `polyline.compare-line` per run, coloured, with a legend.
    public static func compare(_ runs: [(label: String, curve: [EquityPoint])]) -> String {
        var svg = open(id: "compare-chart", label: "Equity curves compared")
        let shown = runs.filter { !$0.curve.isEmpty }
        let values = shown.map { run in run.curve.map { returnPct($0.equity, from: run.curve[0].equity) } }
        let all = shown.flatMap(\.curve)
        guard let t0 = all.map(\.time).min(), let t1 = all.map(\.time).max(),
              let lo = values.flatMap({ $0 }).min(), let hi = values.flatMap({ $0 }).max() else { return svg + empty() }
        let span = [EquityPoint(time: t0, equity: 0, drawdownPct: 0), EquityPoint(time: t1, equity: 0, drawdownPct: 0)]
        guard let scale = Scale(curve: span, values: [lo, hi, 0]) else { return svg + empty() }
        svg += axes(scale, format: { ReportPage.number($0) + "%" })
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - pad))\" y1=\"\(f(scale.y(0)))\" y2=\"\(f(scale.y(0)))\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>\n"
        for (n, (run, v)) in zip(shown, values).enumerated() {
            let color = lineColors[n % lineColors.count]
            svg += "<polyline class=\"compare-line\" data-name=\"\(ReportPage.escape(run.label))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(points(run.curve, v, scale))\"><title>\(ReportPage.escape(run.label))</title></polyline>\n"
            svg += "<text x=\"\(f(left + 6))\" y=\"\(f(12 + Double(n) * 11))\" font-size=\"11\" fill=\"\(color)\">\(ReportPage.escape(run.label))</text>\n"
        }
        return svg + "</svg>\n"
    }

    static func returnPct(_ equity: Double, from start: Double) -> Double {
        start == 0 ? 0 : (equity / start - 1) * 100
    }
}

extension Charts {
    /// A small line of closes (`svg.sparkline`, 120 x 28, no axes): green when the last value is
    /// at or above the first, red below. Empty string without two finite values.
    public static func sparkline(_ values: [Double], label: String) -> String {
        let v = values.filter(\.isFinite)
        guard v.count >= 2, let lo = v.min(), let hi0 = v.max(), let first = v.first, let last = v.last else { return "" }
        let w = 120.0, h = 28.0, hi = hi0 > lo ? hi0 : lo + 1
        let pts = v.enumerated().map { i, x in "\(f(1 + Double(i) / Double(v.count - 1) * (w - 2))),\(f(h - 2 - (x - lo) / (hi - lo) * (h - 4)))" }
        let color = last >= first ? "#1a7f37" : "#cf222e"
        return "<svg class=\"sparkline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"\(ReportPage.escape(label))\"><polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.2\" points=\"\(pts.joined(separator: " "))\"/></svg>"
    }
}

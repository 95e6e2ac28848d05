import Backtest
import Foundation

/// Inline SVG charts of an equity curve: explicit width, height and viewBox, no scripts.
/// The one chart implementation: `candlestack report` and the dashboard's run page both draw with it.
public enum Charts {
    static let width = 960.0, height = 300.0, pad = 48.0
    /// Room left of the plot for the value labels (e.g. "10309.54", "-35.5381%").
    static let left = 84.0

    /// Equity line with trade markers: entries as triangles (up green for long, down red for
    /// short), exits as dark dots, placed at the curve's equity at or before their time; drawn as
    /// TradeMarkers (one path per kind, down-sampled per pixel).
    public static func equity(_ curve: [EquityPoint], trades: [Trade]) -> String {
        let values = curve.map(\.equity)
        var svg = open(id: "equity-chart", label: "Equity curve")
        guard let scale = Scale(curve: curve, values: values) else { return svg + empty() }
        svg += axes(scale, format: { ReportPage.number($0) })
        svg += "<polyline fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"1.5\" points=\"\(points(curve, values, scale))\"/>\n"
        var markers = TradeMarkers(exitSize: 6)
        for t in trades {
            let ey = scale.y(equity(at: t.entryTime, curve))
            markers.entry(t.side, x: scale.x(t.entryTime), y: t.side == .long ? ey - 7 : ey + 7, up: t.side == .long,
                          color: t.side == .long ? "#1a7f37" : "#cf222e")
            if t.exitReason != .open {
                markers.exit("", x: scale.x(t.exitTime), y: scale.y(equity(at: t.exitTime, curve)), color: "#24292f")
            }
        }
        return svg + markers.svg + "</svg>\n"
    }

    /// Drawdown (percent below the running peak) as a filled area hanging from 0.
    public static func drawdown(_ curve: [EquityPoint]) -> String {
        let values = curve.map { -$0.drawdownPct }
        var svg = open(id: "drawdown-chart", label: "Drawdown")
        guard var scale = Scale(curve: curve, values: values + [0]) else { return svg + empty() }
        scale.hi = 0
        svg += axes(scale, format: { ReportPage.number($0) + "%" })
        let line = points(curve, values, scale)
        let base = "\(f(scale.x(curve.last!.time))),\(f(scale.y(0))) \(f(scale.x(curve.first!.time))),\(f(scale.y(0)))"
        svg += "<polygon fill=\"#cf222e\" fill-opacity=\"0.35\" stroke=\"#cf222e\" stroke-width=\"1\" points=\"\(line) \(base)\"/>\n"
        return svg + "</svg>\n"
    }

    struct Scale {
        var t0: Int64, t1: Int64, lo: Double, hi: Double
        init?(curve: [EquityPoint], values: [Double]) {
            guard let first = curve.first, let last = curve.last, let lo = values.min(), let hi = values.max() else { return nil }
            t0 = first.time; t1 = max(last.time, first.time + 1)
            self.lo = lo; self.hi = hi > lo ? hi : lo + 1
        }
        func x(_ t: Int64) -> Double { left + Double(t - t0) / Double(t1 - t0) * (width - left - pad) }
        func y(_ v: Double) -> Double { height - pad + (lo - v) / (hi - lo) * (height - 2 * pad) }
    }

    static func open(id: String, label: String) -> String {
        "<svg id=\"\(id)\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(label)\">\n"
    }

    static func empty() -> String {
        "<text x=\"\(Int(width / 2))\" y=\"\(Int(height / 2))\" text-anchor=\"middle\" fill=\"#777\">no data</text>\n</svg>\n"
    }

    static func axes(_ s: Scale, format: (Double) -> String) -> String {
        var out = "<g font-size=\"11\" fill=\"#555\" stroke=\"none\">\n"
        for i in 0...4 {
            let v = s.lo + (s.hi - s.lo) * Double(i) / 4
            let y = s.y(v)
            out += "<line x1=\"\(f(left))\" x2=\"\(f(width - pad))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#eee\"/>"
            out += "<text x=\"\(f(left - 4))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(ReportPage.escape(format(v)))</text>\n"
        }
        out += "<text x=\"\(f(left))\" y=\"\(f(height - pad + 16))\">\(ReportPage.escape(ReportPage.time(s.t0)))</text>"
        out += "<text x=\"\(f(width - pad))\" y=\"\(f(height - pad + 16))\" text-anchor=\"end\">\(ReportPage.escape(ReportPage.time(s.t1)))</text>\n"
        return out + "</g>\n"
    }

    static func points(_ curve: [EquityPoint], _ values: [Double], _ s: Scale) -> String {
        zip(curve, values).map { "\(f(s.x($0.time))),\(f(s.y($1)))" }.joined(separator: " ")
    }

    /// Equity of the last curve point at or before `t` (the first point if none).
    static func equity(at t: Int64, _ curve: [EquityPoint]) -> Double {
        var lo = 0, hi = curve.count
        while lo < hi { let m = (lo + hi) / 2; if curve[m].time <= t { lo = m + 1 } else { hi = m } }
        return curve[max(0, lo - 1)].equity
    }

    public static func f(_ x: Double) -> String { String(format: "%.1f", x) }
}

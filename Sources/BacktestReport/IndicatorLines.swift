import Backtest
import Foundation

/// One indicator line of a chart: a value per chart candle (NaN where undefined), in the price
/// pane (over the candles) or the oscillator pane below them.
public struct ChartLine: Sendable, Equatable {
    public var name: String
    public var pane: ChartIndicator.Pane
    public var levels: [Double]
    public var values: [Double]
    public init(name: String, pane: ChartIndicator.Pane, levels: [Double] = [], values: [Double]) {
        self.name = name; self.pane = pane; self.levels = levels; self.values = values
    }
}

public enum IndicatorLines {
    /// The strategy's indicators (`StrategySpec.chartIndicators`) computed by the engine's own
    /// `IndicatorCache` over `candles` (the run's full-detail candles), each sampled at the last
    /// candle of every chart candle (bucket), so they line up with the folded candles.
    /// Empty when the engine or its parameters are not valid (nothing to draw).
    public static func lines(engine: String, params: [String: Double], candles: Candles, at chart: [ChartCandle]) -> [ChartLine] {
        guard let e = Engine(rawValue: engine), let spec = try? StrategySpec(engine: e, parameters: params),
              candles.count > 0 else { return [] }
        let cache = IndicatorCache(candles: candles)
        let index: [Int?] = chart.map { c in
            let i = candles.firstIndex(atOrAfter: c.lastTime)
            return i < candles.count && candles.time[i] == c.lastTime ? i : nil
        }
        return spec.chartIndicators.map { ind in
            let series = cache.series(ind.key)
            return ChartLine(name: ind.name, pane: ind.pane, levels: ind.levels,
                             values: index.map { $0.map { series[$0] } ?? .nan })
        }
    }
}

extension Charts {
    static let lineColors = ["#1f6feb", "#bf8700", "#8250df", "#0a7d8c", "#d1242f", "#57606a"]

    /// An SVG path through the finite values (x by index), broken where a value is NaN.
    static func linePath(_ values: [Double], x: (Int) -> Double, y: (Double) -> Double) -> String {
        var d = "", pen = false
        for (i, v) in values.enumerated() {
            guard v.isFinite else { pen = false; continue }
            d += (pen ? " L" : (d.isEmpty ? "M" : " M")) + "\(f(x(i))) \(f(y(v)))"
            pen = true
        }
        return d
    }

    /// The indicator lines of one pane as `path.indicator` elements with a legend.
    static func indicatorPaths(_ lines: [ChartLine], x: (Int) -> Double, y: (Double) -> Double) -> String {
        var svg = "<g id=\"indicators\" fill=\"none\" stroke-width=\"1.2\">\n"
        for (n, line) in lines.enumerated() {
            let color = lineColors[n % lineColors.count]
            svg += "<path class=\"indicator\" data-name=\"\(ReportPage.escape(line.name))\" stroke=\"\(color)\" d=\"\(linePath(line.values, x: x, y: y))\"><title>\(ReportPage.escape(line.name))</title></path>\n"
            svg += "<text x=\"\(f(left + 6 + Double(n / 2) * 220))\" y=\"\(f(pad - 26 + Double(n % 2) * 12))\" font-size=\"11\" fill=\"\(color)\" stroke=\"none\">\(ReportPage.escape(line.name))</text>\n"
        }
        return svg + "</g>\n"
    }

    /// The oscillator pane (id `indicator-chart`): the strategy's RSI or MACD lines under the
    /// candles, same x positions, with its reference levels dashed. Empty string when none.
    public static func oscillator(_ candles: [ChartCandle], lines: [ChartLine]) -> String {
        let osc = lines.filter { $0.pane == .oscillator }
        guard !osc.isEmpty, !candles.isEmpty else { return "" }
        let h = 160.0
        var svg = "<svg id=\"indicator-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(width)) \(Int(h))\" role=\"img\" aria-label=\"Indicators\">\n"
        let values = osc.flatMap(\.values).filter(\.isFinite) + osc.flatMap(\.levels)
        guard let lo0 = values.min(), let hi0 = values.max() else { return svg + "</svg>\n" }
        let lo = lo0, hi = hi0 > lo0 ? hi0 : lo0 + 1
        let slot = (width - left - pad) / Double(candles.count)
        func x(_ i: Int) -> Double { left + (Double(i) + 0.5) * slot }
        func y(_ v: Double) -> Double { h - 16 - (v - lo) / (hi - lo) * (h - 16 - pad) }
        svg += "<g font-size=\"11\" fill=\"#555\">\n"
        for level in Set(osc.flatMap(\.levels)).sorted() {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - pad))\" y1=\"\(f(y(level)))\" y2=\"\(f(y(level)))\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>"
            svg += "<text x=\"\(f(left - 4))\" y=\"\(f(y(level) + 4))\" text-anchor=\"end\">\(ReportPage.escape(ReportPage.number(level)))</text>\n"
        }
        svg += "</g>\n" + indicatorPaths(osc, x: x, y: y)
        return svg + "</svg>\n"
    }
}

import Backtest
import Foundation

/// One candle of a chart: a stored candle, or a bucket of candles folded per pixel
/// (first open, highest high, lowest low, last close), as bi.candle_buckets returns them.
public struct ChartCandle: Sendable, Equatable {
    public var time: Int64, lastTime: Int64
    public var open: Double, high: Double, low: Double, close: Double, volume: Double
    public init(time: Int64, lastTime: Int64, open: Double, high: Double, low: Double, close: Double, volume: Double) {
        self.time = time; self.lastTime = lastTime; self.open = open; self.high = high; self.low = low
        self.close = close; self.volume = volume
    }
}

extension Charts {
    /// "Candles and trades": the candle chart and, for an RSI or MACD strategy, its oscillator pane.
    /// The run page and `candlestack report` both show this block.
    public static func candleSection(_ candles: [ChartCandle], trades: [Trade], indicators: [ChartLine]) -> String {
        "<h2>Candles and trades</h2>\n" + Charts.candles(candles, trades: trades, indicators: indicators)
            + Charts.oscillator(candles, lines: indicators)
    }

    /// Candlestick chart (id `candle-chart`) with volume bars below and every trade's entry and
    /// exit marked at its price: entries as triangles (up green long, down red short), exits as
    /// dots coloured by reason (signal dark, stop red, take green, open hollow). Each candle is a
    /// `rect.candle` body with a `line.wick`; markers are one `path.entry` per side and one
    /// `path.exit` per reason (TradeMarkers: down-sampled per pixel, `data-trades` counts). The
    /// price-pane `indicators` (one value per candle) are drawn over the candles as `path.indicator`.
    public static func candles(_ candles: [ChartCandle], trades: [Trade], indicators: [ChartLine] = []) -> String {
        var svg = open(id: "candle-chart", label: "Candles with trades")
        let overlay = indicators.filter { $0.pane == .price && $0.values.count == candles.count }
        let drawn = overlay.flatMap(\.values).filter(\.isFinite)
        guard let first = candles.first, let last = candles.last,
              let lo0 = (candles.map(\.low) + drawn).min(), let hi0 = (candles.map(\.high) + drawn).max() else { return svg + empty() }
        let t0 = first.time, t1 = max(last.lastTime, first.time + 1)
        let lo = lo0, hi = hi0 > lo0 ? hi0 : lo0 + 1
        let plotW = width - left - pad, priceBottom = height - pad - 50, volTop = height - pad - 40
        func x(_ t: Int64) -> Double { left + Double(t - t0) / Double(t1 - t0) * plotW }
        func y(_ v: Double) -> Double { priceBottom - (v - lo) / (hi - lo) * (priceBottom - pad) }
        let slot = plotW / Double(candles.count)
        let body = max(0.6, min(8, slot * 0.7))
        svg += "<g font-size=\"11\" fill=\"#555\" stroke=\"none\">\n"
        for i in 0...4 {
            let v = lo + (hi - lo) * Double(i) / 4
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(width - pad))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(f(left - 4))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(ReportPage.escape(ReportPage.number(v)))</text>\n"
        }
        svg += "<text x=\"\(f(left))\" y=\"\(f(height - pad + 16))\">\(ReportPage.escape(ReportPage.time(t0)))</text>"
        svg += "<text x=\"\(f(width - pad))\" y=\"\(f(height - pad + 16))\" text-anchor=\"end\">\(ReportPage.escape(ReportPage.time(t1)))</text>\n</g>\n"
        let maxVolume = max(candles.map(\.volume).max() ?? 0, 1e-300)
        svg += "<g id=\"candles\">\n"
        for (i, c) in candles.enumerated() {
            let cx = left + (Double(i) + 0.5) * slot
            let up = c.close >= c.open
            let color = up ? "#1a7f37" : "#cf222e"
            let top = y(max(c.open, c.close)), h = max(0.8, abs(y(c.open) - y(c.close)))
            svg += "<line class=\"wick\" x1=\"\(f(cx))\" x2=\"\(f(cx))\" y1=\"\(f(y(c.high)))\" y2=\"\(f(y(c.low)))\" stroke=\"\(color)\"/>"
            svg += "<rect class=\"candle\" x=\"\(f(cx - body / 2))\" y=\"\(f(top))\" width=\"\(f(body))\" height=\"\(f(h))\" fill=\"\(color)\"/>"
            let vh = c.volume / maxVolume * 36
            svg += "<rect class=\"volume\" x=\"\(f(cx - body / 2))\" y=\"\(f(height - pad - vh))\" width=\"\(f(body))\" height=\"\(f(vh))\" fill=\"#8c959f\"/>\n"
        }
        svg += "</g>\n"
        if !overlay.isEmpty { svg += indicatorPaths(overlay, x: { left + (Double($0) + 0.5) * slot }, y: y) }
        var markers = TradeMarkers(exitSize: 7)
        for t in trades {
            markers.entry(t.side, x: x(t.entryTime), y: t.side == .long ? y(t.entryPrice) + 2 : y(t.entryPrice) - 2,
                          up: t.side == .long, color: t.side == .long ? "#1a7f37" : "#cf222e")
            let reasonColor: String
            switch t.exitReason {
            case .signal: reasonColor = "#24292f"
            case .stop: reasonColor = "#cf222e"
            case .take: reasonColor = "#1a7f37"
            case .open: reasonColor = "#fff"
            case .windowEnd: reasonColor = "#8250df"
            case .liquidation: reasonColor = "#bf8700"
            }
            markers.exit(t.exitReason.rawValue, x: x(t.exitTime), y: y(t.exitPrice), color: reasonColor)
        }
        return svg + markers.svg + "</svg>\n"
    }
}

import Testing
import Backtest
import BacktestReport

/// The candle chart's trade markers: one path per kind, every trade counted, markers on one pixel drawn once.
@Suite struct TradeMarkerTests {
    static func trade(_ n: Int, _ side: Side, at t: Int64, _ reason: ExitReason) -> Trade {
        Trade(n: n, side: side, entryTime: t, entryPrice: 100, exitTime: t + 60_000, exitPrice: 101, size: 1, pnl: 1,
              returnPct: 1, fees: 0, exitReason: reason, entryIndex: 0, exitIndex: 0)
    }

    static func counts(_ svg: String, _ kind: String) -> (paths: Int, trades: Int, subpaths: Int) {
        let parts = svg.components(separatedBy: "<path class=\"\(kind)\" data-trades=\"").dropFirst()
        let trades = parts.compactMap { Int($0.prefix { $0.isNumber }) }.reduce(0, +)
        let subpaths = parts.map { ($0.components(separatedBy: " d=\"").dropFirst().first?.prefix { $0 != "\"" } ?? "").filter { $0 == "M" }.count }.reduce(0, +)
        return (parts.count, trades, subpaths)
    }

    @Test func everyTradeCountedOnePathPerKindOnePixelOnce() {
        let candles = (0..<100).map { i in
            ChartCandle(time: Int64(i) * 60_000, lastTime: Int64(i) * 60_000, open: 100, high: 102, low: 99, close: 101, volume: 1)
        }
        // 1,000 trades: 900 long ones entering on the same 10 candles (few pixels), 100 short spread out.
        var trades = (0..<900).map { Self.trade($0, .long, at: Int64($0 % 10) * 60_000, $0 % 2 == 0 ? .stop : .take) }
        trades += (0..<100).map { Self.trade(900 + $0, .short, at: Int64($0) * 60_000, .signal) }
        trades.append(Self.trade(1000, .short, at: 98 * 60_000, .open))
        let svg = Charts.candles(candles, trades: trades)
        let long = Self.counts(svg, "entry long"), short = Self.counts(svg, "entry short")
        #expect(long.paths == 1 && short.paths == 1, "one path per side")
        #expect(long.trades == 900 && short.trades == 101, "every entry counted")
        #expect(long.subpaths == 10, "900 entries on 10 pixels drawn 10 times, got \(long.subpaths)")
        #expect(short.subpaths == 100, "an entry on a pixel of its own is drawn: \(short.subpaths)")
        let exits = ["exit stop", "exit take", "exit signal", "exit open"].map { Self.counts(svg, $0) }
        #expect(exits.map(\.paths) == [1, 1, 1, 1], "every exit reason keeps its path")
        #expect(exits.map(\.trades).reduce(0, +) == trades.count, "every exit counted")
        #expect(svg.contains("<title>450 exits (stop)</title>"))
        #expect(svg.utf8.count < 40_000, "1,001 trades stay small: \(svg.utf8.count) bytes")
    }
}

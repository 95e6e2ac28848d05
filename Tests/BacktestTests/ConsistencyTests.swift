import Testing
@testable import Backtest

/// Cross-checks between the engine's parts, on seeded random data.
@Suite struct ConsistencyTests {
    let candles = Fixtures.randomWalk(3000, seed: 77)

    @Test func cachedSeriesEqualDirectComputation() {
        let cache = IndicatorCache(candles: candles)
        let c = candles.close
        func same(_ a: [Double], _ b: [Double]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { $0.isNaN ? $1.isNaN : $0 == $1 }
        }
        let macd = Indicators.macd(c, fast: 12, slow: 26, signal: 9)
        let bands = Indicators.bollinger(c, period: 20, k: 2)
        let ch = Indicators.donchian(high: candles.high, low: candles.low, period: 20)
        #expect(same(cache.series(.macdLine(12, 26)), macd.macd))
        #expect(same(cache.series(.macdSignal(12, 26, 9)), macd.signal))
        #expect(same(cache.series(.bollingerUpper(20, 2)), bands.upper))
        #expect(same(cache.series(.bollingerLower(20, 2)), bands.lower))
        #expect(same(cache.series(.sma(20)), bands.middle))
        #expect(same(cache.series(.donchianUpper(20)), ch.upper))
        #expect(same(cache.series(.donchianLower(20)), ch.lower))
        #expect(same(cache.series(.rsi(14)), Indicators.rsi(c, period: 14)))
        #expect(same(cache.series(.ema(9)), Indicators.ema(c, period: 9)))
        #expect(same(cache.series(.atr(14)), Indicators.atr(high: candles.high, low: candles.low, close: c, period: 14)))
    }

    @Test(arguments: StrategyTests.specs)
    func accountingAddsUp(spec: StrategySpec) throws {
        let s = RunSettings(feeRate: 0.002, slippageBps: 3, capital: 5000, lotSize: 0.001)
        let r = try Backtester.run(candles: candles, spec: spec, settings: s)
        let closed = r.trades.filter { $0.exitReason != .open }
        // Final equity = capital + closed pnl + the open trade's marked pnl (entry fee included).
        #expect(close(r.metrics.finalEquity, 5000 + r.trades.map(\.pnl).reduce(0, +), 1e-9))
        #expect(close(r.metrics.feesPaid, r.trades.map(\.fees).reduce(0, +)))
        #expect(r.metrics.nTrades == closed.count)
        #expect(r.trades.enumerated().allSatisfy { $0.element.n == $0.offset + 1 })
        #expect(r.trades.dropLast().allSatisfy { $0.exitReason != .open })
        // Trades never overlap: each starts at or after the previous exit.
        #expect(zip(r.trades, r.trades.dropFirst()).allSatisfy { $1.entryIndex >= $0.exitIndex })
        if !spec.allowShort { #expect(r.equity.allSatisfy { $0 > 0 }) }
        #expect(r.curve.count == min(2000, candles.count) || r.curve.count <= 2000)
        let grid = try Optimizer.run(candles: candles, engine: spec.engine, grid: [:], fixed: spec.flatParameters,
                                     settings: s, objective: "sharpe")
        #expect(grid.rows.first?.metrics == r.metrics)
    }

    @Test func engineNamesParse() throws {
        #expect(try Engine.parse("macd_cross") == .macdCross)
        #expect(throws: BacktestError.self) { try Engine.parse("MACD") }
        let spec = Fixtures.spec(.smaCross, ["fast": 3, "slow": 9], sl: 2, short: true)
        #expect(try StrategySpec(engine: .smaCross, parameters: spec.flatParameters) == spec)
    }
}

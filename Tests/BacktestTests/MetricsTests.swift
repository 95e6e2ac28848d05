import Foundation
import Testing
@testable import Backtest

@Suite struct MetricsTests {
    /// Equity 110, 99, 121 at the closes of three daily bars, starting capital 100.
    func stats() -> EquityStats {
        var s = EquityStats(capital: 100)
        for (i, e) in [110.0, 99, 121].enumerated() { s.add(time: Fixtures.t0 + Int64(i) * Fixtures.day, equity: e) }
        s.finish()
        return s
    }

    func trade(_ pnl: Double, _ pct: Double, _ reason: ExitReason = .signal) -> Trade {
        Trade(n: 1, side: .long, entryTime: 0, entryPrice: 1, exitTime: 0, exitPrice: 1, size: 1, pnl: pnl,
              returnPct: pct, fees: 0.5, exitReason: reason, entryIndex: 0, exitIndex: 0)
    }

    @Test func equityMetricsFollowTheFormulas() throws {
        let trades = [trade(10, 10), trade(-5, -5), trade(20, 20), trade(-5, -5), trade(7, 7, .open)]
        let m = Metrics.compute(stats: stats(), trades: trades, barsInPosition: 2, feesPaid: 3,
                                firstOpen: 50, lastClose: 60)
        let r = [0.1, 99.0 / 110 - 1, 121.0 / 99 - 1]
        let mean = r.reduce(0, +) / 3
        let sd = (r.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2).squareRoot()
        let down = (r.filter { $0 < 0 }.map { $0 * $0 }.reduce(0, +) / 3).squareRoot()
        #expect(m.finalEquity == 121)
        #expect(close(m.totalReturnPct, 21))
        #expect(close(m.spanDays, 3))
        #expect(close(m.cagrPct, (pow(1.21, 365.0 / 3) - 1) * 100))
        #expect(close(m.volatilityAnnPct, sd * 365.0.squareRoot() * 100))
        #expect(close(m.sharpe, mean / sd * 365.0.squareRoot()))
        #expect(close(m.sortino, mean / down * 365.0.squareRoot()))
        #expect(close(m.maxDrawdownPct, 10))
        #expect(close(m.calmar, m.cagrPct! / 10))
        #expect(m.maxDrawdownDurationMs == 2 * Fixtures.day)  // peak at day 1, recovered at day 3
        #expect(m.nTrades == 4)
        #expect(m.winRatePct == 50)
        #expect(m.profitFactor == 3)
        #expect(m.expectancy == 5)
        #expect(m.avgTradePct == 5 && m.bestTradePct == 20 && m.worstTradePct == -5)
        #expect(close(m.exposurePct, 200.0 / 3))
        #expect(m.feesPaid == 3)
        #expect(close(m.buyHoldReturnPct, 20))
        #expect(m.annualisedReliable == false)
        #expect(try m.value(named: "profit_factor") == 3)
        #expect(throws: BacktestError.self) { try m.value(named: "nope") }
    }

    @Test func undefinedValuesAreNilNeverNaN() {
        var s = EquityStats(capital: 100)
        s.add(time: Fixtures.t0, equity: 100)
        s.finish()
        let m = Metrics.compute(stats: s, trades: [trade(3, 3)], barsInPosition: 0, feesPaid: 0, firstOpen: 1, lastClose: 1)
        #expect(m.profitFactor == nil)           // no losing trade
        #expect(m.sharpe == nil && m.sortino == nil && m.volatilityAnnPct == nil)  // one day
        #expect(m.calmar == nil)                 // no drawdown
        #expect(m.maxDrawdownPct == 0 && m.maxDrawdownDurationMs == 0)
        let none = Metrics.compute(stats: s, trades: [], barsInPosition: 0, feesPaid: 0, firstOpen: 1, lastClose: 1)
        #expect(none.winRatePct == nil && none.expectancy == nil && none.bestTradePct == nil && none.profitFactor == nil)
    }

    @Test func anUnrecoveredDrawdownLastsToTheEnd() {
        var s = EquityStats(capital: 100)
        for (i, e) in [100.0, 120, 90, 100].enumerated() { s.add(time: Int64(i) * 1000, equity: e) }
        s.finish()
        #expect(s.maxDrawdownPct == 25 && s.maxDrawdownDurationMs == 2000)
    }

    @Test func dailyReturnsUseTheLastBarOfEachUTCDay() {
        var s = EquityStats(capital: 100)
        let h: Int64 = 3_600_000
        // Day 1: 101, 104 (last); day 2: 90, 109.2 (last).
        for (t, e) in [(0, 101.0), (23 * h, 104), (24 * h, 90), (30 * h, 109.2)] { s.add(time: Fixtures.t0 + t, equity: e) }
        s.finish()
        #expect(s.days == 2)
        #expect(close(s.meanReturn, (0.04 + 0.05) / 2))
        #expect(s.spanMs == 30 * h + 1 * h)  // last - first + smallest gap (1 h)
    }

    @Test func reliabilityNeedsThirtyDaysAndThirtyTrades() throws {
        let c = Fixtures.randomWalk(24 * 60, seed: 9, step: Fixtures.minute * 60)  // 60 days hourly
        let r = try Backtester.run(candles: c, spec: Fixtures.spec(.smaCross, ["fast": 2, "slow": 5]))
        #expect(r.metrics.spanDays == 60)
        #expect(r.metrics.annualisedReliable == (r.metrics.nTrades >= 30))
        #expect(r.metrics.nTrades >= 30)
        let short = try Backtester.run(candles: c.slice(0..<200), spec: Fixtures.spec(.smaCross, ["fast": 2, "slow": 5]))
        #expect(short.metrics.annualisedReliable == false)
    }

    @Test func exposureAndBuyHoldOnARun() throws {
        let c = Fixtures.flat([100, 100, 110, 120])
        let r = try Backtester.run(candles: c, spec: Fixtures.spec(.buyHold),
                                   settings: RunSettings(feeRate: 0, capital: 1000, lotSize: 0))
        #expect(r.metrics.exposurePct == 75)
        #expect(close(r.metrics.buyHoldReturnPct, 20))
        #expect(close(r.metrics.totalReturnPct, 20))
    }
}

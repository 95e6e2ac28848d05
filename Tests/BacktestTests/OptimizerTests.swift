import Foundation
import Testing
@testable import Backtest

/// Collects progress reports from worker threads.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []
    func add(_ v: Double) { lock.lock(); values.append(v); lock.unlock() }
    var all: [Double] { lock.lock(); defer { lock.unlock() }; return values }
}

@Suite struct OptimizerTests {
    let candles = Fixtures.randomWalk(4000, seed: 99)
    let grid: [String: [Double]] = ["fast": [5, 10, 20], "slow": [10, 30]]

    @Test func evaluatesEveryValidCombinationAndPicksTheBest() throws {
        let log = ProgressLog()
        let r = try Optimizer.run(candles: candles, engine: .smaCross, grid: grid, objective: "sharpe", minTrades: 1,
                                  progress: { log.add($0) })
        #expect(r.skipped == 2)  // (10, 10) and (20, 10)
        #expect(r.rows.map { [$0.params["fast"]!, $0.params["slow"]!] } == [[5, 10], [5, 30], [10, 30], [20, 30]])
        for row in r.rows {
            let single = try Backtester.run(candles: candles, spec: StrategySpec(engine: .smaCross, parameters: row.params))
            #expect(single.metrics == row.metrics)
        }
        let best = r.rows.filter { $0.metrics.nTrades >= 1 }.max { ($0.metrics.sharpe ?? -.infinity) < ($1.metrics.sharpe ?? -.infinity) }
        #expect(r.best == best)
        #expect(log.all.count == 4 && log.all.max() == 1)
    }

    @Test func drawdownIsMinimisedAndMinTradesFilters() throws {
        let r = try Optimizer.run(candles: candles, engine: .smaCross, grid: grid, objective: "max_drawdown_pct")
        #expect(r.best?.metrics.maxDrawdownPct == r.rows.map(\.metrics.maxDrawdownPct).min())
        let none = try Optimizer.run(candles: candles, engine: .smaCross, grid: grid, objective: "sharpe", minTrades: 1_000_000)
        #expect(none.best == nil && none.rows.count == 4)
    }

    @Test func fixedParametersAndOptionsMerge() throws {
        let r = try Optimizer.run(candles: candles, engine: .rsiReversion, grid: ["period": [7, 14], "stop_loss_pct": [1, 2]],
                                  fixed: ["lower": 30, "upper": 70, "allow_short": 1], objective: "total_return_pct")
        #expect(r.rows.count == 4 && r.skipped == 0)
        #expect(r.rows.allSatisfy { $0.params["lower"] == 30 && $0.params["allow_short"] == 1 })
    }

    @Test func cancellationAndBadObjectivesThrow() {
        #expect(throws: BacktestError.cancelled) {
            try Optimizer.run(candles: candles, engine: .smaCross, grid: grid, objective: "sharpe", isCancelled: { true })
        }
        #expect(throws: BacktestError.self) {
            try Optimizer.run(candles: candles, engine: .smaCross, grid: grid, objective: "luck")
        }
    }
}

@Suite struct WalkForwardTests {
    // 20 days of 15-minute candles.
    let candles = Fixtures.randomWalk(20 * 96, seed: 321, step: 15 * Fixtures.minute)
    let grid: [String: [Double]] = ["fast": [3, 5, 8], "slow": [12, 20]]

    func run(_ c: Candles, _ mode: WalkForwardMode) throws -> WalkForwardResult {
        try WalkForward.run(candles: c, engine: .smaCross, grid: grid, objective: "total_return_pct",
                            trainMs: 6 * Fixtures.day, testMs: 3 * Fixtures.day, mode: mode)
    }

    @Test func rollingWindowsStitchOutOfSampleEquity() throws {
        let r = try run(candles, .rolling)
        #expect(r.windows.count == 5)  // tests start at days 6, 9, 12, 15, 18 (the last is cut at day 20)
        for (k, w) in r.windows.enumerated() {
            #expect(w.trainStart == Fixtures.t0 + Int64(k) * 3 * Fixtures.day)
            #expect(w.trainEnd - w.trainStart == 6 * Fixtures.day && w.testStart == w.trainEnd)
        }
        #expect(r.time.first == Fixtures.t0 + 6 * Fixtures.day && r.time.last == candles.time.last)
        #expect(r.time.count == r.equity.count && r.time.count == 14 * 96)
        // Window 0's test run equals a plain run that warms up on the training bars.
        let w0 = r.windows[0]
        let spec = try StrategySpec(engine: .smaCross, parameters: w0.params!)
        let single = try Backtester.run(candles: candles.slice(0..<(9 * 96)), spec: spec, startIndex: 6 * 96, closeAtEnd: true)
        #expect(Array(r.equity[0..<(3 * 96)]) == single.equity)
        // Window 1 starts from window 0's ending equity.
        let w1 = r.windows[1]
        var s = RunSettings(); s.capital = single.equity.last!
        let second = try Backtester.run(candles: candles.slice((3 * 96)..<(12 * 96)),
                                        spec: StrategySpec(engine: .smaCross, parameters: w1.params!), settings: s, startIndex: 6 * 96,
                                        closeAtEnd: true)
        #expect(Array(r.equity[(3 * 96)..<(6 * 96)]) == second.equity)
        #expect(r.metrics.finalEquity == r.equity.last)
        if let i = r.inSampleAnnualisedReturnPct, let o = r.outOfSampleAnnualisedReturnPct, i != 0 {
            #expect(close(r.efficiency, o / i))
        }
    }

    @Test func aPositionOpenAtAWindowEdgeIsClosedWithFeeAndSlippage() throws {
        // buy_hold holds from each test window's first bar: every window ends in a position.
        var settings = RunSettings()
        settings.feeRate = 0.001
        settings.slippageBps = 5
        let r = try WalkForward.run(candles: candles, engine: .buyHold, grid: ["stop_loss_pct": [90]], settings: settings,
                                    objective: "total_return_pct", trainMs: 6 * Fixtures.day, testMs: 3 * Fixtures.day)
        #expect(r.windows.count == 5)
        for (k, w) in r.windows.enumerated() {
            let last = try #require(w.trades.last)
            if k < r.windows.count - 1 {
                #expect(last.exitReason == .windowEnd)
                // Sold at the window's last close, slippage against the trader, exit fee charged.
                let lastBar = candles.firstIndex(atOrAfter: w.testEnd) - 1
                #expect(close(last.exitPrice, candles.close[lastBar] * (1 - 5.0 / 10_000)))
                let entryFee = last.size * last.entryPrice * 0.001, exitFee = last.size * last.exitPrice * 0.001
                #expect(close(last.fees, entryFee + exitFee))
                #expect(close(last.pnl, last.size * (last.exitPrice - last.entryPrice) - entryFee - exitFee))
            } else {
                #expect(last.exitReason == .open)
            }
        }
        // Across the stitched trades, "open" is at most the last one.
        let stitched = r.windows.flatMap(\.trades)
        #expect(stitched.dropLast().allSatisfy { $0.exitReason != .open })
        // Each closed window ends in cash: its last stitched equity is its starting equity plus its
        // trades' pnl (fees included), and the next window starts from exactly that.
        var start = settings.capital
        var offset = 0
        for w in r.windows.dropLast() {
            let bars = candles.firstIndex(atOrAfter: w.testEnd) - candles.firstIndex(atOrAfter: w.testStart)
            let end = r.equity[offset + bars - 1]
            #expect(close(end, start + w.trades.reduce(0) { $0 + $1.pnl }, 1e-6))
            start = end
            offset += bars
        }
    }

    @Test func anchoredWindowsAllStartAtTheFirstCandle() throws {
        let r = try run(candles, .anchored)
        #expect(r.windows.allSatisfy { $0.trainStart == Fixtures.t0 })
        #expect(r.windows.map(\.trainEnd) == (0..<5).map { Fixtures.t0 + (6 + Int64($0) * 3) * Fixtures.day })
    }

    @Test func testBarsNeverInfluenceTraining() throws {
        // Change every bar from day 6 on: window 0's winner and in-sample metrics stay the same.
        let cut = 6 * 96
        let other = Fixtures.randomWalk(20 * 96, seed: 5, step: 15 * Fixtures.minute, price: candles.close[cut - 1])
        func mix(_ a: [Double], _ b: [Double]) -> [Double] { Array(a[..<cut]) + Array(b[cut...]) }
        let changed = Candles(unchecked: candles.time, open: mix(candles.open, other.open), high: mix(candles.high, other.high),
                              low: mix(candles.low, other.low), close: mix(candles.close, other.close),
                              volume: mix(candles.volume, other.volume))
        let a = try run(candles, .rolling), b = try run(changed, .rolling)
        #expect(a.windows[0].params == b.windows[0].params)
        #expect(a.windows[0].inSample == b.windows[0].inSample)
    }
}

import Testing
@testable import Backtest

@Suite struct StrategyTests {
    static let specs: [StrategySpec] = {
        var out: [StrategySpec] = []
        let base: [(Engine, [String: Double])] = [
            (.buyHold, [:]),
            (.smaCross, ["fast": 5, "slow": 20]),
            (.emaCross, ["fast": 5, "slow": 20]),
            (.rsiReversion, ["period": 14, "lower": 30, "upper": 70]),
            (.bollingerBreakout, ["period": 20, "k": 2]),
            (.macdCross, ["fast": 12, "slow": 26, "signal": 9]),
            (.donchianBreakout, ["entry": 20, "exit": 10]),
        ]
        for (e, p) in base {
            out.append(Fixtures.spec(e, p))
            out.append(Fixtures.spec(e, p, sl: 1, tp: 2, short: true))
        }
        return out
    }()

    @Test func validationNamesTheParameter() {
        func err(_ e: Engine, _ p: [String: Double], sl: Double? = nil) -> String? {
            do { _ = try StrategySpec(engine: e, params: p, stopLossPct: sl); return nil } catch let BacktestError.invalidParameter(name, _) {
                return name
            } catch { return "?" }
        }
        #expect(err(.smaCross, ["fast": 30, "slow": 10]) == "fast")
        #expect(err(.smaCross, ["fast": 10, "slow": 10]) == "fast")
        #expect(err(.smaCross, ["fast": 2.5, "slow": 10]) == "fast")
        #expect(err(.smaCross, ["fast": 0, "slow": 10]) == "fast")
        #expect(err(.smaCross, ["fast": 5]) == "slow")
        #expect(err(.smaCross, ["fast": 5, "slow": 10, "k": 2]) == "k")
        #expect(err(.rsiReversion, ["period": 14, "lower": 70, "upper": 30]) == "lower")
        #expect(err(.rsiReversion, ["period": 14, "lower": 30, "upper": 100]) == "lower")
        #expect(err(.bollingerBreakout, ["period": 20, "k": 0]) == "k")
        #expect(err(.macdCross, ["fast": 26, "slow": 12, "signal": 9]) == "fast")
        #expect(err(.donchianBreakout, ["entry": 20, "exit": -1]) == "exit")
        #expect(err(.buyHold, [:], sl: 0) == "stop_loss_pct")
        #expect(err(.smaCross, ["fast": .nan, "slow": 10]) == "fast")
        #expect(err(.smaCross, ["fast": 5, "slow": 10]) == nil)
        #expect(throws: BacktestError.self) { try StrategySpec(engine: .buyHold, parameters: ["allow_short": 2]) }
        let s = try? StrategySpec(engine: .smaCross, parameters: ["fast": 5, "slow": 10, "stop_loss_pct": 2, "allow_short": 1])
        #expect(s?.stopLossPct == 2 && s?.allowShort == true && s?.params == ["fast": 5, "slow": 10])
        #expect(Engine(rawValue: "donchian_breakout") == .donchianBreakout)
    }

    @Test func crossesAreStrictTwoBarRules() {
        let a: [Double] = [.nan, 1, 2, 2, 3, 1, 2]
        let b: [Double] = [1, 2, 2, 2, 2, 2, 2]
        // bar 4: 2 == 2 before, so no cross (strict); bar 5: 3 > 2 then 1 < 2: bearish.
        #expect(Signal.crosses(a, b) == [0, 0, 0, 0, 0, Signal.bearish, 0])
        #expect(Signal.crosses([1, 3], [2, 2]) == [0, Signal.bullish])
    }

    @Test func rsiBollingerAndDonchianRules() {
        #expect(Signal.rsiReversion([.nan, 20, 50, 80], lower: 30, upper: 70) == [0, Signal.bullish, 0, Signal.bearish])
        let close: [Double] = [10, 13, 9, 5, 11]
        let up: [Double] = [12, 12, 12, 12, 12], mid: [Double] = [10, 10, 10, 10, 10], lo: [Double] = [8, 8, 8, 8, 8]
        #expect(Signal.bollingerBreakout(close: close, upper: up, middle: mid, lower: lo)
                == [0, Signal.enterLong, Signal.exitLong, Signal.enterShort, Signal.exitShort])
        let c: [Double] = [5, 11, 5, 1, 12]
        let eu: [Double] = [10, 10, 10, 10, 10], el: [Double] = [2, 2, 2, 2, 2]
        let xu: [Double] = [8, 8, 8, 8, 8], xl: [Double] = [4, 4, 4, 4, 4]
        let f = Signal.donchianBreakout(close: c, entryUpper: eu, entryLower: el, exitUpper: xu, exitLower: xl)
        #expect(f[1] == Signal.enterLong | Signal.exitShort | Signal.exitShort)
        #expect(f[2] == 0)
        #expect(f[3] == Signal.exitLong | Signal.enterShort)
        #expect(f[4] == Signal.enterLong | Signal.exitShort)
    }

    @Test func donchianComparesWithThePreviousBarsChannel() throws {
        // Highs 10, 10, 10 then a close of 10.5 above the previous 3-bar high: long at bar 4's open.
        let c = Fixtures.bars([(9, 10, 8, 9), (9, 10, 8, 9), (9, 10, 8, 9), (9, 10.6, 9, 10.5), (10.5, 11, 10, 10.8)])
        let r = try Backtester.run(candles: c, spec: Fixtures.spec(.donchianBreakout, ["entry": 3, "exit": 2]))
        #expect(r.trades.first?.entryIndex == 4)
    }

    @Test(arguments: specs)
    func noLookAhead(spec: StrategySpec) throws {
        let c = Fixtures.randomWalk(3000, seed: 11)
        let other = Fixtures.randomWalk(3000, seed: 12, price: c.close[1500])
        for t in [400, 1500, 2500] {
            func mix(_ a: [Double], _ b: [Double]) -> [Double] { Array(a[...t]) + Array(b[(t + 1)...]) }
            let changed = Candles(unchecked: c.time, open: mix(c.open, other.open), high: mix(c.high, other.high),
                                  low: mix(c.low, other.low), close: mix(c.close, other.close), volume: mix(c.volume, other.volume))
            let a = try Backtester.run(candles: c, spec: spec)
            let b = try Backtester.run(candles: changed, spec: spec)
            let sa = Signal.compute(spec, cache: IndicatorCache(candles: c))
            let sb = Signal.compute(spec, cache: IndicatorCache(candles: changed))
            #expect(sa[...t] == sb[...t])
            #expect(a.equity[...t] == b.equity[...t])
            let closedA = a.trades.filter { $0.exitIndex <= t && $0.exitReason != .open }
            let closedB = b.trades.filter { $0.exitIndex <= t && $0.exitReason != .open }
            #expect(closedA == closedB)
            let enteredA = a.trades.filter { $0.entryIndex <= t }.map { [Double($0.entryIndex), $0.entryPrice, $0.size] }
            let enteredB = b.trades.filter { $0.entryIndex <= t }.map { [Double($0.entryIndex), $0.entryPrice, $0.size] }
            #expect(enteredA == enteredB)
            // The order decided at bar t's close: a trade entered or exited at bar t + 1's open by signal.
            let nextA = a.trades.filter { $0.entryIndex == t + 1 }.map(\.side)
            let nextB = b.trades.filter { $0.entryIndex == t + 1 }.map(\.side)
            #expect(nextA == nextB)
        }
    }

    @Test(arguments: specs)
    func everyStrategyTradesOnARandomWalk(spec: StrategySpec) throws {
        let r = try Backtester.run(candles: Fixtures.randomWalk(5000, seed: 5), spec: spec)
        #expect(!r.trades.isEmpty)
        #expect(r.trades.allSatisfy { $0.entryIndex <= $0.exitIndex && $0.size > 0 })
        #expect(r.equity.allSatisfy { $0.isFinite })
        if !spec.allowShort { #expect(r.trades.allSatisfy { $0.side == .long }) }
    }
}

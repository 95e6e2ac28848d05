import Testing
@testable import Backtest

@Suite struct FillModelTests {
    let L = Signal.enterLong, XL = Signal.exitLong, S = Signal.enterShort, XS = Signal.exitShort
    let noFees = RunSettings(feeRate: 0, slippageBps: 0, capital: 1000, lotSize: 0)

    @Test func signalOnACloseFillsAtTheNextOpen() {
        let c = Fixtures.bars([(100, 100, 100, 100), (110, 112, 108, 111), (120, 121, 119, 120), (130, 131, 124, 125)])
        let out = Fixtures.simulate(c, [L, 0, XL, 0], settings: noFees)
        #expect(out.trades.count == 1)
        let t = out.trades[0]
        #expect(t.entryIndex == 1 && t.entryPrice == 110 && t.entryTime == c.time[1])
        #expect(t.exitIndex == 3 && t.exitPrice == 130 && t.exitReason == .signal)
        #expect(close(t.size, 1000.0 / 110))
        #expect(close(t.pnl, 1000.0 / 110 * 20))
        #expect(close(out.stats.lastEquity, 1000.0 / 110 * 130))
        #expect(out.barsInPosition == 2)  // bars 1 and 2; the exit fills at bar 3's open
    }

    @Test func feesAreChargedOnTheNotionalOfBothFills() {
        let c = Fixtures.flat([100, 110, 120, 130])
        let s = RunSettings(feeRate: 0.001, slippageBps: 0, capital: 10_000, lotSize: 0.001)
        let out = Fixtures.simulate(c, [L, 0, XL, 0], settings: s)
        let t = out.trades[0]
        // 10000 / (110 × 1.001) = 90.8183...; rounded down to 0.001 -> 90.818
        #expect(close(t.size, 90.818))
        let entryFee = 90.818 * 110 * 0.001, exitFee = 90.818 * 130 * 0.001
        #expect(close(t.fees, entryFee + exitFee))
        #expect(close(t.pnl, 90.818 * 20 - entryFee - exitFee))
        #expect(close(t.returnPct, t.pnl / (90.818 * 110) * 100))
        #expect(close(out.feesPaid, entryFee + exitFee))
        #expect(close(out.stats.lastEquity, 10_000 + t.pnl))
    }

    @Test func slippageMovesEveryFillAgainstTheTrader() {
        let c = Fixtures.flat([100, 110, 120, 130, 120, 100])
        let s = RunSettings(feeRate: 0, slippageBps: 10, capital: 1000, lotSize: 0)
        let long = Fixtures.simulate(c, [L, 0, XL, 0, 0, 0], settings: s).trades[0]
        #expect(close(long.entryPrice, 110 * 1.001) && close(long.exitPrice, 130 * 0.999))
        let short = Fixtures.simulate(c, [0, 0, S, 0, XS, 0], spec: Fixtures.spec(.buyHold, short: true), settings: s).trades[0]
        #expect(short.side == .short)
        #expect(close(short.entryPrice, 130 * 0.999) && close(short.exitPrice, 100 * 1.001))
    }

    @Test func sizesRoundDownToTheLotAndFitFees() {
        func size(_ capital: Double, _ lot: Double, fee: Double = 0) -> Double {
            FillModel(RunSettings(feeRate: fee, slippageBps: 0, capital: capital, lotSize: lot)).quantity(cash: capital, price: 100)
        }
        #expect(size(1000, 1) == 10)
        #expect(size(1000, 3) == 9)
        #expect(close(size(1000, 0.3), 9.9))
        #expect(close(size(1000, 0.00000001), 10))
        #expect(size(1000, 1, fee: 0.001) == 9)       // 10 × 100 × 1.001 > 1000
        #expect(size(50, 1) == 0)                    // cannot afford one lot: no trade
        let c = Fixtures.flat([100, 100, 100])
        let out = Fixtures.simulate(c, [L, 0, 0], settings: RunSettings(feeRate: 0, capital: 50, lotSize: 1))
        #expect(out.trades.isEmpty && out.stats.lastEquity == 50)
    }

    @Test func stopFillsAtItsLevelOrAtAGapOpen() {
        let sl = Fixtures.spec(.buyHold, sl: 2)
        // Entry at 100 (bar 1); stop 98; bar 2 trades down to 97.5.
        var c = Fixtures.bars([(100, 100, 100, 100), (100, 101, 99, 100), (99, 99.5, 97.5, 98.5), (99, 99, 99, 99)])
        var t = Fixtures.simulate(c, [L, 0, 0, 0], spec: sl, settings: noFees).trades[0]
        #expect(t.exitReason == .stop && t.exitIndex == 2 && close(t.exitPrice, 98))
        // The bar opens below the stop: fill at the open.
        c = Fixtures.bars([(100, 100, 100, 100), (100, 101, 99, 100), (96, 97, 95, 96), (99, 99, 99, 99)])
        t = Fixtures.simulate(c, [L, 0, 0, 0], spec: sl, settings: noFees).trades[0]
        #expect(t.exitReason == .stop && t.exitPrice == 96)
        // The stop is live from the entry bar itself.
        c = Fixtures.bars([(100, 100, 100, 100), (100, 101, 97, 100), (99, 99, 99, 99)])
        t = Fixtures.simulate(c, [L, 0, 0], spec: sl, settings: noFees).trades[0]
        #expect(t.exitReason == .stop && t.exitIndex == 1 && close(t.exitPrice, 98))
    }

    @Test func takeFillsAtItsLevelAndStopWinsWhenBothAreTouched() {
        let spec = Fixtures.spec(.buyHold, sl: 2, tp: 5)
        var c = Fixtures.bars([(100, 100, 100, 100), (100, 101, 99, 100), (101, 106, 100, 104), (99, 99, 99, 99)])
        var t = Fixtures.simulate(c, [L, 0, 0, 0], spec: spec, settings: noFees).trades[0]
        #expect(t.exitReason == .take && close(t.exitPrice, 105))
        c = Fixtures.bars([(100, 100, 100, 100), (100, 101, 99, 100), (108, 109, 104, 104), (99, 99, 99, 99)])
        t = Fixtures.simulate(c, [L, 0, 0, 0], spec: spec, settings: noFees).trades[0]
        #expect(t.exitReason == .take && t.exitPrice == 108)  // gap above the take: the open
        c = Fixtures.bars([(100, 100, 100, 100), (100, 101, 99, 100), (100, 106, 97, 104), (99, 99, 99, 99)])
        t = Fixtures.simulate(c, [L, 0, 0, 0], spec: spec, settings: noFees).trades[0]
        #expect(t.exitReason == .stop && close(t.exitPrice, 98))
    }

    @Test func shortsMirrorLongs() {
        let spec = Fixtures.spec(.buyHold, sl: 2, tp: 5, short: true)
        let c = Fixtures.bars([(100, 100, 100, 100), (100, 101, 99, 100), (100, 103, 99, 101), (99, 99, 99, 99)])
        let out = Fixtures.simulate(c, [S, 0, 0, 0], spec: spec, settings: noFees)
        let t = out.trades[0]
        #expect(t.side == .short && t.exitReason == .stop && close(t.exitPrice, 102))
        #expect(close(t.pnl, -10 * 2))  // 10 units short from 100 to 102
        let c2 = Fixtures.flat([100, 100, 90, 80, 80])
        let o2 = Fixtures.simulate(c2, [S, 0, XS, 0, 0], spec: Fixtures.spec(.buyHold, short: true), settings: noFees)
        #expect(close(o2.trades[0].pnl, 10 * 20) && close(o2.stats.lastEquity, 1200))
        // Equity while short: cash - quantity × close.
        let c3 = Fixtures.flat([100, 100, 90])
        let o3 = Fixtures.simulate(c3, [S, 0, 0], spec: Fixtures.spec(.buyHold, short: true), settings: noFees)
        #expect(close(o3.stats.lastEquity, 1100))
    }

    @Test func shortsNeedAllowShort() {
        let c = Fixtures.flat([100, 100, 90, 80])
        let out = Fixtures.simulate(c, [S, 0, 0, 0], settings: noFees)
        #expect(out.trades.isEmpty)
    }

    @Test func anOppositeSignalReversesWhenShortsAreAllowed() {
        let c = Fixtures.flat([100, 100, 110, 120, 100, 100])
        let bull = Signal.bullish, bear = Signal.bearish
        let out = Fixtures.simulate(c, [bull, 0, bear, 0, 0, 0], spec: Fixtures.spec(.smaCross, ["fast": 1, "slow": 2], short: true),
                                    settings: noFees)
        #expect(out.trades.count == 2)
        #expect(out.trades[0].side == .long && out.trades[0].exitIndex == 3 && out.trades[0].exitReason == .signal)
        #expect(out.trades[1].side == .short && out.trades[1].entryIndex == 3 && out.trades[1].exitReason == .open)
    }

    @Test func anOpenPositionIsMarkedAtTheLastCloseWithoutExitFee() {
        let c = Fixtures.flat([100, 100, 120])
        let s = RunSettings(feeRate: 0.01, slippageBps: 0, capital: 1010, lotSize: 1)
        let r = try! Backtester.run(candles: c, spec: Fixtures.spec(.buyHold), settings: s)
        #expect(r.trades.count == 1)
        let t = r.trades[0]
        #expect(t.exitReason == .open && t.size == 10 && t.exitPrice == 120 && t.exitIndex == 2)
        #expect(close(t.fees, 10) && close(t.pnl, 200 - 10))
        #expect(close(r.metrics.finalEquity, 1010 - 1010 + 1200))
        #expect(r.metrics.nTrades == 0 && r.metrics.winRatePct == nil && close(r.metrics.feesPaid, 10))
        #expect(r.equity == [1010, 1000, 1200])
    }

    @Test func signalsOnTheLastBarAreNotFilled() {
        let c = Fixtures.flat([100, 100, 100])
        #expect(Fixtures.simulate(c, [0, 0, L], settings: noFees).trades.isEmpty)
    }
}

@Suite struct StartIndexTests {
    @Test func aLaterStartWarmsUpAndTradesFromItsFirstBar() throws {
        let c = Fixtures.flat([100, 100, 100, 100, 100, 110, 120, 130])
        let s = RunSettings(feeRate: 0, capital: 1000, lotSize: 0)
        let r = try Backtester.run(candles: c, spec: Fixtures.spec(.buyHold), settings: s, startIndex: 5)
        #expect(r.trades.first?.entryIndex == 5 && r.trades.first?.entryPrice == 110)
        #expect(r.equity.count == 3 && r.metrics.bars == 3)
        #expect(close(r.metrics.buyHoldReturnPct, 130.0 / 110 * 100 - 100))
        #expect(throws: BacktestError.self) { try Backtester.run(candles: c, spec: Fixtures.spec(.buyHold), startIndex: 8) }
    }
}

import Testing
@testable import Backtest

/// Swaps and futures: contract sizing, inverse settlement, funding, leverage and liquidation
/// (docs/metrics.md, "Contracts, margin, funding and liquidation").
@Suite struct ContractTests {
    let L = Signal.enterLong, XL = Signal.exitLong, S = Signal.enterShort, XS = Signal.exitShort

    func settings(_ terms: ContractTerms, capital: Double = 1000, fee: Double = 0, lot: Double = 1) -> RunSettings {
        RunSettings(feeRate: fee, slippageBps: 0, capital: capital, lotSize: lot, contract: terms)
    }

    func run(_ c: Candles, _ signals: [UInt8], _ s: RunSettings, short: Bool = false, sl: Double? = nil,
             market: ContractMarket = ContractMarket()) -> ContractSimulator.Output {
        ContractSimulator.run(candles: c, signals: signals, spec: Fixtures.spec(.buyHold, sl: sl, short: short),
                              settings: s, terms: s.contract!, market: market)
    }

    @Test func linearSizesInWholeLotsOfContractsWithNotionalCtValTimesPrice() {
        // 0.01 coin per contract, lots of 1 contract: 1000 / (0.01 × 110 × (1 + 0.001)) = 908.18... -> 908
        let s = settings(ContractTerms(settlement: .linear, contractValue: 0.01), fee: 0.001)
        let out = run(Fixtures.flat([100, 110, 120, 130]), [L, 0, XL, 0], s)
        let t = out.sim.trades[0]
        #expect(t.size == 908)
        let entryFee = 908 * 0.01 * 110 * 0.001, exitFee = 908 * 0.01 * 130 * 0.001
        #expect(close(t.fees, entryFee + exitFee))
        #expect(close(t.pnl, 908 * 0.01 * 20 - entryFee - exitFee))
        #expect(close(t.returnPct, t.pnl / (908 * 0.01 * 110) * 100))
        #expect(close(out.sim.stats.lastEquity, 1000 + t.pnl))
        #expect(close(out.summary.finalEquityQuote, out.sim.stats.lastEquity))
    }

    @Test func fractionalLotsRoundDownToTheLot() {
        let s = settings(ContractTerms(settlement: .linear, contractValue: 0.01), lot: 0.1)
        // 1000 / (0.01 × 110) = 909.09... -> 909.0 in lots of 0.1
        #expect(close(run(Fixtures.flat([100, 110, 120]), [L, 0, 0], s).sim.trades[0].size, 909.0))
    }

    @Test func leverageMultipliesTheContractsTheCashCarries() {
        let s = settings(ContractTerms(settlement: .linear, contractValue: 0.01, leverage: 5))
        let out = run(Fixtures.flat([100, 100, 101, 101]), [L, 0, XL, 0], s)
        #expect(out.sim.trades[0].size == 5000)             // 1000 × 5 / (0.01 × 100)
        #expect(close(out.sim.trades[0].pnl, 5000 * 0.01 * 1))  // 50: 5% on 1% move
    }

    @Test func inverseSettlesInCoinAndReportsQuoteToo() {
        // 100 USD per contract, 1 BTC capital at 20000: 1 / (100 / 20000) = 200 contracts
        let s = settings(ContractTerms(settlement: .inverse, contractValue: 100), capital: 1)
        let out = run(Fixtures.flat([20_000, 20_000, 25_000, 25_000]), [L, 0, XL, 0], s)
        let t = out.sim.trades[0]
        #expect(t.size == 200)
        let expected: Double = 200.0 * 100.0 * (1.0 / 20_000.0 - 1.0 / 25_000.0)   // 0.2 BTC
        #expect(close(t.pnl, expected))
        #expect(close(out.sim.stats.lastEquity, 1.2))
        #expect(close(out.summary.finalEquityQuote, 1.2 * 25_000))
    }

    @Test func inverseShortGainsCoinWhenThePriceFalls() {
        let s = settings(ContractTerms(settlement: .inverse, contractValue: 100), capital: 1)
        let out = run(Fixtures.flat([20_000, 20_000, 16_000, 16_000]), [S, 0, XS, 0], s, short: true)
        let expected: Double = -200.0 * 100.0 * (1.0 / 20_000.0 - 1.0 / 16_000.0)   // +0.25 BTC
        #expect(close(out.sim.trades[0].pnl, expected))
    }

    @Test func fundingIsPaidByLongsAndReceivedByShortsAtTheMark() {
        let c = Fixtures.flat([100, 100, 100, 100, 100])
        let s = settings(ContractTerms(settlement: .linear, contractValue: 0.01))
        let market = ContractMarket(funding: [
            FundingEvent(time: c.time[0], rate: 0.001, markPrice: 99),      // flat: nothing
            FundingEvent(time: c.time[2], rate: 0.001, markPrice: 101),
            FundingEvent(time: c.time[3] + 30_000, rate: -0.0005),          // inside bar 3: its open as mark
        ])
        let long = run(c, [L, 0, 0, 0, 0], s, market: market)
        #expect(long.summary.payments.count == 2)
        #expect(long.summary.payments[0] == FundingPayment(time: c.time[2], rate: 0.001, markPrice: 101, contracts: 1000,
                                                           amount: 1000 * 0.01 * 101 * 0.001))
        #expect(close(long.summary.payments[1].amount, 1000 * 0.01 * 100 * -0.0005))
        #expect(close(long.summary.fundingPaid, 1.01 - 0.5))
        #expect(close(long.sim.stats.lastEquity, 1000 - 0.51))
        let short = run(c, [S, 0, 0, 0, 0], s, short: true, market: market)
        #expect(close(short.summary.payments[0].amount, -1.01) && short.summary.payments[0].contracts == -1000)
        #expect(close(short.sim.stats.lastEquity, 1000 + 0.51))
    }

    @Test func liquidationPricesFollowTheMarginFormulas() {
        let lin = ContractTerms(settlement: .linear, contractValue: 0.01, leverage: 10, maintenanceMarginRatio: 0.005)
        #expect(close(lin.liquidationPrice(entry: 100, long: true), 100 * 0.9 / 0.995))
        #expect(close(lin.liquidationPrice(entry: 100, long: false), 100 * 1.1 / 1.005))
        let inv = ContractTerms(settlement: .inverse, contractValue: 100, leverage: 10, maintenanceMarginRatio: 0.005)
        #expect(close(inv.liquidationPrice(entry: 100, long: true), 100 * 1.005 / 1.1))
        #expect(close(inv.liquidationPrice(entry: 100, long: false), 100 * 0.995 / 0.9))
        // at the liquidation price, margin + PnL equals the maintenance margin
        let p = lin.liquidationPrice(entry: 100, long: true)
        #expect(close(lin.margin(1, entry: 100) + lin.pnl(1, entry: 100, price: p), 0.005 * lin.notional(1, p)))
        let pi = inv.liquidationPrice(entry: 100, long: true)
        #expect(close(inv.margin(1, entry: 100) + inv.pnl(1, entry: 100, price: pi), 0.005 * inv.notional(1, pi)))
        #expect(ContractTerms(settlement: .inverse, contractValue: 1).liquidationPrice(entry: 100, long: false) == .infinity)
    }

    @Test func aMarkCrossingTheLiquidationPriceEndsTheTrade() {
        let terms = ContractTerms(settlement: .linear, contractValue: 0.01, leverage: 10, maintenanceMarginRatio: 0.005)
        let s = settings(terms, fee: 0.0005)
        let liq = 100 * 0.9 / 0.995
        // bar 2 trades down to 91 only, but its mark low reaches 90
        let c = Fixtures.bars([(100, 100, 100, 100), (100, 100, 99, 99), (95, 96, 91, 92), (92, 92, 92, 92)])
        let mark = MarkPrices(high: [.nan, .nan, 96, .nan], low: [.nan, .nan, 90, .nan])
        let out = run(c, [L, 0, 0, 0], s, market: ContractMarket(mark: mark))
        let t = out.sim.trades[0]
        #expect(t.exitReason == .liquidation && t.exitIndex == 2 && close(t.exitPrice, liq))
        #expect(out.summary.liquidations == 1 && out.sim.trades.count == 1)
        // without mark candles the trade low (91) does not reach 90.45: still open
        #expect(run(c, [L, 0, 0, 0], s).sim.trades[0].exitReason == .open)
        // the loss is the margin less what maintenance leaves, less fees: equity stays positive
        #expect(out.sim.stats.lastEquity > 0 && out.sim.stats.lastEquity < 1000)
    }

    @Test func aStopNearerTheEntryComesBeforeTheLiquidation() {
        let terms = ContractTerms(settlement: .linear, contractValue: 0.01, leverage: 10, maintenanceMarginRatio: 0.005)
        let c = Fixtures.bars([(100, 100, 100, 100), (100, 100, 99, 99), (95, 96, 80, 92)])
        #expect(run(c, [L, 0, 0], settings(terms), sl: 5).sim.trades[0].exitReason == .stop)
        #expect(run(c, [L, 0, 0], settings(terms), sl: 15).sim.trades[0].exitReason == .liquidation)
    }

    @Test func badContractSettingsAreRefusedNamingTheField() {
        func field(_ t: ContractTerms) -> String? {
            do { try settings(t).validate(); return nil } catch BacktestError.invalidSetting(let name, _) { return name } catch { return "?" }
        }
        #expect(field(ContractTerms(settlement: .linear, contractValue: 0.01, leverage: 0.5)) == "leverage")
        #expect(field(ContractTerms(settlement: .linear, contractValue: 0.01, maintenanceMarginRatio: 0)) == "maintenance_margin_ratio")
        #expect(field(ContractTerms(settlement: .linear, contractValue: 0.01, maintenanceMarginRatio: 1)) == "maintenance_margin_ratio")
        #expect(field(ContractTerms(settlement: .linear, contractValue: 0.01, leverage: 100, maintenanceMarginRatio: 0.01)) == "maintenance_margin_ratio")
        #expect(field(ContractTerms(settlement: .linear, contractValue: 0)) == "ct_val")
        #expect(field(ContractTerms(settlement: .linear, contractValue: 0.01, leverage: 20)) == nil)
    }

    @Test func backtesterRoutesContractsAndLeavesSpotAlone() throws {
        let c = Fixtures.randomWalk(500, seed: 7)
        let spec = Fixtures.spec(.smaCross, ["fast": 5, "slow": 20])
        let spot = try Backtester.run(candles: c, spec: spec)
        #expect(spot.contract == nil)
        // a linear contract of 1 coin at 1x without funding is spot with another lot
        let lin = try Backtester.run(candles: c, spec: spec, settings: RunSettings(
            lotSize: 0.000_000_01, contract: ContractTerms(settlement: .linear, contractValue: 1)))
        #expect(lin.contract?.liquidations == 0)
        #expect(lin.trades.count == spot.trades.count)
        #expect(close(lin.metrics.finalEquity, spot.metrics.finalEquity, 1e-6))
    }
}

/// The worked example of docs/metrics.md ("Contracts, margin, funding and liquidation"), number for number.
@Suite struct ContractWorkedExampleTests {
    func r6(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }

    @Test func workedExampleOfDocsMetrics() throws {
        let h4: Int64 = 4 * 3_600_000
        let c = Fixtures.bars([(40000, 40000, 40000, 40000), (40000, 40300, 39900, 40200),
                               (40200, 40600, 40100, 40500), (38000, 38200, 36500, 37000)], step: h4)
        let terms = ContractTerms(settlement: .linear, contractValue: 0.01, leverage: 10, maintenanceMarginRatio: 0.005)
        let s = RunSettings(feeRate: 0.0005, slippageBps: 0, capital: 1000, lotSize: 0.01, contract: terms)
        let market = ContractMarket(funding: [FundingEvent(time: c.time[2], rate: 0.0001, markPrice: 40100)],
                                    mark: MarkPrices(high: [.nan, .nan, .nan, .nan], low: [.nan, .nan, .nan, 36000]))
        let L = Signal.enterLong
        let out = ContractSimulator.run(candles: c, signals: [L, 0, 0, 0], spec: Fixtures.spec(.buyHold), settings: s,
                                        terms: terms, market: market)
        var equity = [Double](repeating: 0, count: 4)
        _ = equity.withUnsafeMutableBufferPointer {
            ContractSimulator.run(candles: c, signals: [L, 0, 0, 0], spec: Fixtures.spec(.buyHold), settings: s,
                                  terms: terms, market: market, equityOut: $0.baseAddress)
        }
        let t = out.sim.trades[0]
        // 1. size, notional, entry fee, margin
        #expect(t.size == 24.87)
        #expect(r6(terms.notional(t.size, t.entryPrice)) == 9948)
        #expect(r6(terms.notional(t.size, t.entryPrice) * 0.0005) == 4.974)
        #expect(r6(terms.margin(t.size, entry: 40000)) == 994.8)
        // 2. liquidation price
        #expect(terms.liquidationPrice(entry: 40000, long: true) == 36180.904522613065)
        // 3. funding and the equity at bar 2's close
        #expect(out.summary.payments.count == 1 && r6(out.summary.payments[0].amount) == 0.997287)
        #expect(r6(equity[2]) == 1118.378713)
        // 4. liquidation at bar 3
        #expect(t.exitReason == .liquidation && t.exitIndex == 3)
        #expect(t.exitPrice == 36180.904522613065)
        let gross = terms.pnl(t.size, entry: t.entryPrice, price: t.exitPrice)
        #expect(r6(gross) == -949.809045)
        #expect(r6(t.fees - 4.974) == 4.499095)
        #expect(r6(t.pnl) == -959.282141)
        #expect(r6(t.returnPct) == -9.642965)
        #expect(r6(terms.margin(t.size, entry: 40000) + gross) == 44.990955)
        #expect(r6(0.005 * terms.notional(t.size, t.exitPrice)) == 44.990955)
        // 5. final equity, funding paid, liquidations
        #expect(r6(out.sim.stats.lastEquity) == 39.720572)
        #expect(r6(out.summary.fundingPaid) == 0.997287 && out.summary.liquidations == 1)
        // inverse funding analogue
        let inverse = ContractTerms(settlement: .inverse, contractValue: 100)
        #expect(inverse.funding(100, mark: 40000, rate: 0.0001) == 0.000025)
    }
}

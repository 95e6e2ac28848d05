import Testing
@testable import Backtest

@Suite struct InputValidationTests {
    @Test func candlesRefuseInconsistentColumns() {
        #expect(throws: BacktestError.self) {
            try Candles(time: [1, 2], open: [1], high: [1, 1], low: [1, 1], close: [1, 1], volume: [1, 1])
        }
        #expect(throws: BacktestError.self) {
            try Candles(time: [2, 1], open: [1, 1], high: [1, 1], low: [1, 1], close: [1, 1], volume: [1, 1])
        }
        #expect(throws: BacktestError.self) {
            try Candles(time: [1], open: [.nan], high: [1], low: [1], close: [1], volume: [1])
        }
        #expect(throws: BacktestError.self) {
            try Candles(time: [1], open: [2], high: [1.5], low: [1], close: [1], volume: [1])  // high < open
        }
        let ok = try? Candles(time: [1, 2], open: [1, 2], high: [2, 3], low: [0.5, 1], close: [2, 2.5], volume: [0, 1])
        #expect(ok?.count == 2)
        #expect(ok?.firstIndex(atOrAfter: 2) == 1 && ok?.firstIndex(atOrAfter: 3) == 2)
    }

    @Test func settingsAreChecked() {
        func name(_ s: RunSettings) -> String? {
            do { try s.validate(); return nil } catch let BacktestError.invalidSetting(n, _) { return n } catch { return "?" }
        }
        #expect(name(RunSettings()) == nil)
        #expect(name(RunSettings(feeRate: -0.1)) == "fee_rate")
        #expect(name(RunSettings(slippageBps: -1)) == "slippage_bps")
        #expect(name(RunSettings(capital: 0)) == "capital")
        #expect(name(RunSettings(lotSize: .nan)) == "lot_size")
        #expect(throws: BacktestError.self) {
            try Backtester.run(candles: Fixtures.flat([1, 2]), spec: Fixtures.spec(.buyHold), settings: RunSettings(capital: -1))
        }
    }

    @Test func errorsDescribeTheField() {
        let e = BacktestError.invalidParameter(name: "fast", message: "sma_cross: fast must be < slow")
        #expect(e.description.contains("\"fast\"") && e.description.contains("< slow"))
    }
}

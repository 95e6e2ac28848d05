/// How training windows move.
public enum WalkForwardMode: String, Sendable, Codable {
    /// Training windows of fixed length slide forward by the test length.
    case rolling
    /// Training windows all start at the first candle and grow by the test length.
    case anchored
}

/// One train/test step of a walk-forward analysis. Times are Unix ms, ends exclusive.
public struct WalkForwardWindow: Sendable, Equatable {
    public var trainStart: Int64
    public var trainEnd: Int64
    public var testStart: Int64
    public var testEnd: Int64
    /// The training winner's flat parameters; nil when no combination qualified (the test
    /// window then stays in cash).
    public var params: [String: Double]?
    /// The winner's metrics on the training window.
    public var inSample: Metrics?
    /// The winner's metrics on the test window.
    public var outOfSample: Metrics?
    /// Trades of the test window (numbered within the window).
    public var trades: [Trade]
    /// Grid combinations skipped as invalid.
    public var skipped: Int
}

/// Result of a walk-forward analysis.
public struct WalkForwardResult: Sendable, Equatable {
    public var windows: [WalkForwardWindow]
    /// Open times of the stitched out-of-sample bars.
    public var time: [Int64]
    /// Stitched out-of-sample equity: each test window starts from the previous one's ending equity.
    public var equity: [Double]
    /// Downsampled stitched curve for storage.
    public var curve: [EquityPoint]
    /// Metrics of the stitched out-of-sample run (all test windows' trades).
    public var metrics: Metrics
    /// Mean of the winners' in-sample CAGR, percent.
    public var inSampleAnnualisedReturnPct: Double?
    /// CAGR of the stitched out-of-sample equity, percent.
    public var outOfSampleAnnualisedReturnPct: Double?
    /// Out-of-sample annualised return / in-sample annualised return; nil when either is undefined
    /// or the in-sample figure is 0.
    public var efficiency: Double?
    /// Funding and liquidations of the stitched test windows (a contract run; nil for spot):
    /// every window's payments, their sum, the liquidations, and the final equity in the quote
    /// currency.
    public var contract: ContractSummary?
}

/// Walk-forward optimisation: optimise on each training window, trade the winner on the next.
public enum WalkForward {
    /// Runs the analysis.
    ///
    /// Window k (k = 0, 1, ...): training `[trainStart, t0 + train + k·test)` where trainStart is
    /// `t0 + k·test` (rolling) or `t0` (anchored); test `[trainEnd, trainEnd + test)`, cut at the
    /// last candle; windows continue while the test window holds a candle. The test run uses the
    /// training bars to warm up its indicators and trades from the test window's first bar; no
    /// test bar is seen by the optimisation. A position open at a test window's end is closed at
    /// its last close with slippage and exit fee (exit reason window_end), and the next window
    /// starts from that cash; only the last window may end with an open (marked) position. A
    /// contract run (`settings.contract`, `market` aligned with `candles`) gives each training and
    /// test run its slice of the market (ContractMarket.slice): the test windows pay the funding of
    /// their own bars and meet their liquidations, summed in `contract`.
    public static func run(candles: Candles, engine: Engine, grid: [String: [Double]],
                           fixed: [String: Double] = [:], settings: RunSettings = RunSettings(),
                           objective: String, minTrades: Int = 0,
                           trainMs: Int64, testMs: Int64, mode: WalkForwardMode = .rolling,
                           market: ContractMarket? = nil,
                           progress: (@Sendable (Double) -> Void)? = nil,
                           isCancelled: (@Sendable () -> Bool)? = nil) throws -> WalkForwardResult {
        try settings.validate()
        guard trainMs > 0 else { throw BacktestError.invalidParameter(name: "train_ms", message: "must be > 0, got \(trainMs)") }
        guard testMs > 0 else { throw BacktestError.invalidParameter(name: "test_ms", message: "must be > 0, got \(testMs)") }
        guard candles.count > 1 else { throw BacktestError.notEnoughData("walk-forward needs candles") }
        let t0 = candles.time[0], tLast = candles.time[candles.count - 1]
        var bounds: [(Int64, Int64, Int64)] = []  // (train start, train end = test start, test end)
        var k: Int64 = 0
        while true {
            let trainEnd = t0 + trainMs + k * testMs
            if trainEnd > tLast { break }
            bounds.append((mode == .rolling ? t0 + k * testMs : t0, trainEnd, trainEnd + testMs))
            k += 1
        }
        guard !bounds.isEmpty else {
            throw BacktestError.notEnoughData("the candles span less than one training window plus one test bar")
        }
        var windows: [WalkForwardWindow] = []
        var time: [Int64] = [], equity: [Double] = []
        var stats = EquityStats(capital: settings.capital)
        var allTrades: [Trade] = []
        var exposure = 0, fees = 0.0
        var current = settings.capital
        var inSampleCAGR: [Double] = []
        var firstOpen: Double? = nil
        var lastClose = 0.0
        var payments: [FundingPayment] = [], liquidations = 0
        let windowCount = Double(bounds.count)
        for (w, (trainStart, trainEnd, testEnd)) in bounds.enumerated() {
            if isCancelled?() == true { throw BacktestError.cancelled }
            let iTrain = candles.firstIndex(atOrAfter: trainStart)
            let iTest = candles.firstIndex(atOrAfter: trainEnd)
            let iEnd = candles.firstIndex(atOrAfter: testEnd)
            guard iTest > iTrain, iEnd > iTest else { continue }
            let frac = Double(w) / windowCount
            let opt = try Optimizer.run(
                candles: candles.slice(iTrain..<iTest), engine: engine, grid: grid, fixed: fixed,
                settings: settings, objective: objective, minTrades: minTrades,
                market: market?.slice(iTrain..<iTest, of: candles),
                progress: progress.map { p in { @Sendable f in p(frac + f / windowCount) } },
                isCancelled: isCancelled)
            var window = WalkForwardWindow(trainStart: trainStart, trainEnd: trainEnd, testStart: trainEnd,
                                           testEnd: testEnd, params: nil, inSample: nil, outOfSample: nil,
                                           trades: [], skipped: opt.skipped)
            var s = settings
            s.capital = current
            let testCandles = candles.slice(iTrain..<iEnd)
            var testEquity: [Double]
            if let best = opt.best {
                let spec = try StrategySpec(engine: engine, parameters: best.params)
                let r = try Backtester.run(candles: testCandles, spec: spec, settings: s, startIndex: iTest - iTrain,
                                           maxCurvePoints: 2, closeAtEnd: w < bounds.count - 1,
                                           market: market?.slice(iTrain..<iEnd, of: candles))
                window.params = best.params
                window.inSample = best.metrics
                window.outOfSample = r.metrics
                window.trades = r.trades
                if let c = best.metrics.cagrPct { inSampleCAGR.append(c) }
                exposure += Int((r.metrics.exposurePct / 100 * Double(r.metrics.bars)).rounded())
                fees += r.metrics.feesPaid
                testEquity = r.equity
                if let c = r.contract { payments += c.payments; liquidations += c.liquidations }
            } else {
                testEquity = [Double](repeating: current, count: iEnd - iTest)
            }
            for (j, e) in testEquity.enumerated() {
                stats.add(time: candles.time[iTest + j], equity: e)
                time.append(candles.time[iTest + j])
                equity.append(e)
            }
            for var tr in window.trades {
                tr.n = allTrades.count + 1
                tr.entryIndex += iTrain; tr.exitIndex += iTrain
                allTrades.append(tr)
            }
            current = testEquity.last ?? current
            if firstOpen == nil { firstOpen = candles.open[iTest] }
            lastClose = candles.close[iEnd - 1]
            windows.append(window)
        }
        stats.finish()
        let metrics = Metrics.compute(stats: stats, trades: allTrades, barsInPosition: exposure, feesPaid: fees,
                                      firstOpen: firstOpen ?? candles.open[0], lastClose: lastClose)
        let isReturn = inSampleCAGR.isEmpty ? nil : inSampleCAGR.reduce(0, +) / Double(inSampleCAGR.count)
        var efficiency: Double? = nil
        if let i = isReturn, let o = metrics.cagrPct, i != 0 { efficiency = o / i }
        progress?(1)
        var contract: ContractSummary? = nil
        if let terms = settings.contract {
            let final = equity.last ?? settings.capital
            contract = ContractSummary(payments: payments, fundingPaid: payments.reduce(0) { $0 + $1.amount },
                                       liquidations: liquidations,
                                       finalEquityQuote: terms.settlement == .inverse ? final * lastClose : final)
        }
        return WalkForwardResult(windows: windows, time: time, equity: equity,
                                 curve: EquityCurve.downsample(time: time, equity: equity, capital: settings.capital),
                                 metrics: metrics, inSampleAnnualisedReturnPct: isReturn,
                                 outOfSampleAnnualisedReturnPct: metrics.cagrPct, efficiency: efficiency,
                                 contract: contract)
    }
}

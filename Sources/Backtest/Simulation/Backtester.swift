/// Result of one backtest run.
public struct BacktestResult: Sendable, Equatable {
    public var spec: StrategySpec
    public var settings: RunSettings
    /// Closed trades in order, then the open position at the end if any (`exitReason == .open`).
    public var trades: [Trade]
    /// Index of the first evaluated candle (0 unless the run started later, e.g. a walk-forward test window).
    public var startIndex: Int
    /// Close-marked equity of every evaluated bar: `equity[i]` belongs to `candles.time[startIndex + i]`.
    public var equity: [Double]
    public var metrics: Metrics
    /// Downsampled curve for storage (at most `maxCurvePoints`, see `EquityCurve.downsample`).
    public var curve: [EquityPoint]
    /// Funding payments, funding paid, liquidations and quote equity of a contract run; nil for spot.
    public var contract: ContractSummary? = nil
}

/// Runs one strategy over candle columns.
public enum Backtester {
    /// Runs `spec` over `candles`, trading from `startIndex` (earlier bars only warm up indicators;
    /// a signal on bar `startIndex - 1` fills at bar `startIndex`'s open).
    ///
    /// - Parameters:
    ///   - cache: indicator cache of these same candles, to share indicators between runs.
    ///   - maxCurvePoints: bound of the downsampled curve.
    ///   - closeAtEnd: close a position still open at the last bar (fee and slippage charged,
    ///     `exitReason == .windowEnd`) instead of marking it (`.open`); walk-forward windows.
    ///   - market: funding times and mark prices of a contract run (`settings.contract` set);
    ///     ignored for spot.
    /// - Throws: `BacktestError` for invalid settings or an empty range.
    public static func run(candles: Candles, spec: StrategySpec, settings: RunSettings = RunSettings(),
                           startIndex: Int = 0, cache: IndicatorCache? = nil,
                           maxCurvePoints: Int = 2000, closeAtEnd: Bool = false,
                           market: ContractMarket? = nil) throws -> BacktestResult {
        try settings.validate()
        try checkRange(candles, startIndex)
        let cache = cache ?? IndicatorCache(candles: candles)
        let signals = Signal.compute(spec, cache: cache, startIndex: startIndex)
        let m = candles.count - startIndex
        var equity = [Double](repeating: 0, count: m)
        var summary: ContractSummary? = nil
        let out = equity.withUnsafeMutableBufferPointer { buf in
            if let terms = settings.contract {
                let o = ContractSimulator.run(candles: candles, signals: signals, spec: spec, settings: settings,
                                              terms: terms, market: market ?? ContractMarket(), start: startIndex,
                                              closeAtEnd: closeAtEnd, equityOut: buf.baseAddress)
                summary = o.summary
                return o.sim
            }
            return Simulator.run(candles: candles, signals: signals, spec: spec, settings: settings,
                                 start: startIndex, closeAtEnd: closeAtEnd, equityOut: buf.baseAddress)
        }
        let metrics = Metrics.compute(stats: out.stats, trades: out.trades, barsInPosition: out.barsInPosition,
                                      feesPaid: out.feesPaid, firstOpen: candles.open[startIndex],
                                      lastClose: candles.close[candles.count - 1])
        let curve = EquityCurve.downsample(time: Array(candles.time[startIndex...]), equity: equity,
                                           capital: settings.capital, maxPoints: maxCurvePoints)
        return BacktestResult(spec: spec, settings: settings, trades: out.trades, startIndex: startIndex,
                              equity: equity, metrics: metrics, curve: curve, contract: summary)
    }

    /// Metrics and trades only, without keeping the equity column (what a grid uses).
    public static func evaluate(cache: IndicatorCache, spec: StrategySpec, settings: RunSettings = RunSettings(),
                                startIndex: Int = 0, market: ContractMarket? = nil) throws -> (metrics: Metrics, trades: [Trade]) {
        try settings.validate()
        let candles = cache.candles
        try checkRange(candles, startIndex)
        let signals = Signal.compute(spec, cache: cache, startIndex: startIndex)
        let out = settings.contract.map {
            ContractSimulator.run(candles: candles, signals: signals, spec: spec, settings: settings, terms: $0,
                                  market: market ?? ContractMarket(), start: startIndex).sim
        } ?? Simulator.run(candles: candles, signals: signals, spec: spec, settings: settings, start: startIndex)
        let metrics = Metrics.compute(stats: out.stats, trades: out.trades, barsInPosition: out.barsInPosition,
                                      feesPaid: out.feesPaid, firstOpen: candles.open[startIndex],
                                      lastClose: candles.close[candles.count - 1])
        return (metrics, out.trades)
    }

    /// Runs the bar loop alone on precomputed signal flags (see `Signal`); for benchmarks.
    /// Returns the final equity and the number of trades.
    public static func simulate(candles: Candles, signals: [UInt8], spec: StrategySpec,
                                settings: RunSettings = RunSettings()) -> (finalEquity: Double, trades: Int) {
        let out = Simulator.run(candles: candles, signals: signals, spec: spec, settings: settings)
        return (out.stats.lastEquity, out.trades.count)
    }

    static func checkRange(_ candles: Candles, _ start: Int) throws {
        guard candles.count > 0 else { throw BacktestError.notEnoughData("no candles") }
        guard start >= 0, start < candles.count else {
            throw BacktestError.invalidParameter(name: "start_index", message: "must be in 0..<\(candles.count), got \(start)")
        }
    }
}

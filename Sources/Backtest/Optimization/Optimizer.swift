import Foundation
import Guarded
import Dispatch

/// One evaluated grid combination.
public struct OptimizationRow: Sendable, Equatable {
    /// Fixed parameters merged with this combination's values (flat, as `StrategySpec(engine:parameters:)` takes).
    public var params: [String: Double]
    public var metrics: Metrics
}

/// Result of a grid search.
public struct OptimizationResult: Sendable, Equatable {
    /// Every valid combination, in grid order (keys sorted by name, last key varying fastest).
    public var rows: [OptimizationRow]
    /// Index into `rows` of the best row by the objective among rows with at least `minTrades`
    /// closed trades and a defined objective value; nil if none qualifies.
    public var bestIndex: Int?
    /// Combinations rejected by parameter validation (e.g. fast >= slow).
    public var skipped: Int
    public var objective: String

    /// The winning row, if any.
    public var best: OptimizationRow? { bestIndex.map { rows[$0] } }
}

/// Grid search over strategy parameters, evaluated in parallel on all cores.
public enum Optimizer {
    /// Evaluates every combination of `grid` (parameter -> values) merged over `fixed`.
    ///
    /// Keys may include `stop_loss_pct`, `take_profit_pct` and `allow_short` (0/1). Candles are
    /// shared, each indicator is computed once (one `IndicatorCache`), and only metrics are kept
    /// per combination. Ties on the objective go to the earliest row.
    ///
    /// - Parameters:
    ///   - objective: a name from `Metrics.names`; higher is better except where
    ///     `Metrics.lowerIsBetter` (max_drawdown_pct, ...).
    ///   - minTrades: closed trades a row needs to be eligible as best.
    ///   - startIndex: first traded bar (earlier bars warm up indicators).
    ///   - market: funding and mark prices of a contract run (`settings.contract` set), aligned
    ///     with `candles`; each combination pays the funding and meets the liquidations of its
    ///     positions, as `Backtester.run` does.
    ///   - progress: called with the fraction done (0...1) from worker threads.
    ///   - isCancelled: polled before each combination; when true the run throws `BacktestError.cancelled`.
    public static func run(candles: Candles, engine: Engine, grid: [String: [Double]],
                           fixed: [String: Double] = [:], settings: RunSettings = RunSettings(),
                           objective: String, minTrades: Int = 0, startIndex: Int = 0,
                           cache: IndicatorCache? = nil, market: ContractMarket? = nil,
                           progress: (@Sendable (Double) -> Void)? = nil,
                           isCancelled: (@Sendable () -> Bool)? = nil) throws -> OptimizationResult {
        try settings.validate()
        _ = try Metrics(zeroFor: 0).value(named: objective)  // throws for an unknown name
        try Backtester.checkRange(candles, startIndex)
        for (k, v) in grid where v.isEmpty {
            throw BacktestError.invalidParameter(name: k, message: "grid values must not be empty")
        }
        let specs = combinations(grid: grid, fixed: fixed).compactMap { p -> (params: [String: Double], spec: StrategySpec)? in
            (try? StrategySpec(engine: engine, parameters: p)).map { (p, $0) }
        }
        let total = combinationCount(grid)
        let skipped = total - specs.count
        let cache = cache ?? IndicatorCache(candles: candles)
        let box = ResultBox(count: specs.count)
        DispatchQueue.concurrentPerform(iterations: specs.count) { i in
            if box.cancelled { return }
            if let isCancelled, isCancelled() { box.cancel(); return }
            let spec = specs[i].spec
            if let r = try? Backtester.evaluate(cache: cache, spec: spec, settings: settings, startIndex: startIndex,
                                                 market: market) {
                let done = box.set(i, r.metrics)
                progress?(Double(done) / Double(max(1, specs.count)))
            }
        }
        if box.cancelled { throw BacktestError.cancelled }
        var rows: [OptimizationRow] = []
        rows.reserveCapacity(specs.count)
        for (i, m) in box.results.enumerated() { if let m { rows.append(OptimizationRow(params: specs[i].params, metrics: m)) } }
        let lower = Metrics.lowerIsBetter(objective)
        var bestIndex: Int? = nil
        var bestValue = 0.0
        for (i, row) in rows.enumerated() where row.metrics.nTrades >= minTrades {
            guard let v = try row.metrics.value(named: objective) else { continue }
            if bestIndex == nil || (lower ? v < bestValue : v > bestValue) { bestIndex = i; bestValue = v }
        }
        return OptimizationResult(rows: rows, bestIndex: bestIndex, skipped: skipped, objective: objective)
    }

    /// Number of combinations of a grid (product of the value counts).
    public static func combinationCount(_ grid: [String: [Double]]) -> Int {
        grid.values.reduce(1) { $0 * $1.count }
    }

    /// Every combination of `grid` merged over `fixed`; keys sorted, the last key varies fastest.
    public static func combinations(grid: [String: [Double]], fixed: [String: Double]) -> [[String: Double]] {
        var out: [[String: Double]] = [fixed]
        for key in grid.keys.sorted() {
            var next: [[String: Double]] = []
            next.reserveCapacity(out.count * grid[key]!.count)
            for base in out {
                for v in grid[key]! { var p = base; p[key] = v; next.append(p) }
            }
            out = next
        }
        return out
    }
}

/// Results written by worker threads.
private final class ResultBox: Sendable {
    private struct State { var results: [Metrics?]; var done = 0; var cancelled = false }
    private let state: Guarded<State>

    init(count: Int) { state = Guarded(State(results: Array(repeating: nil, count: count))) }

    var results: [Metrics?] { state.withLock { $0.results } }
    // Scalars are read inside the lock: copying the whole state out would retain the results
    // array and make the next writer copy it.
    var cancelled: Bool { state.withLock { $0.cancelled } }
    func cancel() { state.withLock { $0.cancelled = true } }

    /// Stores row `i` and returns how many rows are done.
    func set(_ i: Int, _ m: Metrics) -> Int {
        state.withLock { s in
            s.results[i] = m
            s.done += 1
            return s.done
        }
    }
}

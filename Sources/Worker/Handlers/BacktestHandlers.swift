import Backtest
import Foundation
import Postgres

/// The handlers of the backtest job kinds: backtest, optimize, walk_forward.
public func backtestHandlers() -> [any JobHandler] {
    [BacktestHandler(), OptimizeHandler(), WalkForwardHandler()]
}

/// The types `backtestHandlers()` makes, in the same order (WorkerHandlers.kinds reads them).
let backtestHandlerTypes: [any JobHandler.Type] = [BacktestHandler.self, OptimizeHandler.self, WalkForwardHandler.self]

/// Kind backtest: one strategy over [from, to); stores the run, trades, equity and metrics.
public struct BacktestHandler: JobHandler {
    public func prepare(_ database: Database) async throws { try await EngineCatalog.verify(database) }
    public static let kind = "backtest"
    public init() {}

    static let strategyQuery = "select engine, params::text as params from backtest.strategies where name = $1"

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        let started = Date()
        let p = try BacktestPayload.decode(job)
        var engine = p.engine ?? ""
        var params = p.flatParams
        if let name = p.strategy {
            guard let row = try await context.database.query(Self.strategyQuery, [name]).first else {
                throw JobFailure.permanent("backtest: strategy \"\(name)\" is not in backtest.strategies")
            }
            engine = try row.required("engine", row.string)
            params = try BacktestJSON.decodeParams(try row.required("params", row.string))
        }
        let spec = try BacktestRunner.spec(engine: engine, params: params, kind: kind)
        let settings = p.settings
        let (loaded, market) = try await BacktestRunner.loadWithMarket(p, context, settings: settings)
        let candles = loaded.candles
        try await context.progress(0.3, "running \(engine) on \(loaded.candles.count) candles")
        let t = BacktestRunner.now()
        let result = try await BacktestRunner.compute(context, from: 0.3, to: 0.8, message: "computing") { _ in
            try Backtester.run(candles: candles, spec: spec, settings: settings, market: market)
        }
        let computeMs = BacktestRunner.ms(since: t)
        try await context.progress(0.8, "storing results")
        let record = RunRecord(jobID: job.id, attempt: job.attempt, kind: "backtest", strategy: p.strategy, engine: engine,
                               params: spec.flatParameters, payload: p, loaded: loaded, startedAt: started,
                               computeMs: computeMs,
                               note: BacktestHandler.note(loaded, extra: BacktestHandler.fundingNote(p)))
        let results = RunResults(trades: result.trades, curve: result.curve, metrics: result.metrics)
        let summary = result.contract
        let runID = try await context.database.transaction { c in
            let s = BacktestRunner.now()
            let id = try ResultWriter.write(c, record: record, results: results)
            if let terms = settings.contract, let summary {
                try ResultWriter.writeContract(c, runID: id, payload: p, terms: terms, summary: summary, hasMetrics: true)
            }
            try ResultWriter.finish(c, runID: id, since: s)
            return id
        }
        var out = BacktestRunner.headline(result.metrics)
        out["run_id"] = runID
        out["candles"] = loaded.candles.count
        if let summary {
            out["funding_paid"] = summary.fundingPaid
            out["liquidations"] = summary.liquidations
        }
        return try JSONText(object: out)
    }

    /// The run's note when a contract payload ignores funding.
    static func fundingNote(_ p: BacktestPayload) -> String? {
        p.contract != nil && !p.chargesFunding ? "funding ignored (payload \"funding\": \"ignore\"): no funding charged" : nil
    }

    static func note(_ l: LoadedCandles, extra: String? = nil) -> String? {
        var parts: [String] = []
        if l.resampled { parts.append("resampled from 1m candles with market.resample") }
        if l.missingBars > 0 { parts.append("\(l.missingBars) bars missing in \(l.gapCount) gaps (market.gaps)") }
        if let extra { parts.append(extra) }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}

/// Kind optimize: the grid on candles loaded once; every combination stored, plus the full run of the best.
public struct OptimizeHandler: JobHandler {
    public func prepare(_ database: Database) async throws { try await EngineCatalog.verify(database) }
    public static let kind = "optimize"
    public init() {}

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        let started = Date()
        let p = try BacktestPayload.decode(job)
        let engineName = p.engine ?? ""
        let engine: Engine
        do { engine = try Engine.parse(engineName) } catch { throw JobFailure.permanent("optimize: \(error)") }
        let settings = p.settings
        let (loaded, market) = try await BacktestRunner.loadWithMarket(p, context, settings: settings)
        let candles = loaded.candles
        let grid = p.flatGrid, fixed = p.flatParams
        let objective = p.objective ?? "sharpe", minTrades = p.minTrades ?? 0
        let t = BacktestRunner.now()
        try await context.progress(0.1, "evaluating \(Optimizer.combinationCount(grid)) combinations")
        let (opt, best) = try await BacktestRunner.compute(context, from: 0.1, to: 0.85, message: "evaluating grid") { box in
            let cache = IndicatorCache(candles: candles)
            let opt = try Optimizer.run(candles: candles, engine: engine, grid: grid, fixed: fixed, settings: settings,
                                        objective: objective, minTrades: minTrades, cache: cache, market: market,
                                        progress: { box.set($0) }, isCancelled: { box.isCancelled })
            var best: BacktestResult? = nil
            if let row = opt.best {
                best = try Backtester.run(candles: candles, spec: try StrategySpec(engine: engine, parameters: row.params),
                                          settings: settings, cache: cache, market: market)
            }
            return (opt, best)
        }
        let computeMs = BacktestRunner.ms(since: t)
        try await context.progress(0.85, "storing \(opt.rows.count) combinations")
        let skippedNote = opt.skipped > 0 ? "\(opt.skipped) combinations skipped as invalid" : nil
        let noBest = best == nil ? "no combination had \(minTrades) trades and a defined \(objective)" : nil
        let record = RunRecord(jobID: job.id, attempt: job.attempt, kind: "optimize", strategy: nil, engine: engineName,
                               params: best?.spec.flatParameters, payload: p, loaded: loaded, startedAt: started,
                               computeMs: computeMs, status: best == nil ? "no_result" : "succeeded",
                               note: BacktestHandler.note(loaded, extra: [skippedNote, noBest, BacktestHandler.fundingNote(p)]
                                   .compactMap { $0 }.joined(separator: "; ").nilIfEmpty))
        let results = RunResults(trades: best?.trades ?? [], curve: best?.curve ?? [], metrics: best?.metrics)
        let runID = try await context.database.transaction { c in
            let s = BacktestRunner.now()
            let id = try ResultWriter.write(c, record: record, results: results)
            try ResultWriter.writeOptimization(c, runID: id, payload: p, result: opt)
            if let terms = settings.contract, let summary = best?.contract {
                try ResultWriter.writeContract(c, runID: id, payload: p, terms: terms, summary: summary, hasMetrics: true)
            }
            try ResultWriter.finish(c, runID: id, since: s)
            return id
        }
        var out = BacktestRunner.headline(best?.metrics)
        out["run_id"] = runID
        out["combinations"] = opt.rows.count
        out["skipped"] = opt.skipped
        out["best_params"] = best.map { BacktestJSON.params($0.spec.flatParameters) as Any } ?? NSNull()
        if let summary = best?.contract {
            out["funding_paid"] = summary.fundingPaid
            out["liquidations"] = summary.liquidations
        }
        return try JSONText(object: out)
    }
}

/// Kind walk_forward: optimise on each training window, trade the winner on the next test window.
public struct WalkForwardHandler: JobHandler {
    public func prepare(_ database: Database) async throws { try await EngineCatalog.verify(database) }
    public static let kind = "walk_forward"
    public init() {}

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        let started = Date()
        let p = try BacktestPayload.decode(job)
        let engineName = p.engine ?? ""
        let engine: Engine
        do { engine = try Engine.parse(engineName) } catch { throw JobFailure.permanent("walk_forward: \(error)") }
        guard let trainMs = p.trainMs, let testMs = p.testMs else {
            throw JobFailure.permanent("walk_forward: payload lacks train_ms/test_ms (not validated by backtest.validate_walk_forward?)")
        }
        let mode = WalkForwardMode(rawValue: p.mode ?? "rolling") ?? .rolling
        let settings = p.settings
        let (loaded, market) = try await BacktestRunner.loadWithMarket(p, context, settings: settings)
        let candles = loaded.candles
        let grid = p.flatGrid, fixed = p.flatParams
        let objective = p.objective ?? "sharpe", minTrades = p.minTrades ?? 0
        let t = BacktestRunner.now()
        try await context.progress(0.1, "walk-forward")
        let wf = try await BacktestRunner.compute(context, from: 0.1, to: 0.85, message: "walk-forward windows") { box in
            try WalkForward.run(candles: candles, engine: engine, grid: grid, fixed: fixed, settings: settings,
                                objective: objective, minTrades: minTrades, trainMs: trainMs, testMs: testMs, mode: mode,
                                market: market, progress: { box.set($0) }, isCancelled: { box.isCancelled })
        }
        let computeMs = BacktestRunner.ms(since: t)
        try await context.progress(0.85, "storing \(wf.windows.count) windows")
        var trades: [Trade] = []
        for w in wf.windows {
            for var tr in w.trades { tr.n = trades.count + 1; trades.append(tr) }
        }
        let record = RunRecord(jobID: job.id, attempt: job.attempt, kind: "walk_forward", strategy: nil, engine: engineName, params: nil,
                               payload: p, loaded: loaded, startedAt: started, computeMs: computeMs,
                               note: BacktestHandler.note(loaded, extra: BacktestHandler.fundingNote(p)))
        let results = RunResults(trades: trades, curve: wf.curve, metrics: wf.metrics)
        let runID = try await context.database.transaction { c in
            let s = BacktestRunner.now()
            let id = try ResultWriter.write(c, record: record, results: results)
            try ResultWriter.writeWalkForward(c, runID: id, payload: p, result: wf)
            if let terms = settings.contract, let summary = wf.contract {
                try ResultWriter.writeContract(c, runID: id, payload: p, terms: terms, summary: summary, hasMetrics: true)
            }
            try ResultWriter.finish(c, runID: id, since: s)
            return id
        }
        var out = BacktestRunner.headline(wf.metrics)
        out["run_id"] = runID
        out["windows"] = wf.windows.count
        out["efficiency"] = wf.efficiency ?? NSNull()
        if let summary = wf.contract {
            out["funding_paid"] = summary.fundingPaid
            out["liquidations"] = summary.liquidations
        }
        return try JSONText(object: out)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

import Backtest
import Foundation
import Guarded
import Postgres

/// Shared steps of the backtest handlers: resolve the strategy, load, compute off the
/// cooperative pool with progress and cancellation, store.
enum BacktestRunner {
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
    static func ms(since t: UInt64) -> Double { Double(now() - t) / 1e6 }

    /// Loads the payload's candles, failing for good when there are none.
    static func load(_ p: BacktestPayload, _ context: JobContext) async throws -> LoadedCandles {
        try await context.progress(0, "loading candles")
        let loaded = try await CandleLoader.load(database: context.database, instID: p.instID, bar: p.bar,
                                                 from: p.from, to: p.to, logger: context.logger)
        guard loaded.candles.count > 0 else {
            throw JobFailure.permanent("\(context.job.kind): no \(p.bar) candles of \(p.instID) in [\(p.from), \(p.to)) (nor 1m candles to resample)")
        }
        return loaded
    }

    /// Loads the payload's candles and, for a swap or future (`settings.contract` set), its market:
    /// funding (refused when rows are missing, unless ignored) and mark prices, read on their own
    /// connection while the candles load (ContractLoader); their time is counted in load_ms.
    static func loadWithMarket(_ p: BacktestPayload, _ context: JobContext,
                               settings: RunSettings) async throws -> (LoadedCandles, ContractMarket?) {
        let l = now()
        async let extras = settings.contract == nil
            ? nil : ContractLoader.loadExtras(p, database: context.database, kind: context.job.kind)
        var loaded: LoadedCandles
        let contractExtras: ContractExtras?
        do {
            loaded = try await load(p, context)
            contractExtras = try await extras
        } catch {
            _ = try? await extras
            throw error
        }
        guard let contractExtras else { return (loaded, nil) }
        let market = ContractLoader.market(candles: loaded.candles, extras: contractExtras)
        loaded.loadMs = ms(since: l)
        return (loaded, market)
    }

    /// Runs CPU-bound engine work on a dispatch thread (not a cooperative one), reporting the
    /// fraction it publishes every half second and stopping when the job is cancelled.
    static func compute<T: Sendable>(_ context: JobContext, from lo: Double, to hi: Double, message: String,
                                     _ body: @escaping @Sendable (ProgressBox) throws -> T) async throws -> T {
        let box = ProgressBox(context: context)
        let reporter = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 500_000_000)
                if Task.isCancelled { break }
                let f = box.fraction
                do { try await context.progress(lo + (hi - lo) * f, message) } catch is JobCancelled { box.cancel() } catch {}
            }
        }
        defer { reporter.cancel() }
        do {
            return try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(with: Result { try body(box) }) }
            }
        } catch BacktestError.cancelled {
            throw JobCancelled(jobID: context.job.id)
        } catch let error as BacktestError {
            throw JobFailure.permanent("\(context.job.kind): \(error)")
        }
    }

    /// A run record's settings as the engine validates them.
    static func spec(engine: String, params: [String: Double], kind: String) throws -> StrategySpec {
        do {
            return try StrategySpec(engine: try Engine.parse(engine), parameters: params)
        } catch {
            throw JobFailure.permanent("\(kind): \(error)")
        }
    }

    static func headline(_ m: Metrics?) -> [String: Any] {
        guard let m else { return [:] }
        var out: [String: Any] = [
            "total_return_pct": m.totalReturnPct, "max_drawdown_pct": m.maxDrawdownPct, "n_trades": m.nTrades,
            "final_equity": m.finalEquity,
        ]
        out["sharpe"] = m.sharpe ?? NSNull()
        out["cagr_pct"] = m.cagrPct ?? NSNull()
        return out
    }
}

/// Progress published by engine threads and read by the reporting task; also the cancellation flag.
final class ProgressBox: Sendable {
    private struct State { var fraction = 0.0; var cancelled = false }
    private let state = Guarded(State())
    let context: JobContext

    init(context: JobContext) { self.context = context }

    var fraction: Double { state.withLock { $0.fraction } }
    func set(_ f: Double) { state.withLock { $0.fraction = max($0.fraction, f) } }
    func cancel() { state.withLock { $0.cancelled = true } }
    var isCancelled: Bool { state.withLock { $0.cancelled } || context.isCancelled }
}

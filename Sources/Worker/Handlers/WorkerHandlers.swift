import Logging
import OKX

/// Every handler this build of the worker runs, by kind.
public enum WorkerHandlers {
    /// The registry a worker runs: noop, the OKX ingest kinds (through `okx`) and the backtests.
    public static func all(okx: OKXClient) -> HandlerRegistry {
        HandlerRegistry([NoopHandler()] + ingestHandlers(okx: okx) + backtestHandlers())
    }

    /// The kinds this build knows (for validating --kinds before anything connects).
    public static var kinds: [String] {
        let offline = OKXClient(configuration: OKXConfiguration(rateLimiter: UnlimitedRateLimiter()),
                                logger: Logger(label: "candlestack.kinds", factory: { _ in SwiftLogNoOpLogHandler() }))
        return all(okx: offline).kinds
    }
}

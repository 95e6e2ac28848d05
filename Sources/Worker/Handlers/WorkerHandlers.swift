import OKX

/// Every handler this build of the worker runs, by kind.
public enum WorkerHandlers {
    /// The registry a worker runs: noop, prune, maintain_partitions, the OKX ingest kinds (through `okx`) and the backtests.
    public static func all(okx: OKXClient) -> HandlerRegistry {
        HandlerRegistry([NoopHandler(), PruneHandler(), MaintainPartitionsHandler()] + ingestHandlers(okx: okx) + backtestHandlers())
    }

    /// The handler types `all(okx:)` makes, in the same order.
    static let types: [any JobHandler.Type] = [NoopHandler.self, PruneHandler.self, MaintainPartitionsHandler.self]
        + ingestHandlerTypes + backtestHandlerTypes

    /// The kinds this build knows (for validating --kinds before anything connects), sorted;
    /// read from the handler types, so nothing is built (no OKX client, no URLSession).
    public static var kinds: [String] { types.map { $0.kind }.sorted() }
}

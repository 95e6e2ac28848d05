// The OKX ingest job kinds a worker runs (sql/031N registers their validators).

import OKX

/// Handlers of sync_instruments, sync_tickers, ingest, backfill, repair_gaps and refresh_views.
public func ingestHandlers(okx: OKXClient) -> [any JobHandler] {
    [
        SyncInstrumentsHandler(okx: okx),
        SyncTickersHandler(okx: okx),
        IngestHandler(okx: okx),
        BackfillHandler(okx: okx),
        RepairGapsHandler(okx: okx),
        RefreshViewsHandler(),
        BackfillFundingHandler(okx: okx),
        IngestFundingHandler(okx: okx),
        BackfillMarkIndexHandler(okx: okx),
        IngestMarkIndexHandler(okx: okx),
    ]
}

/// The types `ingestHandlers(okx:)` makes, in the same order (WorkerHandlers.kinds reads them).
let ingestHandlerTypes: [any JobHandler.Type] = [
    SyncInstrumentsHandler.self, SyncTickersHandler.self, IngestHandler.self,
    BackfillHandler.self, RepairGapsHandler.self, RefreshViewsHandler.self,
    BackfillFundingHandler.self, IngestFundingHandler.self, BackfillMarkIndexHandler.self, IngestMarkIndexHandler.self,
]

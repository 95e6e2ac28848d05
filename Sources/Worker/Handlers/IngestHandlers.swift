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
    ]
}

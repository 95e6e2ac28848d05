// Job kind ingest: the newest candles of one series from /market/candles.

import CivilTime
import Foundation
import Logging
import OKX
import Postgres

/// `ingest` {"inst_id", "bar"}: from the newest stored candle (included: it may have been
/// stored unconfirmed) to now, at most 1,440 bars back; newest-first pages walked back with
/// `after`. The forming candle is stored unconfirmed and overwritten by the next ingest. When the
/// window does not reach the newest stored candle (an outage longer than 1,440 bars), the hole
/// between them is queued as a repair_gaps job (market.queue_ingest_hole_fill).
public struct IngestHandler: JobHandler {
    public static let kind = "ingest"
    let okx: OKXClient

    public init(okx: OKXClient) { self.okx = okx }

    struct Payload: Decodable { var instId: String; var bar: String }

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        let p = try job.payload(as: Payload.self)
        let bar = try GapFill.bar(p.bar, job: job)
        // A live `candlestack stream` holds the series: it is fresh already (the stream queues its own REST fills).
        if try await context.database.query("select market.stream_series_held($1, $2) as held",
                                            [p.instId, bar.rawValue]).first?.string("held") == "t" {
            return try JSONText(object: ["inst_id": p.instId, "bar": bar.rawValue, "skipped": "held by a live stream"])
        }
        let newest = try await CandleStore.newestStored(instId: p.instId, bar: bar, database: context.database)
        var rows: [Candle] = []
        var after: Int64? = nil
        var pages = 0
        var windowFrom: Int64? = nil
        while rows.count < 1_440 {
            try context.checkCancellation()
            let page: [Candle]
            do {
                // 1s candles exist on /history-candles only.
                page = bar == .s1
                    ? try await okx.historyCandles(instId: p.instId, bar: bar, after: after, limit: OKXClient.maxCandleLimit)
                    : try await okx.candles(instId: p.instId, bar: bar, after: after, limit: OKXClient.maxCandleLimit)
            } catch let error as OKXError {
                throw IngestErrors.classify(error, what: "candles \(p.instId) \(bar.rawValue)")
            }
            pages += 1
            if page.isEmpty { break }
            rows.append(contentsOf: newest.map { n in page.filter { $0.ts >= n } } ?? page)
            let oldest = page.map(\.ts).min()!
            windowFrom = min(windowFrom ?? oldest, oldest)
            if let newest, oldest <= newest { break }
            if let after, oldest >= after { break }
            after = oldest
            try await context.progress(min(0.9, Double(rows.count) / 1_440), "\(rows.count) candles fetched")
        }
        // After an outage longer than the window, the bars between the newest stored candle and
        // the window would stay missing: queue their fill (SQL decides) before writing the window.
        var holeFill: Int64? = nil
        if let windowFrom {
            holeFill = try await context.database.query(
                "select market.queue_ingest_hole_fill($1, $2, $3::timestamptz) as job_id",
                [p.instId, bar.rawValue, UTCTime.sqlText(ms: windowFrom)]).first?.int64("job_id")
            if let holeFill {
                context.logger.warning("ingest: the window does not reach the newest stored candle; fill queued", metadata: [
                    "inst.id": "\(p.instId)", "bar": "\(bar.rawValue)", "window.from": "\(UTCTime.iso(ms: windowFrom))",
                    "fill.job.id": "\(holeFill)"])
            }
        }
        let unique = Candle.deduplicatedAndSorted(rows)
        if let first = unique.first, let last = unique.last {
            try await CandleStore.ensurePartitions(fromMs: first.ts, toMs: last.ts, database: context.database)
        }
        let counts = try await CandleStore.write(unique, instId: p.instId, bar: bar, database: context.database)
        try await context.progress(1, "\(counts.inserted) inserted, \(counts.updated) updated")
        var result: [String: Any] = [
            "inst_id": p.instId, "bar": bar.rawValue, "pages": pages, "fetched_rows": unique.count,
            "inserted": counts.inserted, "updated": counts.updated, "unchanged": counts.unchanged,
        ]
        if let holeFill { result["hole_fill_job_id"] = holeFill }
        return try JSONText(object: result)
    }
}

// Job kinds backfill_mark_index and ingest_mark_index: mark-price candles of a swap, or the
// candles of an index, from the (history-)mark-price-candles and (history-)index-candles endpoints.

import CivilTime
import Foundation
import Logging
import OKX
import Postgres

struct PriceSeries: Decodable, Sendable {
    var priceType: String?
    var instId: String
    var bar: String
    var from: String?
    var to: String?

    func type(_ job: Job) throws -> PriceType {
        guard let t = PriceType(rawValue: priceType ?? "mark") else {
            throw JobFailure.permanent("\(job.kind) job \(job.id): price_type \(priceType ?? "null") is not mark or index")
        }
        return t
    }
}

/// `backfill_mark_index` {"price_type", "inst_id", "bar", "from", "to"}: the candles of [from, to)
/// not stored yet (market.mark_index_gaps), each gap walked back from its end at 100 rows a page
/// on the history endpoint; an empty page ends a gap (nothing older). Resumable: what is stored
/// is not asked for again.
public struct BackfillMarkIndexHandler: JobHandler {
    public static let kind = "backfill_mark_index"
    let okx: OKXClient

    public init(okx: OKXClient) { self.okx = okx }

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        let p = try job.payload(as: PriceSeries.self)
        let type = try p.type(job)
        let bar = try GapFill.bar(p.bar, job: job)
        let from = try GapFill.time(p.from, field: "from", job: job) ?? 0
        // nothing exists after the current bar: do not leave a gap there to chase
        let to = min(try GapFill.time(p.to, field: "to", job: job) ?? UTCTime.nowMs(), bar.next(after: bar.start(of: UTCTime.nowMs())))
        let gaps = to > from ? try await SwapStore.gaps(type: type, instId: p.instId, bar: bar, fromMs: from, toMs: to, database: context.database) : []
        let missing = gaps.reduce(0) { $0 + $1.missing }
        var pages = 0, fetched = 0
        var counts = UpsertCounts()
        for gap in gaps.reversed() {
            var after = gap.toMs
            while after > gap.fromMs {
                try context.checkCancellation()
                let page: [PriceCandle]
                do {
                    page = try await okx.priceCandles(type, instId: p.instId, bar: bar, history: true, after: after,
                                                      limit: OKXClient.maxPriceCandleLimit)
                } catch let error as OKXError {
                    throw IngestErrors.classify(error, what: "\(type.rawValue) candles \(p.instId) \(bar.rawValue)")
                }
                pages += 1
                if page.isEmpty { break }
                let kept = PriceCandle.deduplicatedAndSorted(page.filter { $0.ts >= gap.fromMs && $0.ts < gap.toMs })
                let c = try await SwapStore.writeCandles(kept, type: type, instId: p.instId, bar: bar, database: context.database)
                counts.inserted += c.inserted; counts.updated += c.updated; counts.unchanged += c.unchanged
                fetched += kept.count
                let oldest = page.map(\.ts).min()!
                if oldest >= after { break }
                after = oldest
                try await context.progress(missing > 0 ? min(0.99, Double(fetched) / Double(missing)) : 0.99,
                                           "\(fetched) of \(missing) candles fetched")
            }
        }
        let left = to > from ? try await SwapStore.gaps(type: type, instId: p.instId, bar: bar, fromMs: from, toMs: to, database: context.database) : []
        try await context.progress(1, "done: \(counts.inserted) inserted, \(counts.updated) updated")
        return try JSONText(object: [
            "price_type": type.rawValue, "inst_id": p.instId, "bar": bar.rawValue, "from": UTCTime.iso(ms: from),
            "to": UTCTime.iso(ms: to), "gaps": gaps.count, "missing": missing, "pages": pages, "fetched_rows": fetched,
            "inserted": counts.inserted, "updated": counts.updated, "unchanged": counts.unchanged,
            "missing_after": left.reduce(0) { $0 + $1.missing },
        ] as [String: Any])
    }
}

/// `ingest_mark_index` {"price_type", "inst_id", "bar"}: from the newest stored candle (included:
/// it may be unconfirmed) to now, at most 1,440 bars back, from the recent endpoint. The forming
/// candle is stored unconfirmed and overwritten by the next ingest. When the window does not reach
/// the newest stored candle (an outage longer than 1,440 bars), the hole between them is queued as a
/// backfill_mark_index job (market.queue_mark_index_hole_fill).
public struct IngestMarkIndexHandler: JobHandler {
    public static let kind = "ingest_mark_index"
    let okx: OKXClient

    public init(okx: OKXClient) { self.okx = okx }

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        let p = try job.payload(as: PriceSeries.self)
        let type = try p.type(job)
        let bar = try GapFill.bar(p.bar, job: job)
        let newest = try await SwapStore.newestCandle(type: type, instId: p.instId, bar: bar, database: context.database)
        var rows: [PriceCandle] = []
        var after: Int64? = nil
        var windowFrom: Int64? = nil
        var pages = 0
        while rows.count < 1_440 {
            try context.checkCancellation()
            let page: [PriceCandle]
            do {
                page = try await okx.priceCandles(type, instId: p.instId, bar: bar, history: bar == .s1, after: after,
                                                  limit: OKXClient.maxPriceCandleLimit)
            } catch let error as OKXError {
                throw IngestErrors.classify(error, what: "\(type.rawValue) candles \(p.instId) \(bar.rawValue)")
            }
            pages += 1
            if page.isEmpty { break }
            rows.append(contentsOf: newest.map { n in page.filter { $0.ts >= n } } ?? page)
            let oldest = page.map(\.ts).min()!
            windowFrom = min(windowFrom ?? oldest, oldest)
            if let newest, oldest <= newest { break }
            if newest == nil { break }            // nothing stored: the newest page; backfill does the rest
            if let after, oldest >= after { break }
            after = oldest
        }
        // After an outage longer than the window, the bars between the newest stored candle and
        // the window would stay missing: queue their fill (SQL decides) before writing the window.
        var holeFill: Int64? = nil
        if let windowFrom {
            holeFill = try await context.database.query(
                "select market.queue_mark_index_hole_fill($1, $2, $3, $4::timestamptz) as job_id",
                [type.rawValue, p.instId, bar.rawValue, UTCTime.sqlText(ms: windowFrom)]).first?.int64("job_id")
            if let holeFill {
                context.logger.warning("ingest_mark_index: the window does not reach the newest stored candle; fill queued", metadata: [
                    "price.type": "\(type.rawValue)", "inst.id": "\(p.instId)", "bar": "\(bar.rawValue)",
                    "window.from": "\(UTCTime.iso(ms: windowFrom))", "fill.job.id": "\(holeFill)"])
            }
        }
        let unique = PriceCandle.deduplicatedAndSorted(rows)
        let counts = try await SwapStore.writeCandles(unique, type: type, instId: p.instId, bar: bar, database: context.database)
        try await context.progress(1, "\(counts.inserted) inserted, \(counts.updated) updated")
        var result: [String: Any] = [
            "price_type": type.rawValue, "inst_id": p.instId, "bar": bar.rawValue, "pages": pages, "fetched_rows": unique.count,
            "inserted": counts.inserted, "updated": counts.updated, "unchanged": counts.unchanged,
        ]
        if let holeFill { result["hole_fill_job_id"] = holeFill }
        return try JSONText(object: result)
    }
}

// Job kinds backfill_funding and ingest_funding: a perpetual swap's funding rates from
// /public/funding-rate-history (newest first, 400 a page) and /public/funding-rate.

import CivilTime
import Foundation
import Logging
import OKX
import Postgres

/// Pages funding-rate-history back from `after` until a row older than `stopBelow` (or an empty
/// page: nothing older), storing each page's rows in [keepFrom, keepTo) as it goes.
struct FundingWalk: Sendable {
    let okx: OKXClient
    let instId: String

    /// Returns (pages, counts, reached the end of OKX's history).
    func walk(after start: Int64?, stopBelow: Int64, keepFrom: Int64, keepTo: Int64, maxPages: Int = .max,
              context: JobContext) async throws -> (Int, UpsertCounts, Bool) {
        var after = start
        var pages = 0
        var total = UpsertCounts()
        while pages < maxPages {
            try context.checkCancellation()
            let page: [OKXFundingRate]
            do {
                page = try await okx.fundingRateHistory(instId: instId, after: after, limit: OKXClient.maxFundingLimit)
            } catch let error as OKXError {
                throw IngestErrors.classify(error, what: "funding-rate-history \(instId)")
            }
            pages += 1
            if page.isEmpty { return (pages, total, true) }
            let kept = page.filter { $0.instId == instId && $0.fundingTime >= keepFrom && $0.fundingTime < keepTo }
            let c = try await SwapStore.writeFunding(kept, database: context.database)
            total.inserted += c.inserted; total.updated += c.updated; total.unchanged += c.unchanged
            let oldest = page.map(\.fundingTime).min()!
            if oldest < stopBelow { break }
            if let after, oldest >= after { break }   // no progress: never loop on a misbehaving answer
            after = oldest
            try await context.progress(0.5, "\(total.inserted) funding rates stored, \(pages) pages")
        }
        return (pages, total, false)
    }
}

/// `backfill_funding` {"inst_id", "from", "to"}: the funding rates of [from, to) not stored yet:
/// newer than the newest stored settlement, and older than the oldest stored one, as far back as
/// OKX serves them (about three months). A retried job continues where it stopped.
public struct BackfillFundingHandler: JobHandler {
    public static let kind = "backfill_funding"
    let okx: OKXClient

    public init(okx: OKXClient) { self.okx = okx }

    struct Payload: Decodable { var instId: String; var from: String; var to: String? }

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        let p = try job.payload(as: Payload.self)
        let from = try GapFill.time(p.from, field: "from", job: job)!
        let to = try GapFill.time(p.to, field: "to", job: job) ?? UTCTime.nowMs()
        let walker = FundingWalk(okx: okx, instId: p.instId)
        let before = try await SwapStore.fundingBounds(instId: p.instId, database: context.database)
        var pages = 0
        var counts = UpsertCounts()
        var reachedEnd = false
        if let newest = before.newest, let oldest = before.oldest {
            // the newer side: from `to` down to the newest stored settlement
            if to > newest + 1 {
                let (n, c, _) = try await walker.walk(after: to, stopBelow: newest + 1, keepFrom: from, keepTo: to, context: context)
                pages += n; counts.inserted += c.inserted; counts.updated += c.updated; counts.unchanged += c.unchanged
            }
            // the older side: below the oldest stored one, down to `from`
            if oldest > from {
                let (n, c, end) = try await walker.walk(after: oldest, stopBelow: from, keepFrom: from, keepTo: to, context: context)
                pages += n; counts.inserted += c.inserted; counts.updated += c.updated; counts.unchanged += c.unchanged
                reachedEnd = end
            }
        } else {
            let (n, c, end) = try await walker.walk(after: to, stopBelow: from, keepFrom: from, keepTo: to, context: context)
            pages = n; counts = c; reachedEnd = end
        }
        let after = try await SwapStore.fundingBounds(instId: p.instId, database: context.database)
        try await context.progress(1, "done: \(counts.inserted) inserted, \(counts.updated) updated")
        var result: [String: Any] = [
            "inst_id": p.instId, "from": UTCTime.iso(ms: from), "to": UTCTime.iso(ms: to), "pages": pages,
            "inserted": counts.inserted, "updated": counts.updated, "unchanged": counts.unchanged,
            "reached_okx_history_start": reachedEnd,
        ]
        if let oldest = after.oldest { result["oldest_stored"] = UTCTime.iso(ms: oldest) }
        return try JSONText(object: result)
    }
}

/// `ingest_funding` {"inst_id"}: the settlements since the newest stored one (one page when none
/// is stored), then the current period's rate from /public/funding-rate, stored at its
/// fundingTime (in the future) and overwritten by the settled row once OKX has it.
public struct IngestFundingHandler: JobHandler {
    public static let kind = "ingest_funding"
    let okx: OKXClient

    public init(okx: OKXClient) { self.okx = okx }

    struct Payload: Decodable { var instId: String }

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        let p = try job.payload(as: Payload.self)
        let newest = try await SwapStore.fundingBounds(instId: p.instId, database: context.database).newest
        let now = UTCTime.nowMs()
        let walker = FundingWalk(okx: okx, instId: p.instId)
        // rows from the newest stored one (included: its realized rate may have been missing) to now
        let (pages, counts, _) = try await walker.walk(after: nil, stopBelow: newest ?? now, keepFrom: newest ?? 0,
                                                       keepTo: Int64.max, maxPages: newest == nil ? 1 : 20, context: context)
        let current: [OKXFundingRate]
        do {
            current = try await okx.fundingRate(instId: p.instId)
        } catch let error as OKXError {
            throw IngestErrors.classify(error, what: "funding-rate \(p.instId)")
        }
        let c = try await SwapStore.writeFunding(current.filter { $0.instId == p.instId }, database: context.database)
        try await context.progress(1, "\(counts.inserted + c.inserted) inserted, \(counts.updated + c.updated) updated")
        var result: [String: Any] = [
            "inst_id": p.instId, "pages": pages + 1, "inserted": counts.inserted + c.inserted,
            "updated": counts.updated + c.updated, "unchanged": counts.unchanged + c.unchanged,
        ]
        if let next = current.first?.fundingTime { result["next_funding_time"] = UTCTime.iso(ms: next) }
        return try JSONText(object: result)
    }
}

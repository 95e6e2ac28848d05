// Job kinds backfill and repair_gaps: fetch the missing candles of one series in a range.

import CivilTime
import Foundation
import Logging
import OKX
import Postgres

/// What the two kinds share: read the payload, find the gaps OKX can fill, fill them, report.
struct GapFill: Sendable {
    let okx: OKXClient

    func run(_ job: Job, _ context: JobContext, instId: String, bar: Bar, fromMs: Int64, toMs requestedTo: Int64) async throws -> JSONText? {
        let serverNow: Int64
        do {
            serverNow = try await okx.serverTime()
        } catch let error as OKXError {
            throw IngestErrors.classify(error, what: "time")
        }
        // Nothing exists after OKX's current bar: do not leave a gap there to chase forever.
        let toMs = min(requestedTo, bar.next(after: bar.start(of: serverNow)))
        let gaps = toMs > fromMs
            ? try await CandleStore.gaps(instId: instId, bar: bar, fromMs: fromMs, toMs: toMs, database: context.database)
            : []
        let missing = gaps.reduce(0) { $0 + $1.missing }
        context.logger.info("\(job.kind): filling gaps", metadata: [
            "inst.id": "\(instId)", "bar": "\(bar.rawValue)", "gaps": "\(gaps.count)", "missing": "\(missing)",
            "from": "\(UTCTime.iso(ms: fromMs))", "to": "\(UTCTime.iso(ms: toMs))"])
        let total = try await context.database.query(
            "select market.bar_count($1, $2::timestamptz, $3::timestamptz) as n",
            [bar.rawValue, UTCTime.sqlText(ms: fromMs), UTCTime.sqlText(ms: max(fromMs, toMs))]).first?.int64("n") ?? missing
        let progress = FillProgress(missing: missing, total: total)
        try await context.progress(progress.covered(stored: 0),
                                   gaps.isEmpty ? "nothing missing" : "\(missing) of \(total) candles missing in \(gaps.count) gap(s)")
        if !gaps.isEmpty {
            try await CandleStore.ensurePartitions(fromMs: gaps[0].fromMs, toMs: gaps[gaps.count - 1].toMs, database: context.database)
            var fetcher = CandleFetcher(okx: okx, context: context, instId: instId, bar: bar)
            fetcher.listTimeMs = try await CandleStore.listTime(instId: instId, database: context.database)
            try await fetcher.fill(gaps, serverNowMs: serverNow, progress: progress)
        }
        let (counts, pages, stored) = progress.snapshot
        // What the table shows now over the whole range, never what the fetch believes it did.
        let after = try await CandleStore.coverage(instId: instId, bar: bar, fromMs: fromMs, toMs: max(fromMs, toMs),
                                                   database: context.database)
        try await context.progress(1, "done: \(counts.inserted) inserted, \(counts.updated) updated, \(after.missing) missing")
        if after.missing > after.missingBeforeHistoryStart {
            context.logger.warning("\(job.kind): candles still missing after OKX's history start", metadata: [
                "inst.id": "\(instId)", "bar": "\(bar.rawValue)", "missing_after": "\(after.missing)",
                "missing_before_history_start": "\(after.missingBeforeHistoryStart)"])
        }
        var result: [String: Any] = [
            "inst_id": instId, "bar": bar.rawValue, "from": UTCTime.iso(ms: fromMs), "to": UTCTime.iso(ms: toMs),
            "gaps": gaps.count, "missing": missing, "bars_in_range": total, "fetched_rows": stored,
            "inserted": counts.inserted, "updated": counts.updated, "unchanged": counts.unchanged,
            "pages": pages, "missing_after": after.missing, "gaps_after": after.gaps,
            "missing_before_history_start": after.missingBeforeHistoryStart, "complete": after.missing == 0,
        ]
        if let start = after.historyStartMs { result["okx_history_start"] = UTCTime.iso(ms: start) }
        return try JSONText(object: result)
    }

    static func bar(_ name: String?, job: Job) throws -> Bar {
        guard let name, let bar = Bar(rawValue: name) else {
            throw JobFailure.permanent("\(job.kind) job \(job.id): bar \(name ?? "null") is not an OKX bar")
        }
        return bar
    }

    static func time(_ text: String?, field: String, job: Job) throws -> Int64? {
        guard let text else { return nil }
        guard let ms = UTCTime.parseMs(text) else {
            throw JobFailure.permanent("\(job.kind) job \(job.id): \"\(field)\" is not a time: \(text)")
        }
        return ms
    }
}

/// `backfill` {"inst_id", "bar", "from", "to"}: the candles of [from, to) not stored yet.
public struct BackfillHandler: JobHandler {
    public static let kind = "backfill"
    let okx: OKXClient

    public init(okx: OKXClient) { self.okx = okx }

    struct Payload: Decodable { var instId: String; var bar: String; var from: String; var to: String? }

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        let p = try job.payload(as: Payload.self)
        let bar = try GapFill.bar(p.bar, job: job)
        let from = try GapFill.time(p.from, field: "from", job: job)!
        let to = try GapFill.time(p.to, field: "to", job: job) ?? UTCTime.nowMs()
        return try await GapFill(okx: okx).run(job, context, instId: p.instId, bar: bar, fromMs: from, toMs: to)
    }
}

/// `repair_gaps` {"inst_id", "bar", "from"?, "to"?}: only the gaps of a series; from defaults to
/// the watchlist's history_from, else the oldest stored candle.
public struct RepairGapsHandler: JobHandler {
    public static let kind = "repair_gaps"
    let okx: OKXClient

    public init(okx: OKXClient) { self.okx = okx }

    struct Payload: Decodable { var instId: String; var bar: String; var from: String?; var to: String? }

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        let p = try job.payload(as: Payload.self)
        let bar = try GapFill.bar(p.bar, job: job)
        var from = try GapFill.time(p.from, field: "from", job: job)
        if from == nil {
            let r = try await context.database.query("""
                select (extract(epoch from w.history_from) * 1000)::bigint as ms
                  from market.watchlist as w where w.inst_id = $1 and w.bar = $2
                """, [p.instId, bar.rawValue])
            from = try r.first?.int64("ms")
        }
        if from == nil { from = try await CandleStore.oldestStored(instId: p.instId, bar: bar, database: context.database) }
        guard let from else {
            try await context.progress(1, "nothing stored and no history_from: nothing to repair")
            return JSONText(#"{"gaps":0,"missing":0}"#)
        }
        let to = try GapFill.time(p.to, field: "to", job: job) ?? UTCTime.nowMs()
        return try await GapFill(okx: okx).run(job, context, instId: p.instId, bar: bar, fromMs: from, toMs: to)
    }
}

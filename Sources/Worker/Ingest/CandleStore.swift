// CandleStore: writes fetched candles through the bulk path of sql/0120 (staging COPY +
// market.upsert_candles) in one transaction, and reads what a job needs to know about storage.

import CivilTime
import Foundation
import OKX
import Postgres

struct UpsertCounts: Sendable {
    var inserted: Int64 = 0
    var updated: Int64 = 0
    var unchanged: Int64 = 0
}

/// A run of missing candles [fromMs, toMs).
struct CandleGap: Sendable, Equatable {
    var fromMs: Int64
    var toMs: Int64
    var missing: Int64
}

enum CandleStore {
    /// Stores `candles` of one series in one transaction: all or nothing. A deadlock (two
    /// writers creating the same monthly partition) rolls the batch back; it is tried again.
    static func write(_ candles: [Candle], instId: String, bar: Bar, database: Database) async throws -> UpsertCounts {
        try await write([SeriesCandles(instId: instId, bar: bar, candles: candles)], database: database)
    }

    /// The candles of one series, for a write of several series at once (the stream's batches).
    struct SeriesCandles: Sendable {
        var instId: String
        var bar: Bar
        var candles: [Candle]
    }

    /// Stores the candles of several series in one transaction (one COPY, one upsert): all or nothing.
    static func write(_ series: [SeriesCandles], database: Database) async throws -> UpsertCounts {
        var attempt = 0
        while true {
            do {
                return try await writeOnce(series, database: database)
            } catch let error as PostgresError where error.sqlState == "40P01" || error.sqlState == "40001" {
                attempt += 1
                if attempt >= 5 { throw error }
                try await Task.sleep(for: .milliseconds(Int.random(in: 10...100) * attempt))
            }
        }
    }

    /// Creates the monthly partitions of [fromMs, toMs] in a transaction of its own, before any
    /// batch: a writer that finds its partitions present never takes the partition lock while
    /// holding locks on market.candles (which could deadlock with another writer).
    static func ensurePartitions(fromMs: Int64, toMs: Int64, database: Database) async throws {
        var attempt = 0
        while true {
            do {
                try await database.query("select market.ensure_candle_partitions($1::timestamptz, $2::timestamptz)",
                                         [UTCTime.sqlText(ms: fromMs), UTCTime.sqlText(ms: toMs)])
                return
            } catch let error as PostgresError where error.sqlState == "40P01" && attempt < 5 {
                attempt += 1
                try await Task.sleep(for: .milliseconds(Int.random(in: 10...100) * attempt))
            }
        }
    }

    private static func writeOnce(_ series: [SeriesCandles], database: Database) async throws -> UpsertCounts {
        if series.allSatisfy({ $0.candles.isEmpty }) { return UpsertCounts() }
        return try await database.transaction { c in
            _ = try c.query("select market.create_candle_staging()")
            _ = try c.copyIn("""
                copy pg_temp.candle_staging (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote, confirmed) from stdin
                """) { w in
                var chunk = ""
                chunk.reserveCapacity(64 * 1024)
                for one in series {
                let inst = CopyInWriter.escapeText(one.instId)
                let barName = one.bar.rawValue
                for k in one.candles {
                    chunk += inst; chunk += "\t"; chunk += barName; chunk += "\t"
                    chunk += UTCTime.sqlText(ms: k.ts); chunk += "\t"
                    chunk += k.open; chunk += "\t"; chunk += k.high; chunk += "\t"
                    chunk += k.low; chunk += "\t"; chunk += k.close; chunk += "\t"
                    chunk += k.vol; chunk += "\t"
                    chunk += k.volCcy.isEmpty ? "\\N" : k.volCcy; chunk += "\t"
                    chunk += k.volCcyQuote.isEmpty ? "\\N" : k.volCcyQuote; chunk += "\t"
                    chunk += k.confirmed ? "t\n" : "f\n"
                    if chunk.utf8.count > 60_000 { try w.write(chunk); chunk.removeAll(keepingCapacity: true) }
                }
                }
                if !chunk.isEmpty { try w.write(chunk) }
            }
            let r = try c.query("select * from market.upsert_candles()")
            guard let row = r.first else { return UpsertCounts() }
            return UpsertCounts(inserted: try row.int64("inserted") ?? 0, updated: try row.int64("updated") ?? 0,
                                unchanged: try row.int64("unchanged") ?? 0)
        }
    }

    /// The gaps OKX can fill in [fromMs, toMs) (market.candle_gaps_to_fetch), oldest first.
    static func gaps(instId: String, bar: Bar, fromMs: Int64, toMs: Int64, database: Database) async throws -> [CandleGap] {
        let r = try await database.query("""
            select (extract(epoch from g.gap_from) * 1000)::bigint as from_ms,
                   (extract(epoch from g.gap_to) * 1000)::bigint as to_ms, g.missing_count
              from market.candle_gaps_to_fetch($1, $2, $3::timestamptz, $4::timestamptz) as g
             order by g.gap_from
            """, [instId, bar.rawValue, UTCTime.sqlText(ms: fromMs), UTCTime.sqlText(ms: toMs)])
        return try r.rows().map {
            CandleGap(fromMs: try $0.required("from_ms", $0.int64), toMs: try $0.required("to_ms", $0.int64),
                      missing: try $0.int64("missing_count") ?? 0)
        }
    }

    /// Records that OKX has no candle older than `firstMs`.
    static func noteHistoryStart(instId: String, bar: Bar, firstMs: Int64, database: Database) async throws {
        try await database.query("select market.note_candle_history_start($1, $2, $3::timestamptz)",
                                 [instId, bar.rawValue, UTCTime.sqlText(ms: firstMs)])
    }

    /// The instrument's listing time (market.instruments.list_time, from sync_instruments), or nil.
    static func listTime(instId: String, database: Database) async throws -> Int64? {
        let r = try await database.query("""
            select (extract(epoch from i.list_time) * 1000)::bigint as ms
              from market.instruments as i where i.inst_id = $1
            """, [instId])
        return try r.first?.int64("ms")
    }

    /// What the table holds of a series in [fromMs, toMs) (market.range_coverage).
    struct Coverage: Sendable {
        var barsInRange: Int64
        var missing: Int64
        var gaps: Int64
        var missingBeforeHistoryStart: Int64
        var historyStartMs: Int64?
    }

    static func coverage(instId: String, bar: Bar, fromMs: Int64, toMs: Int64, database: Database) async throws -> Coverage {
        let r = try await database.query("""
            select c.bars_in_range, c.missing, c.gaps, c.missing_before_history_start,
                   (extract(epoch from c.history_start) * 1000)::bigint as history_start_ms
              from market.range_coverage($1, $2, $3::timestamptz, $4::timestamptz) as c
            """, [instId, bar.rawValue, UTCTime.sqlText(ms: fromMs), UTCTime.sqlText(ms: toMs)])
        guard let row = r.first else { throw JobFailure.retryable("market.range_coverage returned no row") }
        return Coverage(barsInRange: try row.int64("bars_in_range") ?? 0, missing: try row.int64("missing") ?? 0,
                        gaps: try row.int64("gaps") ?? 0,
                        missingBeforeHistoryStart: try row.int64("missing_before_history_start") ?? 0,
                        historyStartMs: try row.int64("history_start_ms"))
    }

    /// Open time of the newest stored candle of a series, or nil.
    static func newestStored(instId: String, bar: Bar, database: Database) async throws -> Int64? {
        let r = try await database.query("""
            select (extract(epoch from max(c.ts)) * 1000)::bigint as ms
              from market.candles as c where c.inst_id = $1 and c.bar = $2
            """, [instId, bar.rawValue])
        return try r.first?.int64("ms")
    }

    /// Open time of the oldest stored candle of a series, or nil.
    static func oldestStored(instId: String, bar: Bar, database: Database) async throws -> Int64? {
        let r = try await database.query("""
            select (extract(epoch from min(c.ts)) * 1000)::bigint as ms
              from market.candles as c where c.inst_id = $1 and c.bar = $2
            """, [instId, bar.rawValue])
        return try r.first?.int64("ms")
    }
}

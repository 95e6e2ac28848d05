// SwapStore: writes funding rates (market.upsert_funding_rates) and mark/index candles (staging
// COPY + market.upsert_mark_index_candles, sql/0172), and reads where a swap job resumes.

import CivilTime
import Foundation
import OKX
import Postgres

enum SwapStore {
    /// Stores funding rows as OKX sent them (their raw objects) in one statement: all or nothing.
    static func writeFunding(_ rows: [OKXFundingRate], database: Database) async throws -> UpsertCounts {
        if rows.isEmpty { return UpsertCounts() }
        let array = "[" + rows.map(\.rawJSON).joined(separator: ",") + "]"
        let r = try await database.query("select * from market.upsert_funding_rates($1::jsonb)", [array])
        guard let row = r.first else { return UpsertCounts() }
        return UpsertCounts(inserted: try row.int64("inserted") ?? 0, updated: try row.int64("updated") ?? 0,
                            unchanged: try row.int64("unchanged") ?? 0)
    }

    /// Newest settled / oldest stored funding time of a swap, Unix ms.
    static func fundingBounds(instId: String, database: Database) async throws -> (oldest: Int64?, newest: Int64?) {
        let r = try await database.query("""
            select (extract(epoch from market.oldest_funding_time($1)) * 1000)::bigint as oldest,
                   (extract(epoch from market.newest_funding_time($1)) * 1000)::bigint as newest
            """, [instId])
        return (try r.first?.int64("oldest"), try r.first?.int64("newest"))
    }

    /// Stores mark or index candles of one series in one transaction (partitions made first, in their own).
    static func writeCandles(_ candles: [PriceCandle], type: PriceType, instId: String, bar: Bar,
                             database: Database) async throws -> UpsertCounts {
        guard let first = candles.first, let last = candles.last else { return UpsertCounts() }
        try await database.query("select market.ensure_mark_index_candle_partitions($1::timestamptz, $2::timestamptz)",
                                 [UTCTime.sqlText(ms: first.ts), UTCTime.sqlText(ms: last.ts)])
        let prefix = type.rawValue + "\t" + CopyInWriter.escapeText(instId) + "\t" + bar.rawValue + "\t"
        return try await database.transaction { c in
            _ = try c.query("select market.create_mark_index_candle_staging()")
            _ = try c.copyIn("""
                copy pg_temp.mark_index_candle_staging (price_type, inst_id, bar, ts, open, high, low, close, confirmed) from stdin
                """) { w in
                var chunk = ""
                for k in candles {
                    chunk += prefix; chunk += UTCTime.sqlText(ms: k.ts); chunk += "\t"
                    chunk += k.open; chunk += "\t"; chunk += k.high; chunk += "\t"
                    chunk += k.low; chunk += "\t"; chunk += k.close; chunk += "\t"
                    chunk += k.confirmed ? "t\n" : "f\n"
                    if chunk.utf8.count > 60_000 { try w.write(chunk); chunk.removeAll(keepingCapacity: true) }
                }
                if !chunk.isEmpty { try w.write(chunk) }
            }
            let r = try c.query("select * from market.upsert_mark_index_candles()")
            guard let row = r.first else { return UpsertCounts() }
            return UpsertCounts(inserted: try row.int64("inserted") ?? 0, updated: try row.int64("updated") ?? 0,
                                unchanged: try row.int64("unchanged") ?? 0)
        }
    }

    /// The missing candles of a mark or index series in [fromMs, toMs) (market.mark_index_gaps), oldest first.
    static func gaps(type: PriceType, instId: String, bar: Bar, fromMs: Int64, toMs: Int64, database: Database) async throws -> [CandleGap] {
        let r = try await database.query("""
            select (extract(epoch from g.gap_from) * 1000)::bigint as from_ms,
                   (extract(epoch from g.gap_to) * 1000)::bigint as to_ms, g.missing_count
              from market.mark_index_gaps($1, $2, $3, $4::timestamptz, $5::timestamptz) as g
             order by g.gap_from
            """, [type.rawValue, instId, bar.rawValue, UTCTime.sqlText(ms: fromMs), UTCTime.sqlText(ms: toMs)])
        return try r.rows().map {
            CandleGap(fromMs: try $0.required("from_ms", $0.int64), toMs: try $0.required("to_ms", $0.int64),
                      missing: try $0.int64("missing_count") ?? 0)
        }
    }

    /// Open time of the newest stored candle of a mark or index series, or nil.
    static func newestCandle(type: PriceType, instId: String, bar: Bar, database: Database) async throws -> Int64? {
        let r = try await database.query("""
            select (extract(epoch from max(c.ts)) * 1000)::bigint as ms
              from market.mark_index_candles as c where c.price_type = $1 and c.inst_id = $2 and c.bar = $3
            """, [type.rawValue, instId, bar.rawValue])
        return try r.first?.int64("ms")
    }
}

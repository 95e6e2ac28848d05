// Helpers for the reliability tests that run workers against okx-sim: stored candles as OKX-like
// rows of text, gaps, and okx-sim's recent candle requests.

import Foundation
import Postgres

public enum OKXReliability {
    /// okx-sim --from
    public static let simFrom = "2024-01-01"
    /// okx-sim --now: 2024-03-10T12:34:56Z
    public static let simNowMs: Int64 = 1_710_074_096_000
    public static let dayMs: Int64 = 86_400_000
    /// 2024-03-01T00:00:00Z
    public static let march1: Int64 = 1_709_251_200_000

    /// ISO 8601 UTC text of Unix ms (for job payloads).
    public static func iso(_ ms: Int64) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    public static func backfillPayload(_ instId: String, _ bar: String, _ fromMs: Int64, _ toMs: Int64) -> String {
        #"{"inst_id":"\#(instId)","bar":"\#(bar)","from":"\#(iso(fromMs))","to":"\#(iso(toMs))"}"#
    }

    /// Stored candles of a series in [fromMs, toMs), oldest first, as OKX rows of text
    /// [ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm].
    public static func stored(_ c: Connection, _ instId: String, _ bar: String, fromMs: Int64, toMs: Int64) throws -> [[String]] {
        let r = try c.query("""
            select (extract(epoch from c.ts) * 1000)::bigint::text as ts, c.open::text, c.high::text, c.low::text,
                   c.close::text, c.volume::text, c.volume_ccy::text, c.volume_quote::text,
                   case when c.confirmed then '1' else '0' end as confirm
              from market.candles as c
             where c.inst_id = $1 and c.bar = $2
               and c.ts >= 'epoch'::timestamptz + $3::bigint * interval '1 millisecond'
               and c.ts <  'epoch'::timestamptz + $4::bigint * interval '1 millisecond'
             order by c.ts
            """, [instId, bar, String(fromMs), String(toMs)])
        return r.rows().map { row in (0..<9).map { row.string($0) ?? "NULL" } }
    }

    /// Rows of market.gaps(inst, bar, from, to).
    public static func gapCount(_ c: Connection, _ instId: String, _ bar: String, fromMs: Int64, toMs: Int64) throws -> Int {
        try c.query("""
            select count(*)::int as n from market.gaps($1, $2, 'epoch'::timestamptz + $3::bigint * interval '1 millisecond',
                                                       'epoch'::timestamptz + $4::bigint * interval '1 millisecond')
            """, [instId, bar, String(fromMs), String(toMs)]).first?.int("n") ?? -1
    }

    /// okx-sim's latest candle requests (/sim/stats candleRequests), oldest first.
    public static func candleRequests(_ sim: OKXSimProcess) async throws -> [[String: Any]] {
        (try await sim.stats()["candleRequests"] as? [[String: Any]]) ?? []
    }

    /// A candle request's page identity: endpoint, instId, bar, after and before cursors.
    public static func pageKey(_ r: [String: Any]) -> String {
        func s(_ k: String) -> String { r[k].map { $0 is NSNull ? "-" : "\($0)" } ?? "-" }
        return [s("endpoint"), s("instId"), s("bar"), s("after"), s("before")].joined(separator: " ")
    }

    /// Refused requests over every OKX endpoint.
    public static func refusedTotal(_ sim: OKXSimProcess) async throws -> Int {
        let endpoints = (try await sim.stats()["endpoints"] as? [String: Any]) ?? [:]
        return endpoints.values.reduce(0) { $0 + ((($1 as? [String: Any])?["refused"] as? Int) ?? 0) }
    }
}

// ingest, sync_instruments, sync_tickers, repair_gaps, refresh_views and resampling against okx-sim.

import CivilTime
import Foundation
import OKX
import Postgres
import TestSupport
import Testing
@testable import Worker

@Suite("job kinds")
struct JobKindTests {
    @Test("ingest stores the latest 1,440 bars, then only what is new, overwriting the forming candle")
    func ingest() async throws {
        let f = try await IngestFixture.make()
        defer { Task { await f.close() } }
        _ = try await f.run("ingest", #"{"inst_id":"BTC-USDT","bar":"1m"}"#).get()
        #expect(try await f.count("BTC-USDT", "1m") == 1_440)
        let from = SimTime.nowMs - 2 * SimTime.dayMs, to = SimTime.nowMs + SimTime.dayMs
        let expected = try await f.sim.candles(instId: "BTC-USDT", bar: "1m", fromMs: from, toMs: to)
        let stored = try await f.stored("BTC-USDT", "1m", fromMs: from, toMs: to)
        #expect(stored == Array(expected.suffix(1_440)))
        try await f.sim.post("/sim/stats/reset")
        _ = try await f.run("ingest", #"{"inst_id":"BTC-USDT","bar":"1m"}"#).get()
        #expect(try await f.candleRequests().count == 1, "one page reaches the stored data")
        #expect(try await f.count("BTC-USDT", "1m") == 1_440)
    }

    @Test("sync_instruments and sync_tickers fill market.instruments and market.tickers")
    func sync() async throws {
        let f = try await IngestFixture.make()
        defer { Task { await f.close() } }
        _ = try await f.run("sync_instruments", #"{"inst_type":"SPOT"}"#).get()
        _ = try await f.run("sync_instruments", #"{"inst_type":"SWAP"}"#).get()
        _ = try await f.run("sync_tickers", #"{}"#).get()
        let i = try await f.database.query("select count(*)::int as n from market.instruments")
        #expect(try i.first?.int("n") == 7)
        let t = try await f.database.query("select count(*)::int as n from market.tickers")
        #expect(try t.first?.int("n") == 5)
        _ = try await f.run("refresh_views", "{}").get()
    }

    @Test("an unknown instrument fails for good, naming it")
    func unknownInstrument() async throws {
        let f = try await IngestFixture.make()
        defer { Task { await f.close() } }
        let outcome = try await f.run("backfill", backfillPayload("NOPE-USDT", "1m", SimTime.march1, SimTime.march1 + SimTime.dayMs), attempts: 3)
        guard case .failure(let error) = outcome else { Issue.record("expected a failure"); return }
        #expect((error as? JobFailure)?.isRetryable == false)
        #expect("\(error)".contains("NOPE-USDT"))
    }

    @Test("repair_gaps fetches only the missing candles")
    func repair() async throws {
        let f = try await IngestFixture.make()
        defer { Task { await f.close() } }
        let from = SimTime.march1, to = SimTime.march1 + SimTime.dayMs
        _ = try await f.run("backfill", backfillPayload("OKB-USDT", "1m", from, to)).get()
        try await f.database.query("""
            delete from market.candles where inst_id = 'OKB-USDT' and bar = '1m'
               and ts >= '2024-03-01 05:00+00' and ts < '2024-03-01 05:10+00'
            """)
        try await f.sim.post("/sim/stats/reset")
        _ = try await f.run("repair_gaps", #"{"inst_id":"OKB-USDT","bar":"1m","from":"2024-03-01","to":"2024-03-02"}"#).get()
        #expect(try await f.count("OKB-USDT", "1m") == 1_440)
        let requests = try await f.candleRequests()
        #expect(requests.count == 1)
        #expect(try await f.stored("OKB-USDT", "1m", fromMs: from, toMs: to)
                == (try await f.sim.candles(instId: "OKB-USDT", bar: "1m", fromMs: from, toMs: to)))
    }

    @Test("stored 1m resampled to 1H, 4H, 1D, 1Dutc and 1W equals okx-sim's own candles of those bars")
    func resample() async throws {
        let f = try await IngestFixture.make()
        defer { Task { await f.close() } }
        let from: Int64 = 1_707_004_800_000           // 2024-02-04T00:00Z (a Sunday)
        let to = from + 8 * SimTime.dayMs
        _ = try await f.run("backfill", backfillPayload("BTC-USDT", "1m", from, to)).get()
        for bar in ["1H", "4H", "1D", "1Dutc", "1W"] {
            let r = try await f.database.query("""
                select (extract(epoch from r.ts) * 1000)::bigint::text as ts, r.open::text, r.high::text, r.low::text,
                       r.close::text, r.volume::text, r.volume_ccy::text, r.volume_quote::text
                  from market.resample('BTC-USDT', $1, $2::timestamptz, $3::timestamptz) as r
                 where r.complete order by r.ts
                """, [bar, UTCTime.sqlText(ms: from), UTCTime.sqlText(ms: to)])
            let mine = r.rows().map { row in (0..<8).map { Decimal(string: row.string($0) ?? "") ?? -1 } }
            let okx = try await f.sim.candles(instId: "BTC-USDT", bar: bar, fromMs: from, toMs: to)
            let theirs = okx.map { row in row.prefix(8).map { Decimal(string: $0) ?? -2 } }
            let theirTs = Set(theirs.map { $0[0] })
            #expect(!mine.isEmpty, "\(bar): some complete buckets")
            let comparable = mine.filter { theirTs.contains($0[0]) }
            #expect(comparable.count == mine.count, "\(bar): every bucket exists at okx-sim")
            let byTs = Dictionary(uniqueKeysWithValues: theirs.map { ($0[0], $0) })
            for row in mine { #expect(byTs[row[0]] == row, "\(bar) bucket \(row[0])") }
        }
    }
}

// A SWAP on the watchlist: `candlestack worker` backfills its funding rates and its mark and index
// candles from okx-sim, exactly as okx-sim serves them, and the ingest kinds keep them fresh.

import CivilTime
import Foundation
import OKX
import Postgres
import TestSupport
import Testing
@testable import Worker

@Suite("swap data end to end")
struct SwapWatchlistTests {
    @Test("adding a SWAP to the watchlist backfills its funding and mark candles, which a worker fetches from okx-sim")
    func swapEntryBackfillsFundingAndMark() async throws {
        let f = try await IngestFixture.make()
        defer { Task { await f.close() } }
        let from = SimTime.march1
        try await f.database.query("insert into market.watchlist (inst_id, bar, history_from) values ('BTC-USDT-SWAP', '1H', $1::timestamptz)",
                                   [UTCTime.sqlText(ms: from)])
        let queued = try await f.database.query("select kind from queue.jobs where kind in ('backfill_funding', 'backfill_mark_index') order by kind")
        #expect(queued.rows().count == 3, "a funding backfill and two candle backfills (mark, index) are queued")

        let cli = Paths.executable("candlestack")
        let worker = try await runProgram(cli, ["worker", "--database-url", f.conninfo, "--okx-base-url", f.sim.baseURL.absoluteString,
                                                "--okx-rate-limit-scale", "10", "--rate-key", f.rateKey,
                                                "--kinds", "backfill_funding,backfill_mark_index", "--exit-when-idle", "--log-level", "warning"])
        #expect(worker.status == 0)
        let jobs = try await f.database.query("""
            select kind, status, coalesce(last_error, '') as last_error from queue.jobs
             where kind in ('backfill_funding', 'backfill_mark_index') order by kind, id
            """).rows()
        for j in jobs {
            let kind = try j.string("kind") ?? "", error = try j.string("last_error") ?? ""
            #expect(try j.string("status") == "succeeded", "\(kind): \(error)")
        }

        // Funding: every settlement okx-sim serves since history_from, rate for rate, exactly.
        let served = try await f.okx.fundingRateHistory(instId: "BTC-USDT-SWAP", limit: 400).filter { $0.fundingTime >= from }
        let stored = try await f.database.query("""
            select (extract(epoch from funding_time) * 1000)::bigint as ms, rate::text as rate, realized_rate::text as realized
              from market.funding_rates where inst_id = 'BTC-USDT-SWAP' order by funding_time desc
            """).rows()
        #expect(served.count >= 27, "9 days at 8 h: \(served.count)")
        #expect(stored.count == served.count)
        #expect(try stored.map { try $0.int64("ms") ?? 0 } == served.map(\.fundingTime))
        #expect(try stored.map { try $0.string("rate") ?? "" } == served.map(\.fundingRate))
        #expect(try stored.map { try $0.string("realized") ?? "" } == served.map { $0.realizedRate ?? "" })

        // Mark and index candles at the entry's bar: no gap from history_from to okx-sim's now.
        let end = Bar.h1.next(after: Bar.h1.start(of: SimTime.nowMs))
        for (type, inst) in [("mark", "BTC-USDT-SWAP"), ("index", "BTC-USDT")] {
            let r = try await f.database.query("""
                select (select count(*) from market.mark_index_candles where price_type = $1 and inst_id = $2 and bar = '1H')::int as n,
                       (select count(*) from market.mark_index_gaps($1, $2, '1H', $3::timestamptz, $4::timestamptz))::int as gaps
                """, [type, inst, UTCTime.sqlText(ms: from), UTCTime.sqlText(ms: end)])
            #expect(try r.first?.int("n") == Int((end - from) / 3_600_000), "\(type): one candle per hour")
            #expect(try r.first?.int("gaps") == 0, "\(type): no gap")
        }
        let page = try await f.okx.markPriceCandles(instId: "BTC-USDT-SWAP", bar: .h1, history: true, limit: 100)
        let mark = try await f.database.query("""
            select (extract(epoch from ts) * 1000)::bigint as ms, close::text as close from market.mark_index_candles
             where price_type = 'mark' and inst_id = 'BTC-USDT-SWAP' and bar = '1H' order by ts desc limit 100
            """).rows()
        #expect(try mark.map { try $0.string("close") ?? "" } == page.map(\.close), "stored mark closes are okx-sim's")

        // Kept fresh: the schedules exist, and the ingest kinds run against what is stored.
        let schedules = try await f.database.query("""
            select name from queue.schedules where enabled and (name like 'ingest_funding:%' or name like 'ingest_mark_index:%') order by name
            """).rows().map { try $0.string("name") ?? "" }
        #expect(schedules == ["ingest_funding:BTC-USDT-SWAP", "ingest_mark_index:index:BTC-USDT:1H", "ingest_mark_index:mark:BTC-USDT-SWAP:1H"])
        let ingest = try await f.run("ingest_funding", #"{"inst_id":"BTC-USDT-SWAP"}"#)
        #expect((try? ingest.get()) != nil, "ingest_funding succeeds: \(ingest)")
        let next = try await f.database.query("""
            select (extract(epoch from max(funding_time)) * 1000)::bigint as ms from market.funding_rates where inst_id = 'BTC-USDT-SWAP'
            """).first?.int64("ms") ?? 0
        #expect(next > SimTime.nowMs && next % 28_800_000 == 0, "the current period's rate is stored at its coming fundingTime")
        let markIngest = try await f.run("ingest_mark_index", #"{"price_type":"mark","inst_id":"BTC-USDT-SWAP","bar":"1H"}"#)
        let text = (try? markIngest.get()) ?? nil
        #expect(text?.contains("\"inserted\":0") == true, "nothing new since the backfill: \(String(describing: text))")
    }
}

// After an outage longer than ingest_mark_index's 1,440-bar window, the swap's schedules and a
// worker alone bring its mark and index series back to complete: the first ingest of each series
// queues the backfill_mark_index of the hole it cannot reach (market.queue_mark_index_hole_fill).

import CivilTime
import Foundation
import OKX
import Postgres
import TestSupport
import Testing
@testable import Worker

@Suite("mark and index holes after outages")
struct MarkOutageHoleTests {
    @Test("mark and index candles that end three days ago: with nobody acting, the worker fills both holes with okx-sim's candles")
    func threeDayOutage() async throws {
        let f = try await IngestFixture.make()          // okx-sim frozen at SimTime.nowMs: after the outage
        defer { Task { await f.close() } }
        let cli = Paths.executable("candlestack")
        let outageStart = SimTime.nowMs - 3 * SimTime.dayMs
        let historyFrom = (outageStart / SimTime.minuteMs) * SimTime.minuteMs - 6 * 60 * SimTime.minuteMs
        let okxArguments = ["--okx-rate-limit-scale", "10", "--rate-key", f.rateKey, "--log-level", "warning"]
        let series: [(type: PriceType, inst: String)] = [(.mark, "BTC-USDT-SWAP"), (.index, "BTC-USDT")]

        // Before the outage: an okx-sim whose clock stands three days earlier (same seed, same
        // market); the SWAP entry's mark and index backfills bring both series up to that "now".
        let before = try await OKXSimProcess.start(seed: 7, from: SimTime.from, nowMs: outageStart, rateLimitScale: 10)
        defer { before.stop() }
        let add = try await runProgram(cli, ["watchlist", "add", "--database-url", f.conninfo,
                                             "--inst", "BTC-USDT-SWAP", "--bar", "1m", "--from", SimTime.iso(historyFrom)])
        #expect(add.status == 0)
        let first = try await runProgram(cli, ["worker", "--database-url", f.conninfo, "--okx-base-url", before.baseURL.absoluteString,
                                               "--kinds", "backfill_mark_index", "--exit-when-idle"] + okxArguments)
        #expect(first.status == 0)
        before.stop()
        var newest: [PriceType: Int64] = [:]
        for s in series {
            newest[s.type] = try #require(try await f.database.query("""
                select (extract(epoch from max(ts)) * 1000)::bigint as ms from market.mark_index_candles
                 where price_type = $1 and inst_id = $2 and bar = '1m'
                """, [s.type.rawValue, s.inst]).first?.int64("ms"))
            #expect(newest[s.type] == (outageStart / SimTime.minuteMs) * SimTime.minuteMs, "\(s.type) candles end three days ago")
        }

        // After the outage: the swap's ingest_mark_index schedules and a worker of those kinds, nobody acting.
        let worker = try WorkerProcess(conninfo: f.conninfo, ["--okx-base-url", f.sim.baseURL.absoluteString,
                                                             "--kinds", "ingest_mark_index,backfill_mark_index",
                                                             "--maintenance-seconds", "0.5", "--poll-seconds", "0.5"] + okxArguments)
        let c = try Connection(f.conninfo)
        defer { c.close() }
        let keys = series.map { "mark_index_hole:\($0.type.rawValue):\($0.inst):1m" }
        var fills: [String: (status: String, error: String)] = [:]
        _ = try await eventually(timeout: .seconds(180), every: .milliseconds(200)) {
            for key in keys {
                if let row = try c.query("select status, coalesce(last_error, '') as error from queue.jobs where unique_key = $1",
                                         [key]).first {
                    fills[key] = (try row.string("status") ?? "", try row.string("error") ?? "")
                }
            }
            return keys.allSatisfy { k in fills[k].map { ["succeeded", "failed", "cancelled"].contains($0.status) } ?? false }
        }
        worker.signal(SIGTERM)
        await worker.wait()

        let currentBar = (SimTime.nowMs / SimTime.minuteMs) * SimTime.minuteMs
        for (s, key) in zip(series, keys) {
            #expect(fills[key]?.status == "succeeded",
                    "\(s.type): the ingest after the outage queues a fill that succeeds: \(fills[key]?.error ?? "no fill job")\n\(String(worker.log.suffix(2_000)))")
            // The fill covers exactly the hole: from the newest stored candle (still forming when the
            // outage began, so it is fetched again closed) to the ingest's window.
            let payload = try await f.database.query(
                "select payload ->> 'from' as f, (extract(epoch from (payload ->> 'to')::timestamptz) * 1000)::bigint as t from queue.jobs where unique_key = $1",
                [key])
            let newestMs = try #require(newest[s.type])
            let windowFrom = try #require(try payload.first?.int64("t"))
            #expect(try payload.first?.string("f") == SimTime.iso(newestMs), "\(s.type): the fill starts at the forming candle")
            #expect(windowFrom > newestMs + SimTime.dayMs && windowFrom <= currentBar - 1_439 * SimTime.minuteMs,
                    "\(s.type): the fill ends where the ingest's window of at least 1,440 bars began")

            let gaps = try await f.database.query(
                "select count(*)::int as n from market.mark_index_gaps($1, $2, '1m', $3::timestamptz, $4::timestamptz)",
                [s.type.rawValue, s.inst, UTCTime.sqlText(ms: historyFrom), UTCTime.sqlText(ms: currentBar + SimTime.minuteMs)])
            #expect(try gaps.first?.int("n") == 0, "\(s.type): market.mark_index_gaps is empty to the current bar")

            // Every candle of the hole is okx-sim's, closed.
            var truth: [PriceCandle] = []
            var after = windowFrom
            while after > newestMs {
                let page = try await f.okx.priceCandles(s.type, instId: s.inst, bar: .m1, history: true, after: after, limit: 100)
                if page.isEmpty { break }
                truth += page.filter { $0.ts >= newestMs }
                after = page.map(\.ts).min()!
            }
            truth = PriceCandle.deduplicatedAndSorted(truth)
            let stored = try await f.database.query("""
                select (extract(epoch from ts) * 1000)::bigint as ts, open::text as o, high::text as h, low::text as l,
                       close::text as c, confirmed
                  from market.mark_index_candles
                 where price_type = $1 and inst_id = $2 and bar = '1m' and ts >= $3::timestamptz and ts < $4::timestamptz
                 order by ts
                """, [s.type.rawValue, s.inst, UTCTime.sqlText(ms: newestMs), UTCTime.sqlText(ms: windowFrom)]).rows().map {
                PriceCandle(ts: try $0.int64("ts") ?? 0, open: try $0.string("o") ?? "", high: try $0.string("h") ?? "",
                            low: try $0.string("l") ?? "", close: try $0.string("c") ?? "", confirmed: try $0.bool("confirmed") ?? false)
            }
            #expect(stored.count == Int((windowFrom - newestMs) / SimTime.minuteMs), "\(s.type): one candle a minute in the hole")
            #expect(stored.first?.confirmed == true, "\(s.type): the candle that was forming when the outage began is stored closed")
            #expect(stored == truth, "\(s.type): the hole holds okx-sim's candles")
        }
    }
}

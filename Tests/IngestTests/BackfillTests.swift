// backfill against okx-sim: exact rows, no gaps, nothing fetched twice, resumable, never refused.

import Foundation
import OKX
import Postgres
import TestSupport
import Testing
@testable import Worker

@Suite("backfill")
struct BackfillTests {
    @Test("a 3-day 1m backfill stores exactly okx-sim's 4,320 candles, no gaps, and a second run fetches nothing")
    func threeDays() async throws {
        let f = try await IngestFixture.make()
        defer { Task { await f.close() } }
        let from = SimTime.march1, to = SimTime.march1 + 3 * SimTime.dayMs
        let first = try await f.run("backfill", backfillPayload("BTC-USDT", "1m", from, to))
        _ = try first.get()

        let stored = try await f.stored("BTC-USDT", "1m", fromMs: from, toMs: to)
        let expected = try await f.sim.candles(instId: "BTC-USDT", bar: "1m", fromMs: from, toMs: to)
        #expect(stored.count == 4_320)
        #expect(expected.count == 4_320)
        #expect(stored == expected)
        #expect(try await f.gapCount("BTC-USDT", "1m", fromMs: from, toMs: to) == 0)
        #expect(try await f.refusedTotal() == 0)

        try await f.sim.post("/sim/stats/reset")
        _ = try await f.run("backfill", backfillPayload("BTC-USDT", "1m", from, to)).get()
        #expect(try await f.candleRequests().isEmpty, "a complete range is not fetched again")
        #expect(try await f.count("BTC-USDT", "1m") == 4_320)
    }

    @Test("a backfill reaching now also uses /market/candles, stores the forming candle unconfirmed")
    func reachingNow() async throws {
        let f = try await IngestFixture.make()
        defer { Task { await f.close() } }
        let from = SimTime.nowMs - 2 * SimTime.dayMs
        let farTo = SimTime.nowMs + SimTime.dayMs
        _ = try await f.run("backfill", backfillPayload("ETH-USDT", "1m", from, farTo)).get()
        let stored = try await f.stored("ETH-USDT", "1m", fromMs: from, toMs: farTo)
        let expected = try await f.sim.candles(instId: "ETH-USDT", bar: "1m", fromMs: from, toMs: farTo)
        #expect(stored.count == expected.count)
        #expect(stored == expected)
        #expect(stored.last?[8] == "0", "the forming candle is unconfirmed")
        let endpoints = Set(try await f.candleRequests().compactMap { $0["endpoint"] as? String })
        #expect(endpoints == ["candles", "history-candles"])
        #expect(try await f.refusedTotal() == 0)
    }

    @Test("an interrupted backfill resumes without refetching the pages it stored")
    func resumes() async throws {
        // OKX's real limits here: the first window's pages arrive at once, then pacing leaves time to interrupt.
        let f = try await IngestFixture.make(scale: 1, marginMs: 500)
        defer { Task { await f.close() } }
        let from = SimTime.march1 - 8 * SimTime.dayMs, to = SimTime.march1   // 11,520 candles, 39 pages
        let (job, context) = try await f.enqueueAndClaim("backfill", backfillPayload("SOL-USDT", "1m", from, to))
        let handler = f.handler("backfill")
        let run = Task { try await handler.run(job, context) }
        var storedAtCancel = 0
        for _ in 0..<2_000 {
            storedAtCancel = try await f.count("SOL-USDT", "1m")
            if storedAtCancel >= 1_500 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        context.markCancelled()
        await #expect(throws: JobCancelled.self) { _ = try await run.value }
        let storedAfterFirst = try await f.count("SOL-USDT", "1m")
        #expect(storedAfterFirst > 0 && storedAfterFirst < 11_520)

        try await f.sim.post("/sim/stats/reset")
        let (job2, context2) = try await f.enqueueAndClaim("backfill", backfillPayload("SOL-USDT", "1m", from, to))
        _ = try await f.handler("backfill").run(job2, context2)
        let served = try await f.candleRequests().reduce(0) { $0 + (($1["rows"] as? Int) ?? 0) }
        #expect(try await f.count("SOL-USDT", "1m") == 11_520)
        #expect(try await f.gapCount("SOL-USDT", "1m", fromMs: from, toMs: to) == 0)
        // Only the missing part is fetched again (plus at most a page of overlap at its edge).
        #expect(served <= 11_520 - storedAfterFirst + 300)
        #expect(try await f.refusedTotal() == 0)
    }

    @Test("OKX's 'nothing older' is remembered: the pre-listing past is not asked for again")
    func historyStart() async throws {
        let f = try await IngestFixture.make()
        defer { Task { await f.close() } }
        // okx-sim's history starts 2024-01-01: ask from 2023-12-31.
        let from = SimTime.march1 - 61 * SimTime.dayMs - SimTime.dayMs / 2
        let start: Int64 = 1_704_067_200_000
        let to = start + SimTime.dayMs / 2
        _ = try await f.run("backfill", backfillPayload("XRP-USDT", "1m", from, to)).get()
        #expect(try await f.count("XRP-USDT", "1m") == 720)
        let r = try await f.database.query(
            "select (extract(epoch from market.candle_history_start('XRP-USDT', '1m')) * 1000)::bigint as ms")
        #expect(try r.first?.int64("ms") == start)
        try await f.sim.post("/sim/stats/reset")
        _ = try await f.run("backfill", backfillPayload("XRP-USDT", "1m", from, to)).get()
        #expect(try await f.candleRequests().isEmpty)
    }
}

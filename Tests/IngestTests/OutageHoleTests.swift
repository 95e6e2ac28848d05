// After an outage longer than ingest's 1,440-bar window, the schedules and a worker alone bring
// the series back to complete: the first ingest queues the fill of the hole it cannot reach.

import CivilTime
import Foundation
import Postgres
import TestSupport
import Testing
@testable import Worker

@Suite("holes after outages")
struct OutageHoleTests {
    @Test("candles that end three days ago: with nobody acting, the worker fills the hole and the series is complete to the current bar")
    func threeDayOutage() async throws {
        let f = try await IngestFixture.make()          // okx-sim frozen at SimTime.nowMs: after the outage
        defer { Task { await f.close() } }
        let cli = Paths.executable("candlestack")
        let outageStart = SimTime.nowMs - 3 * SimTime.dayMs
        let historyFrom = (outageStart / SimTime.minuteMs) * SimTime.minuteMs - 6 * 60 * SimTime.minuteMs
        let okxArguments = ["--okx-rate-limit-scale", "10", "--rate-key", f.rateKey, "--log-level", "warning"]

        // Before the outage: an okx-sim whose clock stands three days earlier (same seed, same
        // history); the entry's backfill brings the series up to that "now".
        let before = try await OKXSimProcess.start(seed: 7, from: SimTime.from, nowMs: outageStart, rateLimitScale: 10)
        defer { before.stop() }
        _ = try await runProgram(cli, ["watchlist", "add", "--database-url", f.conninfo,
                                       "--inst", "BTC-USDT", "--bar", "1m", "--from", SimTime.iso(historyFrom)])
        let first = try await runProgram(cli, ["worker", "--database-url", f.conninfo, "--okx-base-url", before.baseURL.absoluteString,
                                               "--kinds", "backfill", "--exit-when-idle"] + okxArguments)
        #expect(first.status == 0)
        before.stop()
        let newestMs = try #require(try await f.database.query(
            "select (extract(epoch from max(ts)) * 1000)::bigint as ms from market.candles where inst_id = 'BTC-USDT' and bar = '1m'"
        ).first?.int64("ms"))
        #expect(newestMs == (outageStart / SimTime.minuteMs) * SimTime.minuteMs, "stored candles end three days ago")

        // After the outage: the schedules and a worker of every kind, nobody acting.
        let worker = try WorkerProcess(conninfo: f.conninfo, ["--okx-base-url", f.sim.baseURL.absoluteString,
                                                             "--maintenance-seconds", "0.5", "--poll-seconds", "0.5"] + okxArguments)
        let c = try Connection(f.conninfo)
        defer { c.close() }
        var fill: (status: String, error: String)? = nil
        _ = try await eventually(timeout: .seconds(180), every: .milliseconds(200)) {
            let r = try c.query(
                "select status, coalesce(last_error, '') as error from queue.jobs where unique_key = 'ingest_hole:BTC-USDT:1m'")
            if let row = r.first { fill = (try row.string("status") ?? "", try row.string("error") ?? "") }
            return fill.map { ["succeeded", "failed", "cancelled"].contains($0.status) } ?? false
        }
        worker.signal(SIGTERM)
        await worker.wait()
        #expect(fill?.status == "succeeded", "the ingest after the outage queues a fill that succeeds: \(fill?.error ?? "no fill job")\n\(String(worker.log.suffix(2_000)))")

        // The fill covers exactly the hole: from the newest stored candle (it was still forming when
        // the outage began, so it is fetched again closed) to the window.
        let currentBar = (SimTime.nowMs / SimTime.minuteMs) * SimTime.minuteMs
        let windowFrom = currentBar - 1_439 * SimTime.minuteMs
        let payload = try await f.database.query(
            "select payload ->> 'from' as f, payload ->> 'to' as t from queue.jobs where unique_key = 'ingest_hole:BTC-USDT:1m'")
        #expect(try payload.first?.string("f") == SimTime.iso(newestMs))
        #expect(try payload.first?.string("t") == SimTime.iso(windowFrom))

        let end = currentBar + SimTime.minuteMs
        #expect(try await f.gapCount("BTC-USDT", "1m", fromMs: historyFrom, toMs: end) == 0, "market.gaps is empty to the current bar")
        let expected = try await f.sim.candles(instId: "BTC-USDT", bar: "1m", fromMs: newestMs, toMs: windowFrom)
        let stored = try await f.stored("BTC-USDT", "1m", fromMs: newestMs, toMs: windowFrom)
        #expect(stored.count == expected.count && stored.count == Int((windowFrom - newestMs) / SimTime.minuteMs))
        #expect(stored.first?.last == "1", "the candle that was forming when the outage began is stored closed")
        let differing = zip(stored, expected).filter { $0 != $1 }.count
        #expect(differing == 0, "the hole holds okx-sim's candles (\(differing) differ)")
    }
}

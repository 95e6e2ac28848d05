// End to end: the CLI queues, `candlestack worker --exit-when-idle` runs the job against okx-sim.

import Foundation
import Postgres
import TestSupport
import Testing
@testable import Worker

/// True once `candlestack worker` takes the OKX options (OKXOptions wired into WorkerCommand with
/// ingestHandlers); until then this suite is skipped rather than failing.
let workerRunsIngest: Bool = {
    guard let help = try? Shell.run(Paths.executable("candlestack"), ["worker", "--help"], check: false) else { return false }
    return help.stdout.contains("--okx-base-url")
}()

@Suite("worker end to end", .enabled(if: workerRunsIngest, "candlestack worker does not take --okx-base-url yet"))
struct WorkerEndToEndTests {
    @Test("watchlist add queues a backfill that candlestack worker runs to okx-sim's exact candles")
    func watchlistBackfill() async throws {
        let f = try await IngestFixture.make()
        defer { Task { await f.close() } }
        let cli = Paths.executable("candlestack")
        let added = try Shell.run(cli, ["watchlist", "add", "--database-url", f.conninfo,
                                        "--inst", "BTC-USDT", "--bar", "1m", "--from", "2024-03-09"])
        #expect(added.stdout.contains("backfill job"))
        let worker = try Shell.run(cli, ["worker", "--database-url", f.conninfo, "--okx-base-url", f.sim.baseURL.absoluteString,
                                         "--okx-rate-limit-scale", "10", "--rate-key", f.rateKey, "--kinds", "backfill",
                                         "--exit-when-idle", "--log-level", "warning"])
        #expect(worker.status == 0)
        let job = try await f.database.query(
            "select status, last_error, result::text as result from queue.jobs where unique_key = 'backfill:BTC-USDT:1m'")
        let lastError = try job.first?.string("last_error") ?? ""
        #expect(try job.first?.string("status") == "succeeded", "\(lastError)")
        let from: Int64 = SimTime.march1 + 8 * SimTime.dayMs
        let to = SimTime.nowMs + SimTime.minuteMs
        let expected = try await f.sim.candles(instId: "BTC-USDT", bar: "1m", fromMs: from, toMs: to)
        let stored = try await f.stored("BTC-USDT", "1m", fromMs: from, toMs: to)
        #expect(stored.count == expected.count)
        #expect(stored == expected)
        #expect(try await f.refusedTotal() == 0)
        let list = try Shell.run(cli, ["watchlist", "list", "--database-url", f.conninfo])
        #expect(list.stdout.contains("BTC-USDT") && list.stdout.contains("succeeded"))
    }
}

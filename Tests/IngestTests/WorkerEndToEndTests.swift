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
        let added = try await runProgram(cli, ["watchlist", "add", "--database-url", f.conninfo,
                                        "--inst", "BTC-USDT", "--bar", "1m", "--from", "2024-03-09"])
        #expect(added.stdout.contains("backfill job"))
        let worker = try await runProgram(cli, ["worker", "--database-url", f.conninfo, "--okx-base-url", f.sim.baseURL.absoluteString,
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
        let list = try await runProgram(cli, ["watchlist", "list", "--database-url", f.conninfo])
        #expect(list.stdout.contains("BTC-USDT") && list.stdout.contains("succeeded"))
    }

    @Test("a worker killed mid-backfill: the rescued job finishes without refetching what was stored")
    func killedWorker() async throws {
        let f = try await IngestFixture.make(scale: 1, marginMs: 500)
        defer { Task { await f.close() } }
        let cli = Paths.executable("candlestack")
        let from = SimTime.march1 - 8 * SimTime.dayMs, to = SimTime.march1     // 11,520 candles, 39 pages
        _ = try await runProgram(cli, ["backfill", "--database-url", f.conninfo, "--inst", "SOL-USDT", "--bar", "1m",
                                "--from", SimTime.iso(from), "--to", SimTime.iso(to)])
        let workerArguments = ["worker", "--database-url", f.conninfo, "--okx-base-url", f.sim.baseURL.absoluteString,
                               "--okx-rate-margin-ms", "500", "--rate-key", f.rateKey, "--kinds", "backfill",
                               "--lease-seconds", "2", "--maintenance-seconds", "0.5", "--log-level", "warning"]
        let pid = try Shell.spawn(cli, workerArguments)
        var stored = 0
        for _ in 0..<3_000 {
            stored = try await f.count("SOL-USDT", "1m")
            if stored >= 1_500 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        kill(pid, SIGKILL)
        _ = await waitForExit(pid)
        let storedAtKill = try await f.count("SOL-USDT", "1m")
        #expect(storedAtKill > 0 && storedAtKill < 11_520)
        try await f.sim.post("/sim/stats/reset")
        // Skip the wait for the dead worker's lease (backfill's lease is a minute).
        try await f.database.query("update queue.jobs set lease_until = now() - interval '1 second' where status = 'running'")

        let second = try await runProgram(cli, workerArguments + ["--exit-when-idle"])
        #expect(second.status == 0)
        let job = try await f.database.query("select status, attempts from queue.jobs where kind = 'backfill'")
        #expect(try job.first?.string("status") == "succeeded")
        #expect(try job.first?.int("attempts") == 2)
        #expect(try await f.count("SOL-USDT", "1m") == 11_520)
        #expect(try await f.gapCount("SOL-USDT", "1m", fromMs: from, toMs: to) == 0)
        let served = try await f.candleRequests().reduce(0) { $0 + (($1["rows"] as? Int) ?? 0) }
        #expect(served <= 11_520 - storedAtKill + 300, "only the missing part is fetched again")
        #expect(try await f.refusedTotal() == 0)
    }
}

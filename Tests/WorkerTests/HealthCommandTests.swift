import Foundation
import Postgres
import Testing
import TestSupport

/// `candlestack health`: exit 0 when healthy, 1 with the reason when not.
@Suite("candlestack health")
struct HealthCommandTests {
    func health(_ args: [String]) async throws -> Shell.Output {
        try await Shell.run(Paths.executable("candlestack"), ["health"] + args, check: false)
    }

    @Test func healthyWithALiveWorkerAndUnhealthyWithReasons() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let c = try Connection(conninfo)
        let schema = ["--schema-dir", Paths.repository.path, "--database-url", conninfo]

        let noWorker = try await health(schema)
        #expect(noWorker.status == 1)
        #expect(noWorker.stdout.contains("FAIL  0 live worker(s), expected at least 1"))
        #expect(noWorker.stdout.contains("ok    schema current"))

        let worker = try WorkerProcess(conninfo: conninfo)
        #expect(try await eventually { try c.query("select count(*) as n from queue.workers where stopped_at is null").first?.int("n") == 1 })
        let healthy = try await health(schema)
        #expect(healthy.status == 0, "\(healthy.stdout)")

        worker.signal(SIGTERM)
        #expect(await worker.wait() == 0)
        // A claimable job that has waited two hours makes the queue count as stuck.
        try c.query("insert into queue.jobs (kind, payload, run_at) values ('noop', '{}', now() - interval '2 hours')")
        let stuck = try await health(schema + ["--min-workers", "0", "--max-queue-wait-seconds", "60"])
        #expect(stuck.status == 1)
        #expect(stuck.stdout.contains("queue stuck"))

        let unreachable = try await health(["--database-url", "host=127.0.0.1 port=1 dbname=x"])
        #expect(unreachable.status == 1)
        #expect(unreachable.stdout.contains("database unreachable"))
    }
}

import Foundation
import Postgres
import Testing
import TestSupport

/// The prune job kind run by a real worker: it deletes what queue.retention no longer keeps, in
/// batches (one transaction each), and reports what it did.
@Suite("Worker: the prune job")
struct PruneJobTests {
    @Test func aWorkerRunsThePruneJobInBatchesAndDeletesOnlyWhatIsPastRetention() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let c = try Connection(conninfo)
        // Five noop jobs succeeded 8 days ago (succeeded keep: 7 days), one today, and a worker row
        // not seen for 8 days (workers keep: 7 days).
        try c.query("insert into queue.jobs (kind, unique_key) select 'noop', 'old' || i from generate_series(1, 5) as i")
        try c.query("insert into queue.jobs (kind, unique_key) values ('noop', 'recent')")
        try c.query("select queue.complete(id, 'w0', attempts) from queue.claim('w0', array['noop'], 10, '30 s')")
        try c.query("update queue.jobs set finished_at = now() - interval '8 days' where unique_key like 'old%'")
        try c.query("select queue.register_worker('long-gone', 'h', 1, null)")
        try c.query("update queue.workers set last_seen = now() - interval '8 days' where id = 'long-gone'")
        let id = try #require(try c.query("select id from queue.enqueue('prune', '{\"batch_size\": 2}')").first?.int64("id"))

        let worker = try WorkerProcess(conninfo: conninfo, ["--kinds", "prune", "--exit-when-idle"])
        #expect(await worker.wait() == 0)

        let row = try #require(try c.query("""
            select status, (result->>'jobs_deleted')::int as jobs, (result->>'workers_deleted')::int as workers,
                   (result->>'batches')::int as batches
              from queue.jobs where id = $1
            """, [id]).first)
        #expect(try row.string("status") == "succeeded")
        #expect(try row.int("jobs") == 5)
        #expect(try row.int("workers") == 1)
        #expect(try row.int("batches") == 3, "batch_size 2 over 5 jobs: 2 + 2 + 1")
        let left = try c.query("select string_agg(unique_key, ',' order by unique_key) as k from queue.jobs where kind = 'noop'")
        #expect(try left.first?.string("k") == "recent")
        #expect(try c.query("select count(*) as n from queue.workers where id = 'long-gone'").first?.int("n") == 0)
    }
}

import Foundation
import Postgres
import Testing
import TestSupport

@Suite("Queue across connections")
struct QueueConcurrencyTests {
    @Test func twoClaimersNeverReceiveTheSameJob() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let setup = try Connection(conninfo)
        try setup.query("insert into queue.jobs (kind, payload) select 'noop', '{}' from generate_series(1, 2000)")
        func drain(_ worker: String) async throws -> [Int64] {
            try await Task.detached {
                let c = try Connection(conninfo)
                var ids: [Int64] = []
                while true {
                    let rows = try c.query("select id from queue.claim($1, null, 25, '1 minute')", [worker])
                    if rows.count == 0 { return ids }
                    ids += try rows.rows().map { try $0.required("id", $0.int64) }
                }
            }.value
        }
        async let a = drain("claimer-a")
        async let b = drain("claimer-b")
        let (idsA, idsB) = try await (a, b)
        #expect(Set(idsA).isDisjoint(with: Set(idsB)))
        #expect(idsA.count + idsB.count == 2000)
        #expect(Set(idsA + idsB).count == 2000)
    }

    @Test func aLateCompleteFromTheOldOwnerIsRefused() async throws {
        let c = try Connection(try TestCluster.shared.createMigratedDatabase())
        let id = try #require(try c.query("select id from queue.enqueue('noop', '{}')").first?.int64("id"))
        try c.query("select * from queue.claim('old-owner', null, 1, '1 minute')")
        // The old owner's lease runs out; the job is rescued and claimed by another worker.
        try c.query("update queue.jobs set lease_until = now() - interval '1 second' where id = $1", [id])
        #expect(try c.query("select queue.rescue_expired() as n").first?.int("n") == 1)
        try c.query("update queue.jobs set run_at = now() where id = $1", [id])   // rescue backs off; skip the wait
        #expect(try c.query("select id from queue.claim('new-owner', null, 1, '1 minute')").first?.int64("id") == id)
        do {
            try c.query("select queue.complete($1, 'old-owner', 1)", [id])
            Issue.record("the old owner's complete was accepted")
        } catch let error as PostgresError {
            #expect(error.sqlState == "55000")
        }
        #expect(try c.query("select count(*) as n from queue.complete_many(array[$1]::bigint[], 'old-owner', array[1])", [id]).first?.int("n") == 0)
        #expect(try c.query("select locked_by from queue.jobs where id = $1", [id]).first?.string("locked_by") == "new-owner")
    }

    @Test func insertNotifiesQueueJobsOncePerStatementAndKind() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let listener = try Connection(conninfo)
        try listener.listen(["queue_jobs"])
        let c = try Connection(conninfo)
        try c.query("insert into queue.jobs (kind, payload) select 'noop', '{}' from generate_series(1, 50)")
        try c.query("insert into queue.jobs (kind, payload, run_at) values ('noop', '{}', now() + interval '1 hour')")
        var got: [PostgresNotification] = []
        _ = try await eventually(timeout: .seconds(5)) {
            got += try listener.waitForNotifications(timeout: .milliseconds(200))
            return got.count >= 1
        }
        got += try listener.waitForNotifications(timeout: .milliseconds(300))
        #expect(got.map(\.payload) == ["noop"])
    }
}

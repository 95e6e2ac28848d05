import Foundation
import Postgres
import Testing
import TestSupport

/// queue.claim with a kinds list (the per-kind path over jobs_claimable_by_kind) from several
/// connections at once: every job is claimed exactly once, and no claim comes back empty while
/// jobs of its kinds are still queued (SKIP LOCKED walks past rows another claimer holds).
@Suite("Queue: claims by kind across connections")
struct ClaimByKindConcurrencyTests {
    @Test func threeClaimersOfTwoKindsNeverReceiveTheSameJobAndLeaveNoneBehind() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let setup = try Connection(conninfo)
        try setup.query("insert into queue.jobs (kind, payload) select 'noop', '{}' from generate_series(1, 1000)")
        try setup.query("insert into queue.jobs (kind, payload) select 'refresh_views', '{}' from generate_series(1, 1000)")
        // Jobs of another kind ahead of them all: never claimed by these workers.
        try setup.query("insert into queue.jobs (kind, payload, priority) select 'prune', '{}', 0 from generate_series(1, 500)")
        func drain(_ worker: String) async throws -> [Int64] {
            try await Task.detached {
                let c = try Connection(conninfo)
                var ids: [Int64] = []
                while true {
                    let rows = try c.query("select id from queue.claim($1, array['refresh_views', 'noop'], 25, '1 minute')", [worker])
                    if rows.count == 0 { return ids }
                    ids += try rows.rows().map { try $0.required("id", $0.int64) }
                }
            }.value
        }
        async let a = drain("claimer-a")
        async let b = drain("claimer-b")
        async let c = drain("claimer-c")
        let (idsA, idsB, idsC) = try await (a, b, c)
        let all = idsA + idsB + idsC
        #expect(all.count == 2000, "claimed \(all.count) of 2000")
        #expect(Set(all).count == all.count, "a job was claimed twice")
        let left = try setup.query("""
            select count(*) filter (where kind <> 'prune' and status = 'queued') as mine_left,
                   count(*) filter (where kind = 'prune' and status = 'queued') as other_left,
                   count(*) filter (where status = 'running' and attempts <> 1) as odd
              from queue.jobs
            """).first
        #expect(try left?.int("mine_left") == 0)
        #expect(try left?.int("other_left") == 500)
        #expect(try left?.int("odd") == 0)
    }
}

import Foundation
import Postgres
import Testing
import TestSupport

/// A schedule whose job is refused shows in `candlestack status`, and makes `candlestack health`
/// unhealthy once it keeps failing (3 refusals in a row); the other checks stay as they were.
@Suite("candlestack status and health: failing schedules")
struct FailingScheduleCommandTests {
    func candlestack(_ args: [String]) async throws -> Shell.Output {
        try await Shell.run(Paths.executable("candlestack"), args, check: false)
    }

    @Test func aScheduleThatKeepsFailingIsShownAndUnhealthy() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let c = try Connection(conninfo)
        defer { c.close() }
        let health = ["health", "--schema-dir", Paths.repository.path, "--min-workers", "0", "--database-url", conninfo]
        try c.executeScript("""
            insert into queue.job_kinds (kind, description, validator) values ('test_failing', 'test kind', 'queue.validate_noop');
            insert into queue.schedules (name, kind, every, next_run_at) values ('refused-one', 'test_failing', interval '1 minute', now() - interval '1 hour');
            update queue.job_kinds set enabled = false where kind = 'test_failing';
            """)
        // One refusal: shown by status, but health does not page for it yet.
        #expect(try c.query("select queue.enqueue_due() as n").first?.int("n") == 0)
        let once = try await candlestack(health)
        #expect(once.status == 0, "\(once.stdout)")
        #expect(once.stdout.contains("ok    no schedule keeps failing"))

        // Three in a row (retry_at cleared to skip the backoff): it keeps failing.
        for _ in 0..<2 {
            _ = try c.query("update queue.schedules set retry_at = null where name = 'refused-one'")
            _ = try c.query("select queue.enqueue_due()")
        }
        let failing = try await candlestack(health)
        #expect(failing.status == 1)
        #expect(failing.stdout.contains("FAIL  1 schedule(s) keep failing"), "\(failing.stdout)")
        #expect(failing.stdout.contains("refused-one (3 in a row: queue.jobs: kind test_failing is disabled"), "\(failing.stdout)")

        let status = try await candlestack(["status", "--database-url", conninfo])
        #expect(status.status == 0, "\(status.stderr)")
        let lines = status.stdout.components(separatedBy: "\n")
        let section = lines.drop { !$0.hasPrefix("failing schedules") }
        let row = section.first { $0.contains("refused-one") } ?? ""
        #expect(row.contains("test_failing") && row.contains(" 3 ") && row.contains("yes") && row.contains("SQLSTATE 55000"),
                "status row: \(row)")

        // Its kind enabled again, it fires: healthy, and gone from status.
        try c.executeScript("""
            update queue.job_kinds set enabled = true where kind = 'test_failing';
            update queue.schedules set retry_at = null where name = 'refused-one';
            """)
        #expect(try c.query("select queue.enqueue_due() as n").first?.int("n") == 1)
        let healed = try await candlestack(health)
        #expect(healed.status == 0, "\(healed.stdout)")
        let after = try await candlestack(["status", "--database-url", conninfo])
        #expect(!after.stdout.contains("refused-one"))
    }
}

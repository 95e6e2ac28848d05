import Foundation
import Postgres
import Testing
import TestSupport

/// `candlestack status` shows ages over a day with their days: it used to format them with
/// to_char(..., 'HH24:MI:SS'), which showed a job running for 3 days 4 hours as running for 4 hours.
@Suite("candlestack status")
struct StatusCommandTests {
    @Test func agesOverADayKeepTheirDays() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let c = try Connection(conninfo)
        defer { c.close() }
        try c.executeScript("""
            insert into queue.jobs (kind, payload) values ('noop', '{}');
            select queue.register_worker('status-test', 'h', 1, null);
            select count(*) from queue.claim('status-test', array['noop'], 1, interval '1 hour');
            update queue.jobs set started_at = now() - interval '3 days 04:05:00' where status = 'running';
            insert into queue.jobs (kind, payload, run_at) values ('noop', '{}', now() - interval '2 days 01:00:00');
            """)
        let out = try await Shell.run(Paths.executable("candlestack"), ["status", "--database-url", conninfo], check: false)
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.components(separatedBy: "\n")
        // The seconds are those elapsed since the SETUP (under a minute); the days and hours are exact.
        let running = lines.drop { $0 != "running jobs" }.first { $0.contains("status-test") } ?? ""
        #expect(running.contains(" 3 days 04:05:0"), "running jobs row: \(running)")
        let queue = lines.drop { !$0.hasPrefix("queue (") }.first { $0.hasPrefix("  noop ") } ?? ""
        #expect(queue.contains(" 2 days 01:00:0"), "queue row: \(queue)")
        let worker = lines.drop { !$0.hasPrefix("workers seen") }.first { $0.contains("status-test") } ?? ""
        #expect(worker.contains(" 00:00:"), "workers row: \(worker)")
    }
}

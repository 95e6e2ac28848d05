import Foundation
import Postgres
import Testing
import TestSupport

/// `candlestack watch` without job ids follows the jobs queued or running when it starts until
/// each has ended, and exits 1 naming those that failed (it used to re-read only queued and running
/// jobs, so an ended job vanished from its view and it always exited 0).
@Suite("candlestack watch")
struct WatchCommandTests {
    @Test func withoutIdsItFollowsTheJobsItSawAndNamesTheFailedOne() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let c = try Connection(conninfo)
        defer { c.close() }
        let ids = try c.query("""
            insert into queue.jobs (kind, payload) values ('noop', '{}'), ('noop', '{}') returning id
            """).rows().map { try $0.required("id", $0.int64) }
        #expect(ids.count == 2)

        let base = "\(FileManager.default.temporaryDirectory.path)/watch-\(UUID().uuidString)"
        defer { unlink(base + ".out"); unlink(base + ".err") }
        let pid = try Shell.spawn(Paths.executable("candlestack"), ["watch", "--database-url", conninfo],
                                  stdout: base + ".out", stderr: base + ".err")
        func stdout() -> String { (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "" }
        // It has fixed the jobs it follows once it says so; only then do they end.
        let started = try await eventually { stdout().contains("watching 2 job(s): \(ids[0]) \(ids[1])") }
        if !started { kill(pid, SIGKILL); _ = Shell.wait(pid) }
        try #require(started, "watch did not start: \(stdout())")

        try c.executeScript("""
            select queue.register_worker('watch-test', 'h', 1, null);
            select count(*) from queue.claim('watch-test', array['noop'], 2, interval '1 minute');
            """)
        _ = try c.query("select queue.fail($1, 'watch-test', attempts, 'boom: the test failed it', false) from queue.jobs where id = $1", [ids[0]])
        _ = try c.query("select queue.complete($1, 'watch-test', attempts) from queue.jobs where id = $1", [ids[1]])

        var status: Int32? = nil
        let ended = try await eventually { status = Shell.poll(pid); return status != nil }
        if !ended { kill(pid, SIGKILL); _ = Shell.wait(pid) }
        let stderr = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
        #expect(ended, "watch did not end after both jobs ended")
        #expect(status == 1, "exit status \(String(describing: status)); stderr: \(stderr)")
        #expect(stderr.contains("job \(ids[0]) (noop) failed: boom: the test failed it"), "stderr: \(stderr)")
        #expect(!stderr.contains("job \(ids[1]) "), "stderr: \(stderr)")
        #expect(stdout().contains("succeeded"), "the final board shows the job that succeeded")
    }

    @Test func givenIdsThatDoNotExistItSaysSo() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let base = "\(FileManager.default.temporaryDirectory.path)/watch-\(UUID().uuidString)"
        defer { unlink(base + ".out"); unlink(base + ".err") }
        // Spawned and bounded: it used to wait forever for a job that does not exist.
        let pid = try Shell.spawn(Paths.executable("candlestack"), ["watch", "--database-url", conninfo, "987654"],
                                  stdout: base + ".out", stderr: base + ".err")
        var status: Int32? = nil
        let ended = try await eventually { status = Shell.poll(pid); return status != nil }
        if !ended { kill(pid, SIGKILL); _ = Shell.wait(pid) }
        let stderr = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
        #expect(ended, "watch kept waiting for a job that does not exist")
        #expect(status != nil && status != 0)
        #expect(stderr.contains("no such job: 987654"), "stderr: \(stderr)")
    }
}

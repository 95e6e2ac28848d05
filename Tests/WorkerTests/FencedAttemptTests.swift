import Foundation
import Postgres
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Two incarnations of one worker id (systemd's `--worker-id %H:%i` survives a restart): the old
/// one freezes past its lease, the job is rescued and claimed again by the new one, then the old
/// one wakes up. Its answer for attempt 1 must be refused although the worker id matches.
@Suite("Fencing per attempt")
struct FencedAttemptTests {
    @Test func aFrozenIncarnationCannotAnswerForTheAttemptItsSuccessorHolds() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let c = try Connection(conninfo)
        let workerID = "host-a:1"
        // Long enough that the old incarnation is frozen before its job ends; it records an effect
        // in the completing transaction, so an accepted late completion would leave a row.
        let id = try #require(try c.query("""
            select id from queue.enqueue('noop', '{"sleep_ms": 8000, "record_effect": true}')
            """).first?.int64("id"))
        func job() throws -> (status: String?, attempts: Int?, lockedBy: String?) {
            let row = try c.query("select status, attempts, locked_by from queue.jobs where id = $1", [id]).first
            return (try row?.string("status"), try row?.int("attempts"), try row?.string("locked_by"))
        }

        let old = try WorkerProcess(conninfo: conninfo, ["--worker-id", workerID, "--lease-seconds", "2",
                                                         "--grace-seconds", "60", "--maintenance-seconds", "60"])
        try #require(try await eventually(timeout: .seconds(90)) { try job().status == "running" }, "the first incarnation never claimed the job; its log: \(old.log.suffix(3000))")
        old.signal(SIGSTOP)

        // Its lease runs out (no heartbeat from a stopped process); rescue it and make it claimable
        // now (rescue backs off), with a payload that keeps attempt 2 running to the end of the test.
        try c.query("update queue.jobs set lease_until = now() - interval '1 second' where id = $1", [id])
        #expect(try c.query("select queue.rescue_expired() as n").first?.int("n") == 1)
        try c.query("""
            update queue.jobs set run_at = now(), payload = '{"sleep_ms": 600000, "record_effect": true}' where id = $1
            """, [id])
        let new = try WorkerProcess(conninfo: conninfo, ["--worker-id", workerID])
        #expect(try await eventually(timeout: .seconds(90)) { try job().status == "running" && job().attempts == 2 })

        // The old incarnation wakes up, finishes or loses its attempt 1, and exits; by then every
        // answer it had for the job was sent.
        old.signal(SIGCONT)
        old.signal(SIGTERM)
        #expect(await old.wait() == 0)
        let log = old.log
        #expect(log.contains("refused a late answer") || log.contains("lease was lost"),
                "the old incarnation neither had its answer refused nor noticed the lost lease")

        let now = try job()
        #expect(now.status == "running", "attempt 2 must still be running")
        #expect(now.attempts == 2)
        #expect(now.lockedBy == workerID)
        #expect(try c.query("select count(*) as n from queue.noop_effects where job_id = $1", [id]).first?.int("n") == 0,
                "a late completion of attempt 1 was accepted")

        try c.query("select queue.cancel($1)", [id])
        #expect(try await eventually { try job().status == "cancelled" })
        new.signal(SIGTERM)
        #expect(await new.wait() == 0)
    }
}

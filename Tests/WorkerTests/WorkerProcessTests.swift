import Foundation
import Postgres
import Testing
import TestSupport

/// The worker as operators run it: separate processes, signals, kill -9.
@Suite("Worker processes")
struct WorkerProcessTests {
    func status(_ c: Connection, _ id: Int64) throws -> String? {
        try c.query("select status from queue.jobs where id = $1", [id]).first?.string("status")
    }

    @Test func aNotificationWakesAnIdleWorkerThatWouldNotPollForAMinute() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let c = try Connection(conninfo)
        let worker = try WorkerProcess(conninfo: conninfo, ["--poll-seconds", "60"])
        #expect(try await eventually { try c.query("select count(*) as n from queue.workers where stopped_at is null").first?.int("n") == 1 })
        await pause(0.3) // let it finish its first (empty) claim and start waiting
        try c.query("insert into queue.jobs (kind, payload) values ('noop', '{\"sleep_ms\": 10}')")
        #expect(try await eventually(timeout: .seconds(20)) { try c.query("select count(*) as n from queue.jobs where status = 'succeeded'").first?.int("n") == 1 })
        worker.signal(SIGTERM)
        #expect(await worker.wait() == 0)
    }

    @Test func aKilledWorkersJobIsRescuedAfterItsLeaseAndRunsAgain() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let c = try Connection(conninfo)
        let id = try #require(try c.query("select id from queue.enqueue('noop', '{\"sleep_ms\": 60000}')").first?.int64("id"))
        let first = try WorkerProcess(conninfo: conninfo, ["--lease-seconds", "2"])
        #expect(try await eventually { try status(c, id) == "running" })
        await first.kill9()
        try c.query("update queue.jobs set payload = '{\"sleep_ms\": 10}' where id = $1", [id])
        let second = try WorkerProcess(conninfo: conninfo, ["--lease-seconds", "2", "--maintenance-seconds", "0.5", "--exit-when-idle"])
        #expect(await second.wait() == 0)
        let row = try #require(try c.query("select status, attempts from queue.jobs where id = $1", [id]).first)
        #expect(try row.string("status") == "succeeded")
        #expect(try row.int("attempts") == 2)
        #expect(try c.query("select count(*) as n from queue.job_events where job_id = $1 and event = 'rescued'", [id]).first?.int("n") == 1)
    }

    @Test func cancelReachesARunningJob() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let c = try Connection(conninfo)
        let id = try #require(try c.query("select id from queue.enqueue('noop', '{\"sleep_ms\": 600000}')").first?.int64("id"))
        let worker = try WorkerProcess(conninfo: conninfo)
        #expect(try await eventually { try status(c, id) == "running" })
        try c.query("select queue.cancel($1)", [id])
        #expect(try await eventually { try status(c, id) == "cancelled" })
        worker.signal(SIGTERM)
        #expect(await worker.wait() == 0)
    }

    @Test func sigtermLetsAShortJobFinishAndReleasesALongOne() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let c = try Connection(conninfo)
        // The short job outlasts any pause of this test's own polling on a busy machine, and the
        // grace period outlasts the short job; the long one outlasts the grace period.
        let short = try #require(try c.query("select id from queue.enqueue('noop', '{\"sleep_ms\": 8000}')").first?.int64("id"))
        let long = try #require(try c.query("select id from queue.enqueue('noop', '{\"sleep_ms\": 600000}')").first?.int64("id"))
        let worker = try WorkerProcess(conninfo: conninfo, ["--grace-seconds", "15"])
        #expect(try await eventually {
            try ["running", "succeeded"].contains(status(c, short) ?? "") && status(c, long) == "running"
        })
        worker.signal(SIGTERM)
        #expect(await worker.wait() == 0)
        #expect(try status(c, short) == "succeeded")
        let row = try #require(try c.query("select status, attempts, locked_by from queue.jobs where id = $1", [long]).first)
        #expect(try row.string("status") == "queued")
        #expect(try row.int("attempts") == 0)
        #expect(try row.string("locked_by") == nil)
        #expect(try c.query("select stopped_at is not null as stopped from queue.workers").first?.bool("stopped") == true)
    }

    @Test func aScheduleFiresOncePerPeriodWithTwoWorkers() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let c = try Connection(conninfo)
        try c.query("""
            insert into queue.schedules (name, kind, payload, every, next_run_at)
            values ('hourly-noop', 'noop', '{}', interval '1 hour', now())
            """)
        let a = try WorkerProcess(conninfo: conninfo, ["--maintenance-seconds", "0.2"])
        let b = try WorkerProcess(conninfo: conninfo, ["--maintenance-seconds", "0.2"])
        #expect(try await eventually { try c.query("select count(*) as n from queue.jobs where status = 'succeeded'").first?.int("n") == 1 })
        // Both workers keep calling enqueue_due every ~0.2 s for a while; the period has not passed.
        await pause(2)
        #expect(try c.query("select count(*) as n from queue.jobs").first?.int("n") == 1)
        #expect(try c.query("select next_run_at > now() + interval '50 minutes' as later from queue.schedules").first?.bool("later") == true)
        a.signal(SIGTERM); b.signal(SIGTERM)
        #expect(await a.wait() == 0)
        #expect(await b.wait() == 0)
    }
}

import Foundation
import Logging
import Postgres
import Testing
import TestSupport
@testable import Worker

/// A job's statements stop when the job does: an operator's cancel, the kind's timeout and the
/// end of the shutdown grace period cancel the statement (PQcancel), so its slot runs the next
/// job; heartbeats have a connection of their own, so a pool held by stuck handlers never lets a
/// lease expire. Each test holds an advisory lock the "stuck" job's statement waits for, and
/// asserts outcomes and order while the lock is still held (no timings).
@Suite("Statement cancellation")
struct StatementCancelTests {
    static let lockKey: Int64 = 4242

    /// Kind noop, but the job `stuckID` waits for the test's advisory lock in one statement.
    struct LockWaiter: JobHandler {
        static let kind = "noop"
        let stuckID: Int64
        var othersUseTheDatabase = true
        func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
            if job.id == stuckID {
                try await context.database.query("select pg_advisory_xact_lock($1)", [StatementCancelTests.lockKey])
            } else if othersUseTheDatabase {
                try await context.database.query("select 1")
            }
            return nil
        }
    }

    struct Fixture {
        let conninfo: String
        let c: Connection
        let stuck: Int64
        let next: Int64

        init(stuckPayload: String = "{}", stuckMaxAttempts: Int = 3) throws {
            conninfo = try TestCluster.shared.createMigratedDatabase()
            c = try Connection(conninfo)
            try c.query("select pg_advisory_lock($1)", [StatementCancelTests.lockKey])
            stuck = try #require(try c.query("insert into queue.jobs (kind, payload, max_attempts, priority) values ('noop', $1::jsonb, $2, 1) returning id",
                                             [stuckPayload, stuckMaxAttempts]).first?.int64("id"))
            next = try #require(try c.query("insert into queue.jobs (kind, payload, priority) values ('noop', '{}', 2) returning id").first?.int64("id"))
        }

        func runtime(lease: Duration = .seconds(30), grace: Duration = .seconds(10), maxConnections: Int = 4,
                     concurrency: Int = 1, othersUseTheDatabase: Bool = true) -> WorkerRuntime {
            var config = WorkerConfiguration(workerID: "cancel-test-\(UUID().uuidString.prefix(8))")
            config.concurrency = concurrency
            config.pollInterval = .milliseconds(200)
            config.lease = lease
            config.shutdownGrace = grace
            config.maintenanceInterval = .seconds(3600)
            let db = Database(conninfo: conninfo, applicationName: "cancel-test", maxConnections: maxConnections, session: config.session)
            return WorkerRuntime(configuration: config, database: db, registry: HandlerRegistry([LockWaiter(stuckID: stuck, othersUseTheDatabase: othersUseTheDatabase)]),
                                 logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        }

        func status(_ id: Int64) throws -> String? {
            try c.query("select status from queue.jobs where id = $1", [id]).first?.string("status")
        }

        /// True while some backend waits for the test's advisory lock.
        func someoneWaits() throws -> Bool {
            try c.query("""
                select count(*) as n from pg_locks
                 where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())
                """).first?.int("n") ?? 0 > 0
        }

        func lockStillHeld() throws -> Bool {
            try c.query("select count(*) as n from pg_locks where locktype = 'advisory' and granted and pid = pg_backend_pid()").first?.int("n") == 1
        }
    }

    @Test func aCancelledJobsStatementStopsAndTheSlotRunsTheNextJob() async throws {
        let f = try Fixture()
        let runtime = f.runtime()
        let running = Task { try await runtime.run() }
        #expect(try await eventually { try f.someoneWaits() }, "the first job never reached its statement")
        try f.c.query("select queue.cancel($1)", [f.stuck])
        #expect(try await eventually { try f.status(f.next) == "succeeded" }, "the next job did not run")
        #expect(try f.status(f.stuck) == "cancelled")
        #expect(try f.lockStillHeld())
        #expect(try !f.someoneWaits())
        runtime.requestShutdown()
        try await running.value
    }

    @Test func aTimedOutJobsStatementStopsAndTheSlotRunsTheNextJob() async throws {
        let f = try Fixture(stuckMaxAttempts: 1)
        try f.c.query("update queue.job_kinds set timeout = interval '1 second' where kind = 'noop'")
        let runtime = f.runtime()
        let running = Task { try await runtime.run() }
        #expect(try await eventually { try f.status(f.next) == "succeeded" }, "the next job did not run")
        let row = try #require(try f.c.query("select status, last_error from queue.jobs where id = $1", [f.stuck]).first)
        #expect(try row.string("status") == "failed")
        #expect(try row.string("last_error")?.contains("timed out") == true)
        #expect(try f.lockStillHeld())
        runtime.requestShutdown()
        try await running.value
    }

    @Test func shutdownAfterTheGracePeriodStopsTheStatementAndReleasesTheJob() async throws {
        let f = try Fixture()
        let runtime = f.runtime(grace: .milliseconds(100))
        let running = Task { try await runtime.run() }
        #expect(try await eventually { try f.someoneWaits() }, "the first job never reached its statement")
        runtime.requestShutdown()
        try await running.value
        // The statement was stopped, not abandoned on a connection still waiting for the lock.
        #expect(try !f.someoneWaits())
        #expect(try f.status(f.stuck) == "queued")
        #expect(try f.lockStillHeld())
    }

    @Test func heartbeatsRenewLeasesWhileHandlersHoldEveryPooledConnection() async throws {
        let f = try Fixture()
        let runtime = f.runtime(lease: .milliseconds(1500), maxConnections: 1)
        let running = Task { try await runtime.run() }
        #expect(try await eventually { try f.someoneWaits() }, "the first job never reached its statement")
        let first = try #require(try f.c.query("select extract(epoch from lease_until)::float8 as l from queue.jobs where id = $1", [f.stuck]).first?.double("l"))
        // The only pooled connection waits for the lock; renewals come through anyway.
        #expect(try await eventually {
            try (f.c.query("select extract(epoch from lease_until)::float8 as l from queue.jobs where id = $1", [f.stuck]).first?.double("l") ?? 0) > first + 2
        }, "the lease was not renewed while the pool was busy")
        try f.c.query("select pg_advisory_unlock($1)", [StatementCancelTests.lockKey])
        #expect(try await eventually { try f.status(f.stuck) == "succeeded" && f.status(f.next) == "succeeded" })
        #expect(try f.c.query("select attempts from queue.jobs where id = $1", [f.stuck]).first?.int("attempts") == 1)
        runtime.requestShutdown()
        try await running.value
    }

    @Test func outcomesAreRecordedWhileHandlersHoldEveryPooledConnection() async throws {
        let f = try Fixture()
        let runtime = f.runtime(maxConnections: 1, concurrency: 2, othersUseTheDatabase: false)
        let running = Task { try await runtime.run() }
        #expect(try await eventually { try f.someoneWaits() }, "the first job never reached its statement")
        // The only pooled connection waits for the lock; the other job's completion goes through.
        #expect(try await eventually { try f.status(f.next) == "succeeded" }, "the completion waited for the busy pool")
        #expect(try f.someoneWaits() && f.status(f.stuck) == "running")
        try f.c.query("select pg_advisory_unlock($1)", [StatementCancelTests.lockKey])
        #expect(try await eventually { try f.status(f.stuck) == "succeeded" })
        runtime.requestShutdown()
        try await running.value
    }

    @Test func aZeroOrNegativeTimeoutFlagIsRefusedByName() async throws {
        for flag in ["--statement-timeout-seconds", "--lock-timeout-seconds", "--idle-in-transaction-timeout-seconds"] {
            for value in ["0", "-5"] {
                let out = try await Shell.run(Paths.executable("candlestack"), ["worker", "\(flag)=\(value)", "--database-url", "host=/nonexistent"], check: false)
                #expect(out.status != 0)
                #expect(out.stderr.contains("\(flag) must be"), "\(flag) \(value): \(out.stderr.prefix(200))")
            }
        }
    }
}

import Foundation
import Logging
import Postgres

/// One worker process: claims jobs with queue.claim, runs them in `concurrency` slots, renews
/// leases, honours cancellation, rescues expired leases and fires schedules, and survives the
/// database going away. Everything about job state is done by the SQL functions of the queue.
public actor WorkerRuntime {
    public let configuration: WorkerConfiguration
    let database: Database
    let registry: HandlerRegistry
    let logger: Logger
    let kinds: [String]
    let wake = WakeSignal()
    lazy var completer = Completer(database: database, workerID: configuration.workerID, logger: logger)

    struct Running {
        let job: Job
        let context: JobContext
        let task: Task<Void, Never>
        var releasing = false
        var lost = false
    }
    var running: [Int64: Running] = [:]
    var stopping = false
    var timeouts: [String: Duration] = [:]
    var leases: [String: Duration] = [:]
    let outage: OutageLog

    /// Totals since start, for logs and metrics.
    public internal(set) var counters = Counters()
    public struct Counters: Sendable {
        public var claimed = 0, succeeded = 0, failed = 0, cancelled = 0, released = 0
    }

    public init(configuration: WorkerConfiguration, database: Database, registry: HandlerRegistry, logger: Logger) {
        self.configuration = configuration
        self.database = database
        self.registry = registry
        var logger = logger
        logger[metadataKey: "worker.id"] = .string(configuration.workerID)
        self.logger = logger
        self.kinds = configuration.kinds ?? registry.kinds
        self.outage = OutageLog(logger: logger)
    }

    /// Asks the worker to stop: no more claims; running jobs get the grace period.
    public func requestShutdown() {
        guard !stopping else { return }
        stopping = true
        logger.info("shutdown requested: no more claims", metadata: ["running": .stringConvertible(running.count)])
        Task { await wake.signal() }
    }

    /// Runs until shutdown is requested (or, with exitWhenIdle, until the queue holds nothing of
    /// our kinds), then releases what it still holds and returns.
    public func run() async throws {
        for kind in kinds where registry.handler(for: kind) == nil {
            throw JobFailure.permanent("no handler for job kind \(kind) in this worker (known: \(registry.kinds.joined(separator: ", ")))")
        }
        try await startUp()
        let listener = Task { await self.listenLoop() }
        let heartbeat = Task { await self.heartbeatLoop() }
        let maintenance = Task { await self.maintenanceLoop() }
        await dispatchLoop()
        await drain()
        listener.cancel(); heartbeat.cancel(); maintenance.cancel()
        await completer.flushAll()
        _ = try? await database.query("select queue.unregister_worker($1)", [configuration.workerID])
        await database.drain()
        logger.info("worker stopped", metadata: [
            "jobs.succeeded": .stringConvertible(counters.succeeded), "jobs.failed": .stringConvertible(counters.failed),
            "jobs.cancelled": .stringConvertible(counters.cancelled), "jobs.released": .stringConvertible(counters.released),
        ])
    }

    /// Registers the worker and reads the kinds' timeouts and leases, waiting for the database if
    /// it is not there yet.
    func startUp() async throws {
        var backoff = Backoff()
        while true {
            do {
                try await database.query("select queue.register_worker($1, $2, $3, $4)",
                                         [configuration.workerID, configuration.host, Int(getpid()), kinds])
                let rows = try await database.query("""
                    select kind, extract(epoch from timeout)::float8 as timeout_s, extract(epoch from lease)::float8 as lease_s
                      from queue.job_kinds where kind = any($1)
                    """, [kinds])
                for row in rows.rows() {
                    let kind = try row.required("kind", row.string)
                    if let t = try row.double("timeout_s") { timeouts[kind] = .milliseconds(Int(t * 1000)) }
                    if let l = try row.double("lease_s") { leases[kind] = .milliseconds(Int(l * 1000)) }
                }
                let unknown = Set(kinds).subtracting(rows.rows().compactMap { try? $0.string("kind") })
                if !unknown.isEmpty {
                    throw JobFailure.permanent("job kinds not registered in queue.job_kinds: \(unknown.sorted().joined(separator: ", ")) (run candlestack migrate)")
                }
                outage.restored()
                logger.info("worker started", metadata: [
                    "worker.kinds": .string(kinds.joined(separator: ",")),
                    "worker.concurrency": .stringConvertible(configuration.concurrency),
                ])
                return
            } catch let error as PostgresError where error.isConnectionProblem {
                outage.failed(error, during: "start-up")
                if stopping { throw error }
                try await Task.sleep(for: backoff.next())
            }
        }
    }

    /// Claims while there are free slots, then waits for a notification, a finished job or the poll interval.
    func dispatchLoop() async {
        var backoff = Backoff()
        var queueIsDeep = false
        while !stopping {
            // While the queue is deep, let slots free up for a few milliseconds and claim them in
            // one statement, rather than one claim per finished job.
            if queueIsDeep && !running.isEmpty {
                let enough = max(1, configuration.maxClaimBatch / 2)
                let deadline = ContinuousClock.now + .milliseconds(5)
                while configuration.concurrency - running.count < enough && ContinuousClock.now < deadline && !stopping {
                    await wake.wait(timeout: .milliseconds(1))
                }
            }
            let free = configuration.concurrency - running.count
            var claimed = 0
            let want = min(free, configuration.maxClaimBatch)
            if want > 0 {
                do {
                    let jobs = try await claim(want)
                    backoff.reset()
                    outage.restored()
                    claimed = jobs.count
                    for job in jobs { start(job) }
                } catch let error as PostgresError where error.isConnectionProblem {
                    outage.failed(error, during: "claim")
                    try? await Task.sleep(for: backoff.next())
                    continue
                } catch {
                    logger.error("claim failed", metadata: ["error": .string(String(describing: error))])
                    try? await Task.sleep(for: backoff.next())
                    continue
                }
            }
            queueIsDeep = want > 1 && claimed == want
            if claimed > 0 && claimed == want { continue }
            if configuration.exitWhenIdle && running.isEmpty && claimed == 0 {
                if (try? await queueIsIdle()) == true {
                    logger.info("queue is idle: exiting (--exit-when-idle)")
                    stopping = true
                    break
                }
            }
            await wake.wait(timeout: configuration.pollInterval)
        }
    }

    func claim(_ n: Int) async throws -> [Job] {
        let rows = try await database.query("select * from queue.claim($1, $2, $3, $4::interval)",
                                            [configuration.workerID, kinds, n, configuration.lease.sqlInterval])
        return try rows.rows().map { try Job(row: $0) }
    }

    func queueIsIdle() async throws -> Bool {
        await completer.flushAll()
        let row = try await database.query("""
            select not exists (select 1 from queue.jobs where status in ('queued', 'running') and kind = any($1)) as idle
            """, [kinds])
        return try row.first?.bool("idle") ?? false
    }

    /// After the dispatch loop: waits up to the grace period for running jobs, then releases the rest.
    func drain() async {
        let deadline = ContinuousClock.now + configuration.shutdownGrace
        while !running.isEmpty && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        guard !running.isEmpty else { return }
        logger.warning("grace period over: releasing jobs still running", metadata: ["jobs": .stringConvertible(running.count)])
        for id in running.keys {
            running[id]?.releasing = true
            running[id]?.task.cancel()
        }
        let hardDeadline = ContinuousClock.now + .seconds(5)
        while !running.isEmpty && ContinuousClock.now < hardDeadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for (id, slot) in running {
            // The handler ignored cancellation: give the job back anyway; its late answer is fenced.
            _ = try? await database.query("select queue.release($1, $2)", [id, configuration.workerID])
            logger.warning("released a job whose handler did not stop", metadata: ["job.id": .stringConvertible(id), "job.kind": .string(slot.job.kind)])
        }
        running.removeAll()
    }
}

/// Logs a database outage once when it starts and once when it ends, not on every retry.
final class OutageLog: @unchecked Sendable {
    private let lock = NSLock()
    private var down: ContinuousClock.Instant?
    private var failures = 0
    let logger: Logger

    init(logger: Logger) { self.logger = logger }

    func failed(_ error: Error, during step: String) {
        let first: Bool = lock.withLock {
            failures += 1
            if down == nil { down = .now; return true }
            return false
        }
        if first {
            logger.error("database unavailable; retrying with backoff", metadata: [
                "during": .string(step), "error": .string(String(describing: error)),
            ])
        }
    }

    func restored() {
        let outage: (Duration, Int)? = lock.withLock {
            guard let since = down else { return nil }
            defer { down = nil; failures = 0 }
            return (ContinuousClock.now - since, failures)
        }
        if let (duration, failures) = outage {
            logger.notice("database connection restored", metadata: [
                "outage_ms": .stringConvertible(Int(duration.milliseconds)), "failed_attempts": .stringConvertible(failures),
            ])
        }
    }
}

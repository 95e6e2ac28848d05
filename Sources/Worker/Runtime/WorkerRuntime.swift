import Foundation
import Logging
import Postgres

/// One worker process: claims jobs with queue.claim, runs them in `concurrency` slots, renews
/// leases, honours cancellation, rescues expired leases and fires schedules, and survives the
/// database going away. Everything about job state is done by the SQL functions of the queue.
///
/// The dispatcher is one thread on one connection: it LISTENs, waits on that socket, and claims on
/// the same connection the moment a notification (or a freed slot) wakes it, so an idle worker
/// starts a new job within a round trip of its INSERT.
public final class WorkerRuntime: @unchecked Sendable {
    public let configuration: WorkerConfiguration
    let database: Database
    let registry: HandlerRegistry
    let logger: Logger
    let kinds: [String]
    let state = RuntimeState()
    let waker = Waker()
    let completer: Completer
    let outage: OutageLog
    private(set) var timeouts: [String: Duration] = [:]
    private(set) var leases: [String: Duration] = [:]

    /// Totals since start, for logs and metrics.
    public struct Counters: Sendable {
        public var claimed = 0, succeeded = 0, failed = 0, cancelled = 0, released = 0
    }
    public var counters: Counters { state.counters }

    public init(configuration: WorkerConfiguration, database: Database, registry: HandlerRegistry, logger: Logger) {
        self.configuration = configuration
        self.database = database
        self.registry = registry
        var logger = logger
        logger[metadataKey: "worker.id"] = .string(configuration.workerID)
        self.logger = logger
        self.kinds = configuration.kinds ?? registry.kinds
        self.outage = OutageLog(logger: logger)
        // Outcomes are recorded on a pool of their own (Slots.record too), so busy handlers never delay them.
        self.completer = Completer(database: database.companion(maxConnections: 2), workerID: configuration.workerID, logger: logger)
    }

    /// Asks the worker to stop: no more claims; running jobs get the grace period.
    public func requestShutdown() {
        guard !state.isStopping else { return }
        state.stop()
        logger.info("shutdown requested: no more claims", metadata: ["running": .stringConvertible(state.runningCount)])
        waker.wake()
    }

    /// Runs until shutdown is requested (or, with exitWhenIdle, until the queue holds nothing of
    /// our kinds), then releases what it still holds and returns.
    public func run() async throws {
        for kind in kinds where registry.handler(for: kind) == nil {
            throw JobFailure.permanent("no handler for job kind \(kind) in this worker (known: \(registry.kinds.joined(separator: ", ")))")
        }
        try await startUp()
        let heartbeat = Task { await self.heartbeatLoop() }
        let maintenance = Task { await self.maintenanceLoop() }
        await dispatcher()
        await drain()
        heartbeat.cancel(); maintenance.cancel()
        await completer.flushAll()
        _ = try? await database.query("select queue.unregister_worker($1)", [configuration.workerID])
        await database.drain()
        await completer.database.drain()
        let c = counters
        logger.info("worker stopped", metadata: [
            "jobs.succeeded": .stringConvertible(c.succeeded), "jobs.failed": .stringConvertible(c.failed),
            "jobs.cancelled": .stringConvertible(c.cancelled), "jobs.released": .stringConvertible(c.released),
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
                var known = Set<String>()
                for row in rows.rows() {
                    let kind = try row.required("kind", row.string)
                    known.insert(kind)
                    if let t = try row.double("timeout_s") { timeouts[kind] = .milliseconds(Int(t * 1000)) }
                    if let l = try row.double("lease_s") { leases[kind] = .milliseconds(Int(l * 1000)) }
                }
                let unknown = Set(kinds).subtracting(known)
                if !unknown.isEmpty {
                    throw JobFailure.permanent("job kinds not registered in queue.job_kinds: \(unknown.sorted().joined(separator: ", ")) (run candlestack migrate)")
                }
                for kind in kinds { try await registry.handler(for: kind)?.prepare(database) }
                outage.restored()
                logger.info("worker started", metadata: [
                    "worker.kinds": .string(kinds.joined(separator: ",")),
                    "worker.concurrency": .stringConvertible(configuration.concurrency),
                ])
                return
            } catch let error as PostgresError where error.isConnectionProblem {
                outage.failed(error, during: "start-up")
                if state.isStopping { throw error }
                try await Task.sleep(for: backoff.next())
            }
        }
    }

    /// Runs the dispatcher thread on a dedicated connection; reconnects with backoff when the
    /// database goes away (claiming at once after a reconnect, since notifications sent meanwhile
    /// are lost).
    func dispatcher() async {
        var backoff = Backoff()
        while !state.isStopping {
            do {
                let connection = try await database.connect()
                backoff.reset()
                outage.restored()
                let finished: Bool
                do {
                    finished = try await connection.run { c in try self.dispatch(on: c) }
                } catch {
                    await connection.close()
                    throw error
                }
                await connection.close()
                if finished { return }
            } catch let error as PostgresError where error.isConnectionProblem {
                outage.failed(error, during: "claim")
                try? await Task.sleep(for: backoff.next())
            } catch {
                logger.error("dispatcher failed; retrying", metadata: ["error": .string(String(describing: error))])
                try? await Task.sleep(for: backoff.next())
            }
        }
    }

    /// The dispatcher loop, on the LISTEN connection's own thread. Returns true when the worker
    /// should stop (shutdown requested, or idle with --exit-when-idle).
    func dispatch(on c: Connection) throws -> Bool {
        try c.listen(["queue_jobs", "queue_cancel"])
        defer { if c.isOpen { try? c.unlisten(["queue_jobs", "queue_cancel"]) } }
        let batchThreshold = max(1, configuration.maxClaimBatch / 2)
        var queueIsDeep = false
        var deepSince: ContinuousClock.Instant?
        while !state.isStopping {
            let free = configuration.concurrency - state.runningCount
            let want = min(free, configuration.maxClaimBatch)
            // While the queue is deep, let slots free up for a few milliseconds and claim them in
            // one statement rather than one claim per finished job.
            let waitForBatch = queueIsDeep && state.runningCount > 0 && want < batchThreshold
                && ContinuousClock.now < (deepSince ?? .now) + .milliseconds(5)
            var claimed = 0
            if want > 0 && !waitForBatch {
                let rows = try c.query("select * from queue.claim($1, $2, $3, $4::interval)",
                                       [configuration.workerID, kinds, want, configuration.lease.sqlInterval])
                let jobs = try rows.rows().map { try Job(row: $0) }
                claimed = jobs.count
                for job in jobs { start(job) }
                queueIsDeep = want > 1 && claimed == want
                deepSince = queueIsDeep ? .now : nil
                if queueIsDeep { continue }
            }
            if configuration.exitWhenIdle && claimed == 0 && state.runningCount == 0 {
                let idle = try c.query("""
                    select not exists (select 1 from queue.jobs
                                        where status in ('queued', 'running') and kind = any($1)
                                          and locked_by is distinct from $2) as idle
                    """, [kinds, configuration.workerID]).first?.bool("idle") ?? false
                if idle {
                    logger.info("queue is idle: exiting (--exit-when-idle)")
                    state.stop()
                    return true
                }
            }
            let timeout: Duration
            if configuration.concurrency - state.runningCount == 0 {
                timeout = configuration.pollInterval            // a finishing slot wakes us
            } else if waitForBatch, let deepSince {
                timeout = max(.microseconds(100), deepSince + .milliseconds(5) - .now)
            } else if configuration.exitWhenIdle && state.runningCount == 0 {
                timeout = .milliseconds(200)                    // waiting for retries elsewhere
            } else {
                timeout = configuration.pollInterval
            }
            let notifications = try c.waitForNotifications(timeout: timeout, wakeFD: waker.readFD)
            waker.drain()
            for n in notifications where n.channel == "queue_cancel" {
                if let id = Int64(n.payload) { cancelRequested(id) }
            }
        }
        return true
    }

    /// After the dispatcher: waits up to the grace period for running jobs, then releases the rest.
    func drain() async {
        let deadline = ContinuousClock.now + configuration.shutdownGrace
        while state.runningCount > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        guard state.runningCount > 0 else { return }
        let ids = state.releaseAll()
        logger.warning("grace period over: releasing jobs still running", metadata: ["jobs": .stringConvertible(ids.count)])
        let hardDeadline = ContinuousClock.now + .seconds(5)
        while state.runningCount > 0 && ContinuousClock.now < hardDeadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        for (id, slot) in state.removeAll() {
            // The handler ignored cancellation: give the job back anyway; its late answer is fenced.
            _ = try? await database.query("select queue.release($1, $2, $3)", [id, configuration.workerID, slot.job.attempt])
            logger.warning("released a job whose handler did not stop", metadata: ["job.id": .stringConvertible(id), "job.kind": .string(slot.job.kind)])
        }
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

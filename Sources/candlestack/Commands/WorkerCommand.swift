import ArgumentParser
import Foundation
import Logging
import Postgres
import Worker

/// `candlestack worker`: run jobs from the queue until stopped.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Claim and run jobs: N slots, wakes on NOTIFY, survives database restarts; SIGTERM stops it cleanly.",
        discussion: """
        Scale by running more processes, here or on other machines. Logs are JSON lines on stderr. \
        On SIGTERM or SIGINT the worker stops claiming, lets running jobs finish within the grace \
        period, gives the rest back to the queue and exits 0.
        """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var log: LogOptions
    @OptionGroup var okx: OKXOptions

    @Option(help: "Jobs run at once in this process.")
    var concurrency: Int = 4

    @Option(help: "Comma-separated job kinds to run (default: every kind this build knows).")
    var kinds: String?

    @Flag(name: .customLong("exit-when-idle"), help: "Exit 0 once no job of these kinds is queued or running.")
    var exitWhenIdle = false

    @Option(name: .customLong("grace-seconds"), help: "On SIGTERM, how long running jobs may take before they are released.")
    var graceSeconds: Double = 10

    @Option(name: .customLong("lease-seconds"), help: "Lease taken on each job, renewed every third of it.")
    var leaseSeconds: Double = 30

    @Option(name: .customLong("poll-seconds"), help: "Claim this often even without a notification.")
    var pollSeconds: Double = 2

    @Option(name: .customLong("maintenance-seconds"), help: "How often (jittered ±50%) to rescue expired leases and enqueue due schedules.")
    var maintenanceSeconds: Double = 5

    @Option(name: .customLong("metrics-port"), help: "Serve Prometheus metrics on http://METRICS-HOST:PORT/metrics.")
    var metricsPort: Int?

    @Option(name: .customLong("metrics-host"), help: "Address the metrics endpoint listens on.")
    var metricsHost: String = "127.0.0.1"

    @Option(name: .customLong("statement-timeout-seconds"), help: "Longest one statement may run (statement_timeout of every connection).")
    var statementTimeoutSeconds: Double = 1800

    @Option(name: .customLong("lock-timeout-seconds"), help: "Longest a statement may wait for a lock (lock_timeout).")
    var lockTimeoutSeconds: Double = 60

    @Option(name: .customLong("idle-in-transaction-timeout-seconds"), help: "Longest a connection may sit idle inside a transaction (idle_in_transaction_session_timeout).")
    var idleInTransactionTimeoutSeconds: Double = 600

    @Option(name: .customLong("worker-id"), help: "Name in queue.workers (default host:pid:random).")
    var workerID: String?

    func validate() throws {
        guard (1...1000).contains(concurrency) else { throw ValidationError("--concurrency must be 1...1000; got \(concurrency)") }
        guard graceSeconds >= 0 else { throw ValidationError("--grace-seconds must be >= 0; got \(graceSeconds)") }
        guard leaseSeconds >= 1 else { throw ValidationError("--lease-seconds must be >= 1; got \(leaseSeconds)") }
        guard pollSeconds > 0 else { throw ValidationError("--poll-seconds must be > 0; got \(pollSeconds)") }
        if let metricsPort, !(1...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be 1...65535; got \(metricsPort)")
        }
        guard maintenanceSeconds > 0 else { throw ValidationError("--maintenance-seconds must be > 0; got \(maintenanceSeconds)") }
        for (flag, value) in [("--statement-timeout-seconds", statementTimeoutSeconds), ("--lock-timeout-seconds", lockTimeoutSeconds),
                              ("--idle-in-transaction-timeout-seconds", idleInTransactionTimeoutSeconds)] {
            guard value >= 0.001, value <= 86_400 * 7 else {
                throw ValidationError("\(flag) must be a number of seconds from 0.001 to 604800 (0 would mean no limit); got \(value)")
            }
        }
        if let kinds {
            let list = kinds.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let known = Set(WorkerHandlers.kinds)
            for kind in list where !known.contains(kind) {
                throw ValidationError("--kinds: unknown job kind \"\(kind)\"; this build runs \(known.sorted().joined(separator: ", "))")
            }
        }
    }

    func run() async throws {
        let logger = log.makeLogger("candlestack.worker")
        var config = WorkerConfiguration(workerID: workerID)
        config.concurrency = concurrency
        config.kinds = kinds.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        config.exitWhenIdle = exitWhenIdle
        config.shutdownGrace = .milliseconds(Int(graceSeconds * 1000))
        config.lease = .milliseconds(Int(leaseSeconds * 1000))
        config.pollInterval = .milliseconds(Int(pollSeconds * 1000))
        config.maxClaimBatch = min(250, max(1, concurrency))
        config.maintenanceInterval = .milliseconds(Int(maintenanceSeconds * 1000))
        config.statementTimeout = .milliseconds(Int(statementTimeoutSeconds * 1000))
        config.lockTimeout = .milliseconds(Int(lockTimeoutSeconds * 1000))
        config.idleInTransactionTimeout = .milliseconds(Int(idleInTransactionTimeoutSeconds * 1000))
        let db = Database(conninfo: database.conninfo, applicationName: "candlestack worker", maxConnections: max(4, min(16, concurrency + 2)),
                          session: config.session)
        let client = try okx.makeClient(database: db, logger: logger)
        let runtime = WorkerRuntime(configuration: config, database: db, registry: WorkerHandlers.all(okx: client), logger: logger)
        let signals = SignalWatcher(signals: [SIGTERM, SIGINT]) { _ in
            runtime.requestShutdown()
        }
        defer { signals.cancel() }
        var metrics: MetricsServer?
        if let metricsPort {
            do {
                metrics = try await MetricsServer(host: metricsHost, port: UInt16(metricsPort)) {
                    await runtime.metricsText(extra: OKXMetrics.lines(client.stats))
                }
                logger.info("serving metrics", metadata: ["metrics.url": .string("http://\(metricsHost):\(metricsPort)/metrics")])
            } catch {
                throw CLIError("--metrics-port \(metricsPort): cannot listen on \(metricsHost):\(metricsPort): \(error)")
            }
        }
        defer { if let metrics { Task { await metrics.stop() } } }
        do {
            try await runtime.run()
        } catch let failure as JobFailure {
            throw CLIError(failure.description)
        } catch let error as PostgresError {
            throw CLIError(error.description)
        }
    }
}

/// Turns signals into a callback (the default action is disabled while it watches).
final class SignalWatcher: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        for sig in signals {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
            source.setEventHandler { handler(sig) }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }
}

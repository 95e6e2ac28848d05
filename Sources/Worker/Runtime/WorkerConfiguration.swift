import Foundation
import Postgres

/// How one worker process runs: its slots, kinds, timings and identity.
public struct WorkerConfiguration: Sendable {
    /// Jobs run at once in this process.
    public var concurrency: Int = 4
    /// Kinds to claim; nil claims every kind this process has a handler for.
    public var kinds: [String]? = nil
    /// Exit 0 once no job of our kinds is queued or running anywhere.
    public var exitWhenIdle = false
    /// Claim even without a notification this often (a NOTIFY is a hint, not the delivery).
    public var pollInterval: Duration = .seconds(2)
    /// Lease taken at claim and renewed by heartbeats every third of it.
    public var lease: Duration = .seconds(30)
    /// How often this worker tries rescue_expired() and enqueue_due() (jittered).
    public var maintenanceInterval: Duration = .seconds(5)
    /// On SIGTERM/SIGINT: how long running jobs may take to finish before they are released.
    public var shutdownGrace: Duration = .seconds(10)
    /// Most jobs claimed by one statement.
    public var maxClaimBatch = 100
    /// Per-connection limits of every connection the worker opens (statement_timeout, lock_timeout,
    /// idle_in_transaction_session_timeout): a statement stuck on a lock or a runaway scan ends
    /// with an error (the attempt fails and retries) instead of holding its slot forever.
    public var statementTimeout: Duration = .seconds(1800)
    public var lockTimeout: Duration = .seconds(60)
    public var idleInTransactionTimeout: Duration = .seconds(600)
    /// The three limits, for `Database(session:)`.
    public var session: SessionSettings {
        SessionSettings(statementTimeout: statementTimeout, lockTimeout: lockTimeout, idleInTransactionTimeout: idleInTransactionTimeout)
    }
    /// The name this worker goes by in queue.workers and in locked_by.
    public var workerID: String
    public var host: String

    public init(workerID: String? = nil) {
        let host = ProcessInfo.processInfo.hostName
        self.host = host
        self.workerID = workerID ?? "\(host):\(getpid()):\(UInt32.random(in: 0..<UInt32.max) & 0xffff)"
    }
}

extension Duration {
    /// The duration in seconds, for SQL interval parameters ("30.000 seconds").
    var sqlInterval: String {
        let c = components
        let seconds = Double(c.seconds) + Double(c.attoseconds) / 1e18
        return String(format: "%.3f seconds", seconds)
    }

    var milliseconds: Double {
        let c = components
        return Double(c.seconds) * 1000 + Double(c.attoseconds) / 1e15
    }
}

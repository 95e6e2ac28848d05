import Foundation
import Guarded
import Logging
import Postgres

/// What a handler gets besides its job: the database, a logger with the job's metadata, progress
/// reporting and the cancellation flag.
public final class JobContext: Sendable {
    public let job: Job
    public let database: Database
    public let logger: Logger
    public let workerID: String
    private let cancelled = Guarded<Bool>()
    /// The job's statements: the runtime runs the handler inside this scope, so cancelling the job
    /// (operator cancel, timeout, lost lease, shutdown) also stops the statement it is waiting on.
    public let statements = CancelScope()

    public init(job: Job, database: Database, logger: Logger, workerID: String) {
        self.job = job
        self.database = database
        self.logger = logger
        self.workerID = workerID
    }

    /// True once cancellation of this job was requested (NOTIFY queue_cancel or a heartbeat).
    public var isCancelled: Bool { cancelled.isSet }

    /// Marks the job cancelled and cancels its running statements (PQcancel); the handler stops
    /// at its next check, or when its statement fails with SQLSTATE 57014.
    public func markCancelled() {
        cancelled.set()
        statements.cancel()
    }

    /// Throws `JobCancelled` if cancellation was requested.
    public func checkCancellation() throws {
        if isCancelled { throw JobCancelled(jobID: job.id) }
        if Task.isCancelled { throw CancellationError() }
    }

    /// Stores progress (0...1) and a short message with queue.report_progress (fenced on the job,
    /// the worker id and this attempt: 55000 once the job is no longer this attempt's), which also extends
    /// the lease and notifies `queue_progress` listeners (throttled in SQL). Throws `JobCancelled`
    /// when the job's cancellation was requested.
    public func progress(_ fraction: Double, _ message: String) async throws {
        try checkCancellation()
        let clamped = min(1, max(0, fraction))
        let row = try await database.query("select queue.report_progress($1, $2, $3, $4, $5) as cancel",
                                           [job.id, workerID, job.attempt, clamped, message])
        if try row.first?.bool("cancel") == true { markCancelled() }
        try checkCancellation()
    }
}

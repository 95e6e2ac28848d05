import Foundation
import Logging
import Postgres

/// Completes succeeded jobs in batches: while one queue.complete_many is in flight, the next
/// batch gathers, so throughput grows with load and an idle worker still completes at once.
/// A job counts as done only once its batch committed (at-least-once: a crash before that means
/// the lease expires and the job runs again).
actor Completer {
    let database: Database
    let workerID: String
    let logger: Logger
    /// Job ids with the attempt each was claimed as (queue.complete_many is fenced on both).
    private var buffer: [(id: Int64, attempt: Int)] = []
    private var flushing: Task<Void, Never>?

    init(database: Database, workerID: String, logger: Logger) {
        self.database = database
        self.workerID = workerID
        self.logger = logger
    }

    func add(_ id: Int64, attempt: Int) {
        buffer.append((id, attempt))
        if flushing == nil {
            flushing = Task { await self.flushLoop() }
        }
    }

    /// Returns once every job added so far was recorded (or given up on).
    func flushAll() async {
        while let task = flushing { await task.value }
        if !buffer.isEmpty {
            flushing = Task { await self.flushLoop() }
            await flushing?.value
        }
    }

    private func flushLoop() async {
        var backoff = Backoff()
        var failures = 0
        while !buffer.isEmpty {
            let batch = buffer
            buffer.removeAll(keepingCapacity: true)
            do {
                let rows = try await database.query("select queue.complete_many($1, $2, $3) as id",
                                                    [batch.map(\.id), workerID, batch.map(\.attempt)])
                backoff.reset()
                failures = 0
                if rows.count < batch.count {
                    logger.warning("the queue refused completions of jobs this worker no longer held",
                                   metadata: ["jobs": .stringConvertible(batch.count - rows.count)])
                }
            } catch let error as PostgresError where error.isConnectionProblem && failures < 40 {
                failures += 1
                buffer.insert(contentsOf: batch, at: 0)
                try? await Task.sleep(for: backoff.next())
            } catch {
                logger.error("could not complete jobs; their leases will expire and they will run again",
                             metadata: ["jobs": .stringConvertible(batch.count), "error": .string(String(describing: error))])
            }
        }
        flushing = nil
    }
}

import Foundation
import Postgres

/// Kind `prune` {"batch_size": n}: deletes what queue.retention no longer keeps (finished jobs,
/// job events, queue.workers rows) with queue.prune_batch, each batch its own transaction, so no
/// lock or long transaction outlives a batch. The schedule 'prune' (sql/0316) queues it hourly.
public struct PruneHandler: JobHandler {
    public static let kind = "prune"

    /// Stops after this many batches even if more is left (the next run goes on).
    static let maxBatches = 10_000

    public init() {}

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        let batchSize = (try job.payload()["batch_size"] as? NSNumber)?.intValue ?? 1000
        var after: Int64 = 0
        var jobs = 0, events = 0, workers = 0, batches = 0
        var more = true
        while more && batches < Self.maxBatches {
            try context.checkCancellation()
            let row = try await context.database.query(
                "select jobs_deleted, events_deleted, workers_deleted, last_job_id, more from queue.prune_batch($1, $2)",
                [batchSize, after])
            guard let r = row.first else { break }
            jobs += try r.int("jobs_deleted") ?? 0
            events += try r.int("events_deleted") ?? 0
            workers += try r.int("workers_deleted") ?? 0
            after = try r.int64("last_job_id") ?? after
            more = try r.bool("more") ?? false
            batches += 1
            if batches % 10 == 0 { try await context.progress(0.5, "\(jobs) jobs, \(events) events deleted so far") }
        }
        try await context.progress(1, "\(jobs) jobs, \(events) events, \(workers) workers deleted")
        return try JSONText(object: ["jobs_deleted": jobs, "events_deleted": events, "workers_deleted": workers,
                                     "batches": batches, "more": more] as [String: Any])
    }
}

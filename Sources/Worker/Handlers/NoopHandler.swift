import Foundation
import Postgres

/// Kind `noop`: sleeps `sleep_ms` (checking for cancellation), then succeeds — or fails when
/// `fail` is true, or on the first `fail_attempts` attempts. For benchmarks and failure tests.
public struct NoopHandler: JobHandler {
    public static let kind = "noop"

    public init() {}

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        // JSONSerialization rather than Codable: this handler is the queue benchmark's hot path.
        let payload = try job.payload()
        var remaining = (payload["sleep_ms"] as? NSNumber)?.intValue ?? 0
        while remaining > 0 {
            try context.checkCancellation()
            let step = min(remaining, 100)
            try await Task.sleep(for: .milliseconds(step))
            remaining -= step
        }
        try context.checkCancellation()
        if (payload["fail"] as? NSNumber)?.boolValue == true { throw JobFailure.retryable("noop: failing as asked (\"fail\": true)") }
        if let n = (payload["fail_attempts"] as? NSNumber)?.intValue, job.attempt <= n {
            throw JobFailure.retryable("noop: failing attempt \(job.attempt) of the first \(n) as asked")
        }
        return nil
    }

    public func completionEffect(for job: Job, workerID: String) -> CompletionEffect? {
        guard (try? job.payload())?["record_effect"] as? Bool == true else { return nil }
        return CompletionEffect(sql: "insert into queue.noop_effects (job_id, worker_id, attempt) values ($1, $2, $3)",
                                parameters: [job.id, workerID, job.attempt])
    }
}

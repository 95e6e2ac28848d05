import Postgres

/// Kind `noop`: sleeps `sleep_ms` (checking for cancellation), then succeeds — or fails when
/// `fail` is true, or on the first `fail_attempts` attempts. For benchmarks and failure tests.
public struct NoopHandler: JobHandler {
    public let kind = "noop"

    public init() {}

    struct Payload: Decodable {
        var sleepMs: Int?
        var fail: Bool?
        var failAttempts: Int?
    }

    public func run(_ job: Job, _ context: JobContext) async throws -> JSONText? {
        let payload: Payload = job.payloadJSON == "{}" ? Payload() : try job.payload(as: Payload.self)
        var remaining = payload.sleepMs ?? 0
        while remaining > 0 {
            try context.checkCancellation()
            let step = min(remaining, 100)
            try await Task.sleep(for: .milliseconds(step))
            remaining -= step
        }
        try context.checkCancellation()
        if payload.fail == true { throw JobFailure.retryable("noop: failing as asked (\"fail\": true)") }
        if let n = payload.failAttempts, job.attempt <= n {
            throw JobFailure.retryable("noop: failing attempt \(job.attempt) of the first \(n) as asked")
        }
        return nil
    }
}

import Foundation
import Postgres

/// A claimed job, as a handler sees it: one row of queue.jobs.
public struct Job: Sendable, Equatable {
    public let id: Int64
    public let kind: String
    /// The normalized payload (the kind's SQL validator filled in defaults), as JSON text.
    public let payloadJSON: String
    /// 1 on the first attempt.
    public let attempt: Int
    public let maxAttempts: Int
    public let parentID: Int64?

    public init(id: Int64, kind: String, payloadJSON: String, attempt: Int, maxAttempts: Int, parentID: Int64?) {
        self.id = id
        self.kind = kind
        self.payloadJSON = payloadJSON
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.parentID = parentID
    }

    init(row: QueryResult.Row) throws {
        id = try row.required("id", row.int64)
        kind = try row.required("kind", row.string)
        payloadJSON = try row.string("payload") ?? "{}"
        attempt = try row.int("attempts") ?? 1
        maxAttempts = try row.int("max_attempts") ?? 1
        parentID = try row.int64("parent_id")
    }

    /// The payload as a JSON object.
    public func payload() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(payloadJSON.utf8)) as? [String: Any] else {
            throw JobFailure.permanent("job \(id): payload is not a JSON object")
        }
        return object
    }

    /// The payload decoded into a Decodable type (snake_case keys map to camelCase properties).
    public func payload<T: Decodable>(as type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(T.self, from: Data(payloadJSON.utf8))
        } catch {
            throw JobFailure.permanent("job \(id) (\(kind)): payload does not match what the handler expects: \(error)")
        }
    }
}

/// How a handler says an attempt failed. Any other thrown error counts as retryable.
public enum JobFailure: Error, CustomStringConvertible, Sendable {
    /// Retrying cannot help (bad input, unknown instrument): the job fails for good now.
    case permanent(String)
    /// Worth another attempt after the queue's backoff.
    case retryable(String)

    public var description: String {
        switch self {
        case .permanent(let m), .retryable(let m): return m
        }
    }

    public var isRetryable: Bool { if case .permanent = self { return false } else { return true } }
}

/// Thrown by `JobContext.checkCancellation()` once the job's cancellation was requested.
public struct JobCancelled: Error, CustomStringConvertible, Sendable {
    public let jobID: Int64
    public var description: String { "job \(jobID) was cancelled" }
}

import Postgres

/// Runs the jobs of one kind. Handlers are small: they read the payload, do the work through
/// SQL functions and OKX, report progress and return a result.
///
/// - Throw `JobFailure.permanent` when retrying cannot help, anything else to retry with backoff.
/// - Call `context.progress(...)` or `context.checkCancellation()` at safe points: both throw
///   `JobCancelled` once an operator cancelled the job, and the runtime then ends it as cancelled.
/// - The runtime completes the job (durably, maybe batched with others) after `run` returns.
public protocol JobHandler: Sendable {
    /// The kind this handler runs (a row of queue.job_kinds); static, so the kinds of a build can be
    /// listed without making any handler (WorkerHandlers.kinds).
    static var kind: String { get }
    /// Runs one attempt. Returns the JSON to store in queue.jobs.result, or nil.
    func run(_ job: Job, _ context: JobContext) async throws -> JSONText?

    /// Checks, once at start-up before the worker claims anything, that this handler can run
    /// against `database` (the backtest kinds compare engine lists); throwing stops the worker
    /// with the error's message. Default: nothing to check.
    func prepare(_ database: Database) async throws

    /// A statement to run in the very transaction that completes the job, so that its effect
    /// exists exactly when the job counts as succeeded. Default: none.
    func completionEffect(for job: Job, workerID: String) -> CompletionEffect?
}

/// A statement (constant SQL with $n parameters) committed together with a job's completion.
public struct CompletionEffect: Sendable {
    public var sql: String
    public var parameters: [any SQLParameter]
    public init(sql: String, parameters: [any SQLParameter]) {
        self.sql = sql
        self.parameters = parameters
    }
}

extension JobHandler {
    /// The kind of this handler's type.
    public var kind: String { Self.kind }

    public func prepare(_ database: Database) async throws {}

    public func completionEffect(for job: Job, workerID: String) -> CompletionEffect? { nil }
}

/// The handlers a worker process runs, by kind.
public struct HandlerRegistry: Sendable {
    public private(set) var handlers: [String: any JobHandler] = [:]

    public init(_ handlers: [any JobHandler] = []) {
        for handler in handlers { register(handler) }
    }

    public mutating func register(_ handler: any JobHandler) { handlers[handler.kind] = handler }

    public var kinds: [String] { handlers.keys.sorted() }

    public func handler(for kind: String) -> (any JobHandler)? { handlers[kind] }
}

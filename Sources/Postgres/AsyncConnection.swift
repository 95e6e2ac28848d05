import Dispatch
import Foundation
import Guarded
#if canImport(Glibc)
import Glibc
#endif

/// A `Connection` for async code: every call runs on the connection's own serial queue, so
/// libpq's blocking calls never occupy Swift's cooperative threads.
public final class AsyncConnection: Sendable {
    private let queue: DispatchQueue
    private let connection: Connection

    private init(connection: Connection, label: String) {
        self.connection = connection
        self.queue = DispatchQueue(label: label)
    }

    /// Opens a connection (libpq conninfo or URL; nil for libpq's defaults).
    public static func connect(_ conninfo: String? = nil, applicationName: String = "candlestack",
                               session: SessionSettings = SessionSettings()) async throws -> AsyncConnection {
        let queue = DispatchQueue(label: "candlestack.postgres.connect")
        let connection: Connection = try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try Connection(conninfo, applicationName: applicationName, session: session) })
            }
        }
        return AsyncConnection(connection: connection, label: "candlestack.postgres.\(connection.backendPID)")
    }

    /// Runs `body` with exclusive use of the connection, on the connection's queue. Inside a
    /// `CancelScope`, the scope can stop the body's statements; after such a cancel, a transaction
    /// the body left open or failed is rolled back, so the connection goes back clean.
    public func run<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        let connection = self.connection
        let scope = CancelScope.current
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                guard let scope else { continuation.resume(with: Result { try body(connection) }); return }
                let result = Result<T, Error> {
                    try scope.enter(connection)
                    defer { scope.leave(connection) }
                    return try body(connection)
                }
                if scope.isCancelled { connection.rollbackIfInTransaction() }
                continuation.resume(with: result)
            }
        }
    }

    /// Runs one parameterized statement.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any SQLParameter] = []) async throws -> QueryResult {
        try await run { try $0.query(sql, parameters) }
    }

    public var backendPID: Int32 { connection.backendPID }

    /// True while libpq believes the connection is usable (false once it was lost or closed).
    public var isOpen: Bool { connection.isOpen }

    /// Closes the connection once queued work has finished.
    public func close() async {
        let connection = self.connection
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            queue.async { connection.close(); c.resume() }
        }
    }

    /// Scoped LISTEN: listens on `channels`, hands the notifications to `consume` as they arrive,
    /// and UNLISTENs on the way out. Waiting happens on the connection's socket (poll), not in a
    /// sleeping loop. The stream ends with an error if the connection is lost. While `consume`
    /// runs, the connection serves only the listener.
    public func listen<T: Sendable>(_ channels: [String],
                                    consume: @Sendable (AsyncThrowingStream<PostgresNotification, Error>) async throws -> T) async throws -> T {
        try await run { try $0.listen(channels) }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw PostgresError(kind: .client, message: "pipe() failed: errno \(errno)") }
        let wakeRead = fds[0], wakeWrite = fds[1]
        let stop = Guarded<Bool>()
        let (stream, continuation) = AsyncThrowingStream<PostgresNotification, Error>.makeStream()
        let connection = self.connection
        queue.async {
            while !stop.isSet {
                do {
                    let received = try connection.waitForNotifications(timeout: .seconds(3600), wakeFD: wakeRead)
                    for n in received { continuation.yield(n) }
                } catch {
                    continuation.finish(throwing: error)
                    return
                }
            }
            continuation.finish()
        }
        func finish() async {
            stop.set()
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
            // The listener loop runs on the connection's own queue: once it has stopped, a
            // block queued behind it runs, so waiting needs no thread of its own.
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                queue.async { c.resume() }
            }
            Glibc.close(wakeRead); Glibc.close(wakeWrite)
            if connection.isOpen { _ = try? await run { try $0.unlisten(channels) } }
        }
        do {
            let value = try await consume(stream)
            await finish()
            return value
        } catch {
            await finish()
            throw error
        }
    }
}

import Dispatch
import Foundation

/// The statements one piece of work (a job) runs, so that they can be stopped from outside.
///
/// Bind a scope with `CancelScope.$current.withValue(scope) { ... }`: every `AsyncConnection.run`
/// inside (pooled or dedicated connections, in child tasks too) registers its connection while
/// the body runs. `cancel()` sends PQcancel to each of them; the statement fails with SQLSTATE
/// 57014, and any later statement in the scope is refused before it starts. A connection leaves
/// the scope only after a cancel in flight has been delivered, so a cancel never reaches the next
/// user of a pooled connection.
public final class CancelScope: @unchecked Sendable {
    @TaskLocal public static var current: CancelScope?

    private let lock = NSLock()
    private var connections: [ObjectIdentifier: Connection] = [:]
    private var cancelled = false

    public init() {}

    public var isCancelled: Bool { lock.withLock { cancelled } }

    /// Stops the statements running in this scope now, and refuses new ones. Returns at once: the
    /// requests go out on another thread, and are sent again while a statement is still running
    /// (a request that reached the server between two statements is ignored there).
    public func cancel() {
        let first: Bool = lock.withLock {
            defer { cancelled = true }
            return !cancelled
        }
        guard first else { return }
        DispatchQueue.global().async { self.sendCancels(round: 0) }
    }

    private func sendCancels(round: Int) {
        let remaining: Int = lock.withLock {
            for connection in connections.values { _ = try? connection.cancel() }
            return connections.count
        }
        guard remaining > 0, round < 40 else { return }
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(250)) { self.sendCancels(round: round + 1) }
    }

    /// Called by `AsyncConnection.run` on the connection's thread before the body runs.
    func enter(_ connection: Connection) throws {
        try lock.withLock {
            if cancelled {
                throw PostgresError(kind: .server, sqlState: "57014", message: "statement not started: its work was cancelled")
            }
            connections[ObjectIdentifier(connection)] = connection
        }
    }

    /// Called after the body; waits for a cancel being sent to this connection (same lock).
    func leave(_ connection: Connection) {
        _ = lock.withLock { connections.removeValue(forKey: ObjectIdentifier(connection)) }
    }
}

import Foundation
import Postgres

/// The worker's way to the database: a bounded pool of connections for handlers and the queue
/// calls, and fresh dedicated connections on request (for parallel loads or LISTEN).
///
/// At most `maxConnections` pooled connections are open at once; callers beyond that wait for one
/// to be returned, so a worker with many slots never exhausts the server's max_connections.
public final class Database: @unchecked Sendable {
    /// libpq conninfo or URL; nil means libpq's defaults (PG* variables...).
    public let conninfo: String?
    public let applicationName: String
    public let maxConnections: Int
    /// Timeouts every connection of this database starts with (besides the fixed settings).
    public let session: SessionSettings
    private let lock = NSLock()
    private var idle: [AsyncConnection] = []
    private var open = 0
    private var waiters: [CheckedContinuation<AsyncConnection?, Never>] = []

    public init(conninfo: String?, applicationName: String = "candlestack", maxConnections: Int = 8,
                session: SessionSettings = SessionSettings()) {
        self.conninfo = conninfo
        self.session = session
        self.applicationName = applicationName
        self.maxConnections = max(1, maxConnections)
    }

    /// Another pool to the same database with the same settings (a worker's completions, so
    /// handlers holding this pool's connections never delay them).
    public func companion(maxConnections: Int) -> Database {
        Database(conninfo: conninfo, applicationName: applicationName, maxConnections: maxConnections, session: session)
    }

    /// A new connection outside the pool, which the caller owns and must close.
    public func connect() async throws -> AsyncConnection {
        try await AsyncConnection.connect(conninfo, applicationName: applicationName, session: session)
    }

    /// Borrows a pooled connection for `body`. A connection that failed with a connection
    /// problem is closed rather than returned to the pool.
    public func withConnection<T: Sendable>(_ body: (AsyncConnection) async throws -> T) async throws -> T {
        let connection = try await checkOut()
        do {
            let value = try await body(connection)
            checkIn(connection)
            return value
        } catch let error as PostgresError where error.isConnectionProblem {
            await discard(connection)
            throw error
        } catch {
            checkIn(connection)
            throw error
        }
    }

    /// Runs one parameterized statement on a pooled connection.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any SQLParameter] = []) async throws -> QueryResult {
        try await withConnection { try await $0.query(sql, parameters) }
    }

    /// Runs `body` in one transaction on a pooled connection (rolled back if it throws).
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withConnection { connection in
            try await connection.run { c in try c.withTransaction { try body(c) } }
        }
    }

    private enum Grant { case pooled(AsyncConnection), openNew, wait }

    private func checkOut() async throws -> AsyncConnection {
        while true {
            let grant: Grant = lock.withLock {
                if let c = idle.popLast() { return .pooled(c) }
                if open < maxConnections { open += 1; return .openNew }
                return .wait
            }
            switch grant {
            case .pooled(let c):
                return c
            case .openNew:
                do { return try await connect() } catch {
                    release(slot: ())
                    throw error
                }
            case .wait:
                let handed: AsyncConnection? = await withCheckedContinuation { continuation in
                    let handedNow: Bool = lock.withLock {
                        // Re-check under the lock: something may have come back meanwhile.
                        if let c = idle.popLast() { continuation.resume(returning: c); return true }
                        if open < maxConnections { open += 1; continuation.resume(returning: nil); return true }
                        waiters.append(continuation)
                        return false
                    }
                    _ = handedNow
                }
                if let handed { return handed }
                // A slot was freed for us (open was already counted): open a connection.
                do { return try await connect() } catch {
                    release(slot: ())
                    throw error
                }
            }
        }
    }

    private func checkIn(_ connection: AsyncConnection) {
        let waiter: CheckedContinuation<AsyncConnection?, Never>? = lock.withLock {
            if !waiters.isEmpty { return waiters.removeFirst() }
            idle.append(connection)
            return nil
        }
        waiter?.resume(returning: connection)
    }

    private func discard(_ connection: AsyncConnection) async {
        await connection.close()
        release(slot: ())
    }

    /// Gives back the right to open a connection: to a waiter (who opens one) or to the pool.
    private func release(slot: Void) {
        let waiter: CheckedContinuation<AsyncConnection?, Never>? = lock.withLock {
            if !waiters.isEmpty { return waiters.removeFirst() }   // open stays counted for the waiter
            open -= 1
            return nil
        }
        waiter?.resume(returning: nil)
    }

    /// Closes the idle pooled connections (at shutdown, or after a database restart).
    public func drain() async {
        let all: [AsyncConnection] = lock.withLock {
            let all = idle
            idle.removeAll()
            open -= all.count
            return all
        }
        for c in all { await c.close() }
    }
}

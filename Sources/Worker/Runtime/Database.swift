import Foundation
import Postgres

/// The worker's way to the database: a small pool of connections for handlers, and fresh
/// dedicated connections on request (for parallel loads or LISTEN).
public final class Database: @unchecked Sendable {
    /// libpq conninfo or URL; nil means libpq's defaults (PG* variables...).
    public let conninfo: String?
    public let applicationName: String
    private let lock = NSLock()
    private var idle: [AsyncConnection] = []
    private let maxIdle: Int

    public init(conninfo: String?, applicationName: String = "candlestack", maxIdle: Int = 8) {
        self.conninfo = conninfo
        self.applicationName = applicationName
        self.maxIdle = maxIdle
    }

    /// A new connection that the caller owns and must close.
    public func connect() async throws -> AsyncConnection {
        try await AsyncConnection.connect(conninfo, applicationName: applicationName)
    }

    /// Borrows a pooled connection for `body`. A connection that failed with a connection
    /// problem is dropped rather than returned to the pool.
    public func withConnection<T: Sendable>(_ body: (AsyncConnection) async throws -> T) async throws -> T {
        let connection = try await checkOut()
        do {
            let value = try await body(connection)
            checkIn(connection)
            return value
        } catch let error as PostgresError where error.isConnectionProblem {
            await connection.close()
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

    private func checkOut() async throws -> AsyncConnection {
        if let pooled = lock.withLock({ idle.popLast() }) { return pooled }
        return try await connect()
    }

    private func checkIn(_ connection: AsyncConnection) {
        lock.lock()
        if idle.count < maxIdle {
            idle.append(connection)
            lock.unlock()
        } else {
            lock.unlock()
            Task { await connection.close() }
        }
    }

    /// Closes the pooled connections (after a database restart, or at shutdown).
    public func drain() async {
        let all = lock.withLock { () -> [AsyncConnection] in
            let all = idle
            idle.removeAll()
            return all
        }
        for c in all { await c.close() }
    }
}

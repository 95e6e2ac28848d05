import CLibPQ
import Foundation

/// One libpq connection, used from one thread at a time.
///
/// Connection settings follow libpq: a conninfo string (`host=... dbname=...`) or a URL
/// (`postgres://user@host/db`), and for whatever they leave out, the PG* environment variables,
/// service files and ~/.pgpass — so candlestack connects wherever psql would. Every statement with
/// values goes through PQexecParams with `$1..$n` parameters.
///
/// Sessions run with `TimeZone = 'UTC'` so timestamps read back the same everywhere.
public final class Connection: @unchecked Sendable {
    var handle: OpaquePointer?

    /// Opens a connection. `conninfo` nil or empty means libpq's defaults (PG* variables...).
    public init(_ conninfo: String? = nil, applicationName: String = "candlestack") throws {
        let keys = ["dbname", "fallback_application_name"]
        let values = [conninfo ?? "", applicationName]
        handle = Self.connectParams(keys, values)
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            let message = handle.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? "out of memory"
            if let handle { PQfinish(handle) }
            self.handle = nil
            throw PostgresError(kind: .connectionFailed, message: "could not connect to PostgreSQL: " + message.trimmingTrailingNewlines())
        }
        _ = try query("select set_config('TimeZone', 'UTC', false)")
    }

    private static func connectParams(_ keys: [String], _ values: [String]) -> OpaquePointer? {
        var keyPointers = keys.map { strdup($0) } + [nil]
        var valuePointers = values.map { strdup($0) } + [nil]
        defer {
            keyPointers.forEach { free($0) }
            valuePointers.forEach { free($0) }
        }
        return keyPointers.withUnsafeMutableBufferPointer { k in
            valuePointers.withUnsafeMutableBufferPointer { v in
                k.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: k.count) { kp in
                    v.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: v.count) { vp in
                        PQconnectdbParams(kp, vp, 1)
                    }
                }
            }
        }
    }

    deinit { close() }

    /// Closes the connection; later calls throw.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// True while libpq believes the connection is usable.
    public var isOpen: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// The backend's process id (for pg_terminate_backend in tests and for logs).
    public var backendPID: Int32 { handle.map { PQbackendPID($0) } ?? 0 }

    /// Host, port, database and user this connection reached (never the password).
    public var summary: String {
        guard let h = handle else { return "closed" }
        func s(_ p: UnsafeMutablePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }
        return "host=\(s(PQhost(h))) port=\(s(PQport(h))) dbname=\(s(PQdb(h))) user=\(s(PQuser(h)))"
    }

    func open() throws -> OpaquePointer {
        guard let handle else { throw PostgresError(kind: .connectionLost, message: "connection is closed") }
        return handle
    }

    /// Runs one statement with parameters and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any SQLParameter] = []) throws -> QueryResult {
        let pg = try open()
        let texts = parameters.map { $0.sqlText }
        var cStrings: [UnsafeMutablePointer<CChar>?] = texts.map { $0.map { strdup($0) } ?? nil }
        defer { cStrings.forEach { free($0) } }
        let result = cStrings.withUnsafeMutableBufferPointer { buffer -> OpaquePointer? in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { values in
                    PQexecParams(pg, sql, Int32(texts.count), nil, values, nil, nil, 0)
                }
            } ?? PQexecParams(pg, sql, 0, nil, nil, nil, nil, 0)
        }
        return try check(result)
    }

    /// Runs a script of one or more statements without parameters (simple query protocol).
    /// For migration files and fixed DDL only: values must go through `query(_:_:)`.
    public func executeScript(_ sql: String) throws {
        let pg = try open()
        _ = try check(PQexec(pg, sql))
        // PQexec returns the last result; earlier failures abort the script and surface there.
    }

    /// Turns a PGresult into a QueryResult, or throws the error it carries.
    func check(_ result: OpaquePointer?) throws -> QueryResult {
        guard let result else { throw PostgresError.from(result: nil, connection: handle) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return QueryResult(result)
        default:
            let error = PostgresError.from(result: result, connection: handle)
            PQclear(result)
            throw error
        }
    }

    /// Runs `body` inside BEGIN/COMMIT; any thrown error rolls back and is rethrown.
    public func withTransaction<T>(_ body: () throws -> T) throws -> T {
        try query("begin")
        do {
            let value = try body()
            try query("commit")
            return value
        } catch {
            if isOpen { _ = try? query("rollback") }
            throw error
        }
    }
}

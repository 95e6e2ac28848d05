import CLibPQ
import Foundation

/// One libpq connection, used from one thread at a time.
///
/// Connection settings follow libpq: a conninfo string (`host=... dbname=...`) or a URL
/// (`postgres://user@host/db`), and for whatever they leave out, the PG* environment variables,
/// service files and ~/.pgpass — so candlestack connects wherever psql would. Every statement with
/// values goes through PQexecParams with `$1..$n` parameters.
///
/// Sessions start with `SessionSettings` in their startup packet: ISO timestamps in UTC, `postgres`
/// intervals, floats with every digit, whatever the role, database or environment say.
public final class Connection: @unchecked Sendable {
    var handle: OpaquePointer?
    /// PQgetCancel's object, made once at connect; guarded by `cancelLock` so `cancel()` may run
    /// on another thread while this one waits for a statement.
    private var cancelHandle: OpaquePointer?
    private let cancelLock = NSLock()

    /// Opens a connection. `conninfo` nil or empty means libpq's defaults (PG* variables...).
    /// `session` adds timeouts to the fixed session settings.
    public init(_ conninfo: String? = nil, applicationName: String = "candlestack", session: SessionSettings = SessionSettings()) throws {
        let keys = ["dbname", "fallback_application_name", "options"]
        let values = [conninfo ?? "", applicationName, try session.startupOptions(conninfo: conninfo)]
        handle = Self.connectParams(keys, values)
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            let message = handle.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? "out of memory"
            if let handle { PQfinish(handle) }
            self.handle = nil
            throw PostgresError(kind: .connectionFailed, message: "could not connect to PostgreSQL: " + message.trimmingTrailingNewlines())
        }
        cancelHandle = PQgetCancel(handle)
        try enforceReportedSettings()
    }

    /// PGDATESTYLE and PGTZ travel as startup parameters of their own, which the server applies
    /// after `options` (and a pooler may drop `options`): the server reports the settings it ended
    /// up with (ParameterStatus, no round trip), and only when one differs is it set here.
    private func enforceReportedSettings() throws {
        guard let handle else { return }
        var wrong: [(String, String)] = []
        for (name, value) in SessionSettings.fixed where name != "extra_float_digits" {
            let reported = PQparameterStatus(handle, name).map { String(cString: $0) } ?? ""
            let expected = name == "DateStyle" ? "ISO, MDY" : value
            if reported != expected { wrong.append((name, value)) }
        }
        for (name, value) in wrong { try query("select set_config($1, $2, false)", [name, value]) }
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
        cancelLock.withLock {
            if let cancelHandle { PQfreeCancel(cancelHandle) }
            cancelHandle = nil
        }
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// Asks the server to stop the statement this connection is running (PQcancel), from any
    /// thread. The statement then fails with SQLSTATE 57014 (query_canceled); an idle connection
    /// ignores the request. Returns false when the connection is closed; throws when the request
    /// could not be delivered.
    @discardableResult
    public func cancel() throws -> Bool {
        try cancelLock.withLock {
            guard let cancelHandle else { return false }
            var buffer = [CChar](repeating: 0, count: 256)
            guard PQcancel(cancelHandle, &buffer, Int32(buffer.count)) == 1 else {
                let reason = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                throw PostgresError(kind: .client, message: "could not send the cancel request: " + reason.trimmingTrailingNewlines())
            }
            return true
        }
    }

    /// Rolls back a transaction left open or failed (after a cancelled statement); no-op when idle.
    func rollbackIfInTransaction() {
        guard let handle else { return }
        let status = PQtransactionStatus(handle)
        if status == PQTRANS_INTRANS || status == PQTRANS_INERROR { _ = try? query("rollback") }
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

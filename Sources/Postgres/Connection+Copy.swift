import CLibPQ
import Foundation

/// Writes COPY FROM STDIN data, buffering it into chunks of about 256 KiB for libpq.
public final class CopyInWriter {
    let connection: Connection
    var buffer: [UInt8] = []
    let chunkSize = 256 * 1024
    public private(set) var bytesWritten = 0

    init(_ connection: Connection) {
        self.connection = connection
        buffer.reserveCapacity(chunkSize + 4096)
    }

    /// Appends text (for COPY ... FORMAT text or csv). Rows end with "\n"; the caller escapes.
    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= chunkSize { try flush() }
    }

    /// Appends raw bytes (for COPY ... FORMAT binary).
    public func write(bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= chunkSize { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let pg = try connection.open()
        let status = buffer.withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) {
                PQputCopyData(pg, $0, Int32(p.count))
            }
        }
        guard status == 1 else { throw PostgresError.from(result: nil, connection: pg) }
        bytesWritten += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Escapes a value for COPY text format (backslash, tab, newline, carriage return).
    public static func escapeText(_ value: String) -> String {
        if !value.utf8.contains(where: { $0 == 92 || $0 == 9 || $0 == 10 || $0 == 13 }) { return value }
        var out = ""
        for ch in value {
            switch ch {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(ch)
            }
        }
        return out
    }
}

extension Connection {
    /// Runs `COPY ... FROM STDIN` and streams what `produce` writes, in chunks.
    /// Returns the number of rows the server copied. If `produce` throws, the COPY is aborted
    /// (nothing from it is kept) and the error is rethrown.
    @discardableResult
    public func copyIn(_ sql: String, _ produce: (CopyInWriter) throws -> Void) throws -> Int {
        let pg = try open()
        let start = PQexec(pg, sql)
        guard let start, PQresultStatus(start) == PGRES_COPY_IN else {
            _ = try check(start)
            throw PostgresError(kind: .client, message: "copyIn expects a COPY ... FROM STDIN statement")
        }
        PQclear(start)
        let writer = CopyInWriter(self)
        do {
            try produce(writer)
            try writer.flush()
        } catch {
            _ = PQputCopyEnd(pg, "aborted by client")
            drainResults(pg)
            throw error
        }
        guard PQputCopyEnd(pg, nil) == 1 else { throw PostgresError.from(result: nil, connection: pg) }
        var rows = 0
        var firstError: Error?
        while let result = PQgetResult(pg) {
            do { rows = try check(result).affectedRows } catch { if firstError == nil { firstError = error } }
        }
        if let firstError { throw firstError }
        return rows
    }

    /// Runs `COPY ... TO STDOUT` and hands each row's bytes to `row`, as libpq delivers them,
    /// without collecting them. Returns the row count.
    ///
    /// COPY takes no bind parameters. To pass values into its query, set them first with
    /// `select set_config('candlestack.x', $1, true)` in the same transaction and read them in the
    /// query with `current_setting('candlestack.x')` — values still never enter the SQL text.
    @discardableResult
    public func copyOut(_ sql: String, _ row: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        let pg = try open()
        let start = PQexec(pg, sql)
        guard let start, PQresultStatus(start) == PGRES_COPY_OUT else {
            _ = try check(start)
            throw PostgresError(kind: .client, message: "copyOut expects a COPY ... TO STDOUT statement")
        }
        PQclear(start)
        var count = 0
        var callbackError: Error?
        while true {
            var pointer: UnsafeMutablePointer<CChar>?
            let n = PQgetCopyData(pg, &pointer, 0)
            if n > 0, let pointer {
                if callbackError == nil {
                    do { try row(UnsafeRawBufferPointer(start: pointer, count: Int(n))) } catch { callbackError = error }
                }
                PQfreemem(pointer)
                count += 1
            } else if n == -1 {
                break
            } else {
                throw PostgresError.from(result: nil, connection: pg)
            }
        }
        var firstError: Error?
        while let result = PQgetResult(pg) {
            do { _ = try check(result) } catch { if firstError == nil { firstError = error } }
        }
        if let callbackError { throw callbackError }
        if let firstError { throw firstError }
        return count
    }

    func drainResults(_ pg: OpaquePointer) {
        while let result = PQgetResult(pg) { PQclear(result) }
    }
}

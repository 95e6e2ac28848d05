import CLibPQ
import Foundation

/// The rows a statement returned, in PostgreSQL's text format, with typed accessors.
///
/// Accessors return nil for SQL NULL. A value that cannot be read as the asked type throws, naming
/// the column, so a schema change shows up as a clear error rather than as a wrong number.
public final class QueryResult: @unchecked Sendable {
    let handle: OpaquePointer
    /// Number of rows returned.
    public let count: Int
    /// Column names, in order.
    public let columns: [String]
    /// Rows affected by INSERT/UPDATE/DELETE (or the row count of a SELECT).
    public let affectedRows: Int

    init(_ handle: OpaquePointer) {
        self.handle = handle
        count = Int(PQntuples(handle))
        let n = Int(PQnfields(handle))
        columns = (0..<n).map { String(cString: PQfname(handle, Int32($0))) }
        affectedRows = Int(String(cString: PQcmdTuples(handle))) ?? count
    }

    deinit { PQclear(handle) }

    public var isEmpty: Bool { count == 0 }

    /// The index of a column by name; throws when there is no such column.
    public func column(_ name: String) throws -> Int {
        guard let i = columns.firstIndex(of: name) else {
            throw PostgresError(kind: .client, message: "result has no column \"\(name)\" (columns: \(columns.joined(separator: ", ")))")
        }
        return i
    }

    /// The raw text of a value, or nil for NULL.
    public func string(_ row: Int, _ column: Int) -> String? {
        if PQgetisnull(handle, Int32(row), Int32(column)) != 0 { return nil }
        return String(cString: PQgetvalue(handle, Int32(row), Int32(column)))
    }

    public func string(_ row: Int, _ name: String) throws -> String? { string(row, try column(name)) }

    /// The type OID of a column (pg_type.oid: 20 bigint, 1700 numeric, 1184 timestamptz, ...).
    public func typeOID(_ column: Int) -> UInt32 { UInt32(PQftype(handle, Int32(column))) }

    public func rows() -> [Row] { (0..<count).map { Row(result: self, index: $0) } }

    /// The first row, if any.
    public var first: Row? { count > 0 ? Row(result: self, index: 0) : nil }

    /// One row of a result. Columns can be read by position or by name.
    public struct Row: Sendable {
        public let result: QueryResult
        public let index: Int

        public func string(_ c: Int) -> String? { result.string(index, c) }
        public func string(_ name: String) throws -> String? { try result.string(index, name) }

        public func int(_ name: String) throws -> Int? { try parse(name) { Int($0) } }
        public func int64(_ name: String) throws -> Int64? { try parse(name) { Int64($0) } }
        public func double(_ name: String) throws -> Double? { try parse(name) { Double($0) } }
        public func bool(_ name: String) throws -> Bool? {
            try parse(name) { $0 == "t" ? true : ($0 == "f" ? false : nil) }
        }
        /// A timestamptz as a Date (the session runs with TimeZone UTC and DateStyle ISO).
        public func date(_ name: String) throws -> Date? { try parse(name) { PostgresTime.parse($0) } }
        /// A timestamptz as Unix milliseconds.
        public func unixMillis(_ name: String) throws -> Int64? {
            try parse(name) { PostgresTime.parseMicros($0).map { $0 / 1000 } }
        }
        /// A json/jsonb value parsed with JSONSerialization.
        public func json(_ name: String) throws -> Any? {
            try parse(name) { try? JSONSerialization.jsonObject(with: Data($0.utf8), options: [.fragmentsAllowed]) }
        }
        /// A one-dimensional text[] / bigint[] value as strings (no NULL elements).
        public func stringArray(_ name: String) throws -> [String]? { try parse(name) { ArrayLiteral.parse($0) } }

        /// Required variants: throw when the value is NULL.
        public func required<T>(_ name: String, _ read: (String) throws -> T?) throws -> T {
            guard let v = try read(name) else {
                throw PostgresError(kind: .client, message: "column \"\(name)\" is NULL where a value was expected")
            }
            return v
        }

        private func parse<T>(_ name: String, _ convert: (String) -> T?) throws -> T? {
            guard let text = try string(name) else { return nil }
            guard let value = convert(text) else {
                throw PostgresError(kind: .client, message: "column \"\(name)\": cannot read \(String(describing: T.self)) from \"\(text.prefix(60))\"")
            }
            return value
        }
    }
}

/// Parses PostgreSQL's text form of one-dimensional arrays.
public enum ArrayLiteral {
    public static func parse(_ text: String) -> [String]? {
        let chars = Array(text)
        guard chars.first == "{", chars.last == "}" else { return nil }
        var out: [String] = []
        var i = 1
        let end = chars.count - 1
        if end == 1 { return [] }
        while i < end {
            var item = ""
            if chars[i] == "\"" {
                i += 1
                while i < end && chars[i] != "\"" {
                    if chars[i] == "\\" { i += 1 }
                    if i < end { item.append(chars[i]) }
                    i += 1
                }
                i += 1
            } else {
                while i < end && chars[i] != "," { item.append(chars[i]); i += 1 }
            }
            out.append(item)
            if i < end && chars[i] == "," { i += 1 }
        }
        return out
    }
}

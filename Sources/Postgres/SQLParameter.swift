import CivilTime
import Foundation

/// A value that can be sent as a statement parameter ($1, $2 ...) in PostgreSQL's text format.
///
/// Values are never spliced into SQL text: they travel separately through PQexecParams. `nil`
/// (an Optional that is empty) is sent as SQL NULL.
public protocol SQLParameter: Sendable {
    /// The text form PostgreSQL parses for this value, or nil for NULL.
    var sqlText: String? { get }
}

extension String: SQLParameter { public var sqlText: String? { self } }
extension Substring: SQLParameter { public var sqlText: String? { String(self) } }
extension Int: SQLParameter { public var sqlText: String? { String(self) } }
extension Int64: SQLParameter { public var sqlText: String? { String(self) } }
extension Int32: SQLParameter { public var sqlText: String? { String(self) } }
extension Bool: SQLParameter { public var sqlText: String? { self ? "t" : "f" } }

extension Double: SQLParameter {
    /// Finite doubles in their shortest round-tripping form; NaN and infinities as PostgreSQL spells them.
    public var sqlText: String? {
        if isNaN { return "NaN" }
        if isInfinite { return self > 0 ? "Infinity" : "-Infinity" }
        return "\(self)"
    }
}

extension Date: SQLParameter {
    /// An ISO 8601 timestamp in UTC with microseconds, for timestamptz parameters.
    public var sqlText: String? { PostgresTime.format(self) }
}

extension Optional: SQLParameter where Wrapped: SQLParameter {
    public var sqlText: String? { self?.sqlText }
}

extension Array: SQLParameter where Element: SQLParameter {
    /// A one-dimensional array literal: `{"a","b",NULL}`, every element quoted and escaped.
    public var sqlText: String? {
        var out = "{"
        for (i, element) in enumerated() {
            if i > 0 { out += "," }
            if let text = element.sqlText {
                out += "\""
                for ch in text {
                    if ch == "\"" || ch == "\\" { out.append("\\") }
                    out.append(ch)
                }
                out += "\""
            } else {
                out += "NULL"
            }
        }
        return out + "}"
    }
}

/// A JSON document passed as text (for json/jsonb parameters). The text is not re-encoded.
public struct JSONText: SQLParameter, Hashable {
    public var text: String
    public init(_ text: String) { self.text = text }
    /// Encodes a JSON-serialisable Foundation value (dictionary, array, string, number, bool, NSNull).
    public init(object: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])
        self.text = String(decoding: data, as: UTF8.self)
    }
    public var sqlText: String? { text }
}

/// Formats and parses timestamptz text in the form PostgreSQL prints with DateStyle ISO (the
/// calendar arithmetic is CivilTime's, shared with the rest of the project).
public enum PostgresTime {
    public static func format(_ date: Date) -> String {
        formatMicros(Int64((date.timeIntervalSince1970 * 1_000_000).rounded()))
    }

    /// Formats Unix microseconds as `YYYY-MM-DD HH:MM:SS.ffffff+00`.
    public static func formatMicros(_ micros: Int64) -> String { UTCTime.sqlText(micros: micros) }

    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM]` (or any form UTCTime reads) into Unix microseconds.
    public static func parseMicros(_ text: String) -> Int64? { UTCTime.parseMicros(text) }

    public static func parse(_ text: String) -> Date? {
        parseMicros(text).map { Date(timeIntervalSince1970: Double($0) / 1_000_000) }
    }
}

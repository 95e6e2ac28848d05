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

/// Formats and parses timestamptz text in the form PostgreSQL prints with DateStyle ISO.
public enum PostgresTime {
    public static func format(_ date: Date) -> String {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        return formatMicros(Int64(micros))
    }

    /// Formats Unix microseconds as `YYYY-MM-DD HH:MM:SS.ffffff+00`.
    public static func formatMicros(_ micros: Int64) -> String {
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 { fraction += 1_000_000; seconds -= 1 }
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v); return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let frac = String(fraction)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2)) "
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + String(repeating: "0", count: 6 - frac.count) + frac + "+00"
    }

    /// Parses `YYYY-MM-DD HH:MM:SS[.ffffff]±HH[:MM]` into Unix microseconds.
    public static func parseMicros(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 19 else { return nil }
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= b.count else { return nil }
            var v = 0
            for i in from..<(from + len) {
                let c = b[i]; guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard let year = num(0, 4), let month = num(5, 2), let day = num(8, 2),
              let hour = num(11, 2), let minute = num(14, 2), let second = num(17, 2) else { return nil }
        var i = 19
        var micros = 0
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 6 { micros = micros * 10 + Int(b[i] - 48); digits += 1 }
                i += 1
            }
            while digits < 6 { micros *= 10; digits += 1 }
        }
        var offsetSeconds = 0
        if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) {
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            guard let oh = num(i + 1, 2) else { return nil }
            var om = 0
            if i + 3 < b.count && b[i + 3] == UInt8(ascii: ":") { om = num(i + 4, 2) ?? 0 }
            offsetSeconds = sign * (oh * 3600 + om * 60)
        }
        let days = daysFromCivil(year, month, day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return seconds * 1_000_000 + Int64(micros)
    }

    public static func parse(_ text: String) -> Date? {
        parseMicros(text).map { Date(timeIntervalSince1970: Double($0) / 1_000_000) }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

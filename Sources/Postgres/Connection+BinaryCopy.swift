// Reading `COPY ... TO STDOUT (FORMAT binary)`: the file header, one tuple at a time, and the
// binary forms of the types we read in bulk (timestamptz, numeric, int8, float8, text).
//
// Binary COPY format (PostgreSQL docs, "COPY", "Binary Format"): header "PGCOPY\n\377\r\n\0",
// int32 flags, int32 header-extension length (+ that many bytes); each tuple is an int16 field
// count, then per field an int32 length (-1 for NULL) and the value in its type's binary send
// form, big-endian; the trailer is the int16 -1. libpq hands over one CopyData message per
// callback; the server sends each tuple in its own message (the header rides with the first).

import CLibPQ

/// Parses the CopyData messages of one binary COPY; keep one per COPY (it remembers the header).
public struct BinaryCopyParser {
    public let fieldCount: Int
    @usableFromInline var sawHeader = false
    /// Tuples parsed so far.
    public var tuples: Int { parsed }
    @usableFromInline var parsed = 0

    public init(fieldCount: Int) { self.fieldCount = fieldCount }

    /// Parses one CopyData message: maybe the header, then tuples (each handed to `tuple` as a
    /// cursor over its fields, to be read in order), or the trailer.
    @inlinable
    public mutating func parse(_ bytes: UnsafeRawBufferPointer, _ tuple: (inout BinaryCopyTuple) throws -> Void) throws {
        var p = 0
        if !sawHeader {
            guard bytes.count >= 19, bytes[0] == 0x50, bytes[1] == 0x47, bytes[5] == 0x59, bytes[6] == 0x0A else {
                throw BinaryCopyTuple.malformed("missing PGCOPY header")
            }
            let ext = Int(bytes.loadUnaligned(fromByteOffset: 15, as: UInt32.self).bigEndian)
            p = 19 + ext
            sawHeader = true
        }
        let n = bytes.count
        while p + 2 <= n {
            let fields = Int16(bitPattern: bytes.loadUnaligned(fromByteOffset: p, as: UInt16.self).bigEndian)
            p += 2
            if fields == -1 { return }
            guard Int(fields) == fieldCount else {
                throw BinaryCopyTuple.malformed("expected \(fieldCount) fields, got \(fields)")
            }
            var cursor = BinaryCopyTuple(bytes: bytes, position: p)
            try tuple(&cursor)
            p = cursor.position
            parsed += 1
        }
    }
}

/// A cursor over the fields of one tuple of a binary COPY. Each reader consumes one field.
public struct BinaryCopyTuple {
    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline var position: Int

    @inlinable init(bytes: UnsafeRawBufferPointer, position: Int) {
        self.bytes = bytes
        self.position = position
    }

    @usableFromInline static func malformed(_ what: String) -> PostgresError {
        PostgresError(kind: .client, message: "binary COPY: " + what)
    }

    /// Length of the next field and the offset of its value; -1 for NULL.
    @inlinable mutating func field(_ name: StaticString) throws -> (length: Int, at: Int) {
        guard position + 4 <= bytes.count else { throw Self.malformed("truncated before \(name)") }
        let length = Int(Int32(bitPattern: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self).bigEndian))
        let at = position + 4
        guard length <= bytes.count - at else { throw Self.malformed("\(name) runs past the message") }
        position = at + max(0, length)
        return (length, at)
    }

    /// Skips the next field whatever its type.
    @inlinable public mutating func skip() throws { _ = try field("a field") }

    /// True when the next field is NULL (it is not consumed).
    @inlinable public var nextIsNull: Bool {
        position + 4 <= bytes.count
            && Int32(bitPattern: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self).bigEndian) == -1
    }

    /// A timestamptz (int64 microseconds since 2000-01-01 00:00 UTC) as Unix milliseconds, floored.
    @inlinable public mutating func timestampMs() throws -> Int64 {
        let (length, at) = try field("timestamptz")
        guard length == 8 else { throw Self.malformed(length < 0 ? "timestamptz is NULL" : "timestamptz is not 8 bytes") }
        let micros = Int64(bitPattern: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self).bigEndian)
        return (micros >= 0 ? micros / 1000 : (micros - 999) / 1000) + 946_684_800_000
    }

    /// An int8.
    @inlinable public mutating func int64() throws -> Int64 {
        let (length, at) = try field("int8")
        guard length == 8 else { throw Self.malformed(length < 0 ? "int8 is NULL" : "int8 is not 8 bytes") }
        return Int64(bitPattern: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self).bigEndian)
    }

    /// A float8.
    @inlinable public mutating func float8() throws -> Double {
        let (length, at) = try field("float8")
        guard length == 8 else { throw Self.malformed(length < 0 ? "float8 is NULL" : "float8 is not 8 bytes") }
        return Double(bitPattern: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self).bigEndian)
    }

    /// A text (or varchar) value; nil for NULL.
    @inlinable public mutating func text() throws -> String? {
        let (length, at) = try field("text")
        guard length >= 0 else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[at..<(at + length)]), as: UTF8.self)
    }

    /// A finite numeric as the nearest Double: the value `numeric::float8` gives. NULL, NaN and
    /// infinities are refused (`what` names the column in the error).
    ///
    /// Binary numeric: int16 ndigits, weight, sign, dscale, then ndigits base-10000 digits; value =
    /// digits as an integer N times 10000^(weight - ndigits + 1).
    @inlinable public mutating func numeric(_ what: String = "numeric") throws -> Double {
        let (length, base) = try field("numeric")
        guard length >= 8 else { throw Self.malformed(length < 0 ? "\(what) is NULL" : "\(what) is malformed") }
        let ndigits = i16(base), weight = i16(base + 2)
        let sign = UInt16(bitPattern: Int16(i16(base + 4)))
        guard sign == 0 || sign == 0x4000 else { throw Self.malformed("\(what) is NaN or infinite") }
        guard ndigits > 0 else { return 0 }
        guard 8 + 2 * ndigits <= length else { throw Self.malformed("\(what) has fewer digits than it says") }
        var n: UInt64 = 0
        var exact = true
        for i in 0..<ndigits {
            let d = UInt64(i16(base + 8 + 2 * i))
            let (m, o1) = n.multipliedReportingOverflow(by: 10_000)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { exact = false; break }
            n = a
        }
        let exp = weight - ndigits + 1
        var v: Double
        if exact && n < (1 << 53) && exp >= -5 && exp <= 5 {
            // N and 10000^|exp| (<= 1e20) are exact Doubles: one correctly rounded operation.
            let scale = Self.powersOf10000[abs(exp)]
            v = exp < 0 ? Double(n) / scale : Double(n) * scale
        } else {
            var text = ""
            for i in 0..<ndigits {
                let d = String(i16(base + 8 + 2 * i))
                text += i == 0 ? d : String(repeating: "0", count: 4 - d.count) + d
            }
            v = Double(text + "e\(4 * exp)") ?? .nan
        }
        return sign == 0x4000 ? -v : v
    }

    @usableFromInline static let powersOf10000: [Double] = [1.0, 1e4, 1e8, 1e12, 1e16, 1e20]

    @inlinable func i16(_ at: Int) -> Int {
        Int(Int16(bitPattern: bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self).bigEndian))
    }
}

extension Connection {
    /// Runs `COPY (...) TO STDOUT (FORMAT binary)` with `fieldCount` columns and hands each tuple to
    /// `tuple` as a cursor; returns the number of tuples. An error thrown by `tuple` (or a malformed
    /// message) stops the parsing; the COPY is drained and the error rethrown.
    @discardableResult
    public func copyOutBinary(_ sql: String, fieldCount: Int, _ tuple: (inout BinaryCopyTuple) throws -> Void) throws -> Int {
        var parser = BinaryCopyParser(fieldCount: fieldCount)
        _ = try copyOut(sql) { try parser.parse($0, tuple) }
        return parser.tuples
    }
}

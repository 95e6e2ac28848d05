// UTCTime: Unix instants (ms, µs) to and from the text forms the project uses, without Foundation
// formatters (COPY writes one per candle, and QueryResult parses one per timestamptz cell).
//
// - `sqlText`: "2024-01-02 03:04:05.678+00", what PostgreSQL's COPY and `$n::timestamptz` read.
// - `iso`: "2024-01-02T03:04:05Z", what job payloads, logs and people read.
// - `parseMicros`: the one reader of ISO 8601 times and of PostgreSQL's DateStyle ISO output.

public enum UTCTime {
    public static let msPerDay: Int64 = 86_400_000
    public static let microsPerDay: Int64 = 86_400_000_000

    /// "YYYY-MM-DD HH:MM:SS.fff+00" for Unix milliseconds.
    public static func sqlText(ms: Int64) -> String {
        let (date, msOfDay) = split(ms, perDay: msPerDay)
        return date.description + " " + clock(msOfDay / 1000) + "." + pad(msOfDay % 1000, 3) + "+00"
    }

    /// "YYYY-MM-DD HH:MM:SS.ffffff+00" for Unix microseconds.
    public static func sqlText(micros: Int64) -> String {
        let (date, usOfDay) = split(micros, perDay: microsPerDay)
        return date.description + " " + clock(usOfDay / 1_000_000) + "." + pad(usOfDay % 1_000_000, 6) + "+00"
    }

    /// "YYYY-MM-DDTHH:MM:SSZ" for Unix milliseconds (a fraction of a second is dropped).
    public static func iso(ms: Int64) -> String {
        let (date, msOfDay) = split(ms, perDay: msPerDay)
        return date.description + "T" + clock(msOfDay / 1000) + "Z"
    }

    /// Unix milliseconds of a text `parseMicros` reads (rounded down to the millisecond).
    public static func parseMs(_ text: String) -> Int64? {
        parseMicros(text).map { floorDiv($0, 1000) }
    }

    /// Reads an instant as ISO 8601 writes it or PostgreSQL prints it (DateStyle ISO):
    ///
    ///     2024-01-01                       midnight UTC
    ///     2024-01-01T12:00 / 2024-01-01 12:00
    ///     2024-01-01T12:00:30.25           fractions of up to 9 digits (kept to the microsecond)
    ///     ...Z / ...+08 / ...+0800 / ...-05:30 / ...+05:30:15
    ///
    /// A time without an offset is UTC. Impossible dates and times (2024-02-30, 24:00, 12:60)
    /// give nil, as does anything else.
    public static func parseMicros(_ text: String) -> Int64? {
        var s = Scanner(Array(text.utf8))
        guard let year = s.digits(4), s.take(UInt8(ascii: "-")), let month = s.digits(2), s.take(UInt8(ascii: "-")),
              let day = s.digits(2) else { return nil }
        let date = CivilDate(year: year, month: month, day: day)
        guard date.isValid else { return nil }
        var micros = date.daysSinceEpoch * microsPerDay
        if s.atEnd { return micros }
        guard s.take(UInt8(ascii: "T")) || s.take(UInt8(ascii: " ")),
              let hour = s.digits(2), s.take(UInt8(ascii: ":")), let minute = s.digits(2),
              hour < 24, minute < 60 else { return nil }
        var second: Int64 = 0
        var fraction: Int64 = 0
        if s.take(UInt8(ascii: ":")) {
            guard let sec = s.digits(2), sec < 60 else { return nil }
            second = sec
            if s.take(UInt8(ascii: ".")) {
                var count = 0
                while let d = s.digit() {
                    count += 1
                    if count <= 6 { fraction = fraction * 10 + d }
                }
                guard (1...9).contains(count) else { return nil }
                if count < 6 { for _ in count..<6 { fraction *= 10 } }
            }
        }
        micros += ((hour * 60 + minute) * 60 + second) * 1_000_000 + fraction
        if s.atEnd { return micros }
        if s.take(UInt8(ascii: "Z")) { return s.atEnd ? micros : nil }
        let sign: Int64
        if s.take(UInt8(ascii: "+")) { sign = 1 } else if s.take(UInt8(ascii: "-")) { sign = -1 } else { return nil }
        guard let oh = s.digits(2), oh < 24 else { return nil }
        var offset = oh * 3600
        if !s.atEnd {
            let colon = s.take(UInt8(ascii: ":"))
            guard let om = s.digits(2), om < 60 else { return nil }
            offset += om * 60
            if colon, s.take(UInt8(ascii: ":")) {
                guard let os = s.digits(2), os < 60 else { return nil }
                offset += os
            }
        }
        guard s.atEnd else { return nil }
        return micros - sign * offset * 1_000_000
    }

    /// The civil date and the time of day (in `perDay` units) of an instant.
    static func split(_ t: Int64, perDay: Int64) -> (CivilDate, Int64) {
        (CivilDate(daysSinceEpoch: floorDiv(t, perDay)), floorMod(t, perDay))
    }

    /// "HH:MM:SS" of a second of the day.
    static func clock(_ secondOfDay: Int64) -> String {
        pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
    }
}

/// A cursor over ASCII bytes for the parsers above.
struct Scanner {
    let bytes: [UInt8]
    var i = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { i == bytes.count }

    mutating func take(_ byte: UInt8) -> Bool {
        guard i < bytes.count, bytes[i] == byte else { return false }
        i += 1
        return true
    }

    mutating func digit() -> Int64? {
        guard i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 else { return nil }
        defer { i += 1 }
        return Int64(bytes[i] - 48)
    }

    /// Exactly `n` decimal digits.
    mutating func digits(_ n: Int) -> Int64? {
        guard i + n <= bytes.count else { return nil }
        var v: Int64 = 0
        for k in i..<(i + n) {
            let c = bytes[k]
            guard c >= 48 && c <= 57 else { return nil }
            v = v * 10 + Int64(c - 48)
        }
        i += n
        return v
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension UTCTime {
    /// The system clock as Unix milliseconds.
    public static func nowMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

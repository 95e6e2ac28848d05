// IngestTime: Unix milliseconds to and from the UTC text PostgreSQL and job payloads use,
// without Foundation formatters (COPY writes one per candle).

import Foundation

enum IngestTime {
    /// "2024-01-02 03:04:05.678+00" (COPY text input for timestamptz, and $n::timestamptz).
    static func sqlText(_ ms: Int64) -> String {
        let (days, msOfDay) = ms.quotientAndRemainder(dividingBy: 86_400_000)
        var d = days, m = msOfDay
        if m < 0 { m += 86_400_000; d -= 1 }
        let (y, mo, da) = civil(fromDays: d)
        let h = m / 3_600_000, mi = (m / 60_000) % 60, s = (m / 1000) % 60, frac = m % 1000
        return "\(pad(y, 4))-\(pad(mo, 2))-\(pad(da, 2)) \(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(frac, 3))+00"
    }

    /// "2024-01-02T03:04:05Z" for people and payloads.
    static func iso(_ ms: Int64) -> String {
        let t = sqlText(ms)
        return String(t.prefix(10)) + "T" + String(t.dropFirst(11).prefix(8)) + "Z"
    }

    /// Reads "2024-01-01", "2024-01-01T00:00:00Z" (what the validators write), or a Unix ms number.
    static func parse(_ text: String) -> Int64? {
        if let ms = Int64(text) { return ms }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: text) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        f.formatOptions = [.withFullDate]
        if let d = f.date(from: text) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        return nil
    }

    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Howard Hinnant's days-to-civil.
    private static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

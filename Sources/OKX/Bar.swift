// Bar: OKX's candle sizes and their alignment rules.
//
// - `1s 1m 3m 5m 15m 30m 1H 2H 4H` are aligned to the UTC epoch.
// - `6H 12H 1D 2D 3D 1W 1M 3M` are aligned to Hong Kong time (UTC+8, no DST):
//   a 1D candle opens at 16:00 UTC.
// - `6Hutc ... 3Mutc` are the same sizes aligned to UTC. There is no `2Hutc`.
// - Weeks start on Monday; `1M` is a calendar month, `3M` a calendar quarter (Jan, Apr, Jul,
//   Oct); `2D`/`3D` are whole days since 1970-01-01 (in the bar's zone) divided by 2 or 3.

/// One of OKX's candle sizes (`bar` parameter). The raw value is OKX's spelling.
public enum Bar: String, CaseIterable, Sendable, Hashable, Codable {
    case s1 = "1s"
    case m1 = "1m", m3 = "3m", m5 = "5m", m15 = "15m", m30 = "30m"
    case h1 = "1H", h2 = "2H", h4 = "4H"
    case h6 = "6H", h12 = "12H", d1 = "1D", d2 = "2D", d3 = "3D", w1 = "1W", mo1 = "1M", mo3 = "3M"
    case h6utc = "6Hutc", h12utc = "12Hutc", d1utc = "1Dutc", d2utc = "2Dutc", d3utc = "3Dutc"
    case w1utc = "1Wutc", mo1utc = "1Mutc", mo3utc = "3Mutc"

    static let secondMs: Int64 = 1_000
    static let minuteMs: Int64 = 60_000
    static let hourMs: Int64 = 3_600_000
    static let dayMs: Int64 = 86_400_000
    static let hongKongOffsetMs: Int64 = 8 * 3_600_000

    /// Offset of the bar's zone from UTC in milliseconds: +8 h for the Hong Kong-aligned bars, else 0.
    public var zoneOffsetMs: Int64 {
        switch self {
        case .h6, .h12, .d1, .d2, .d3, .w1, .mo1, .mo3: return Bar.hongKongOffsetMs
        default: return 0
        }
    }

    /// True for bars aligned to Hong Kong time (UTC+8).
    public var isHongKongAligned: Bool { zoneOffsetMs != 0 }

    /// Number of calendar months for month-based bars (1 or 3), nil otherwise.
    public var calendarMonths: Int? {
        switch self {
        case .mo1, .mo1utc: return 1
        case .mo3, .mo3utc: return 3
        default: return nil
        }
    }

    /// The bar's length in milliseconds, when it is fixed (every bar but the month-based ones).
    public var fixedDurationMs: Int64? {
        switch self {
        case .s1: return Bar.secondMs
        case .m1: return Bar.minuteMs
        case .m3: return 3 * Bar.minuteMs
        case .m5: return 5 * Bar.minuteMs
        case .m15: return 15 * Bar.minuteMs
        case .m30: return 30 * Bar.minuteMs
        case .h1: return Bar.hourMs
        case .h2: return 2 * Bar.hourMs
        case .h4: return 4 * Bar.hourMs
        case .h6, .h6utc: return 6 * Bar.hourMs
        case .h12, .h12utc: return 12 * Bar.hourMs
        case .d1, .d1utc: return Bar.dayMs
        case .d2, .d2utc: return 2 * Bar.dayMs
        case .d3, .d3utc: return 3 * Bar.dayMs
        case .w1, .w1utc: return 7 * Bar.dayMs
        case .mo1, .mo3, .mo1utc, .mo3utc: return nil
        }
    }

    /// Open time (Unix ms) of the candle of this bar that contains `ms`.
    public func start(of ms: Int64) -> Int64 {
        let offset = zoneOffsetMs
        let local = ms + offset
        switch self {
        case .w1, .w1utc:
            // 1970-01-01 was a Thursday; day 4 (1970-01-05) was a Monday.
            let day = Bar.floorDiv(local, Bar.dayMs)
            let monday = day - Bar.floorMod(day - 4, 7)
            return monday * Bar.dayMs - offset
        case .mo1, .mo3, .mo1utc, .mo3utc:
            let months = Int64(calendarMonths!)
            let day = Bar.floorDiv(local, Bar.dayMs)
            let (y, m, _) = Bar.civil(fromDays: day)
            let firstMonth = ((m - 1) / months) * months + 1
            return Bar.days(fromCivil: y, firstMonth, 1) * Bar.dayMs - offset
        default:
            let d = fixedDurationMs!
            return Bar.floorDiv(local, d) * d - offset
        }
    }

    /// Open time of the candle after the one that contains `start` (normally `start` is itself
    /// an open time).
    public func next(after start: Int64) -> Int64 {
        let s = self.start(of: start)
        if let d = fixedDurationMs { return s + d }
        let months = Int64(calendarMonths!)
        let offset = zoneOffsetMs
        let (y, m, _) = Bar.civil(fromDays: Bar.floorDiv(s + offset, Bar.dayMs))
        var ny = y, nm = m + months
        if nm > 12 { nm -= 12; ny += 1 }
        return Bar.days(fromCivil: ny, nm, 1) * Bar.dayMs - offset
    }

    /// Open time of the candle before the one that contains `ms`.
    public func previous(before ms: Int64) -> Int64 {
        let s = start(of: ms)
        return start(of: s - 1)
    }

    /// True when `ms` is the open time of a candle of this bar.
    public func isAligned(_ ms: Int64) -> Bool { start(of: ms) == ms }

    // MARK: - calendar arithmetic (proleptic Gregorian, Howard Hinnant's algorithms)

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
    }

    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }

    /// (year, month 1...12, day 1...31) of a count of days since 1970-01-01.
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Days since 1970-01-01 of a civil date.
    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = m > 2 ? m - 3 : m + 9
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

// Bar: OKX's candle sizes and their calendar. The one Swift home of the rules; the client, the
// workers and okx-sim all use it. In the database, market.bar_start / market.bar_next
// (migrations/0003_market.sql) are the truth, and Tests/RuleDriftTests compares the two over
// every bar and a sweep of instants around month, quarter, week, Hong Kong midnight and leap days.
//
// - `1s 1m 3m 5m 15m 30m 1H 2H 4H` are aligned to the UTC epoch.
// - `6H 12H 1D 2D 3D 1W 1M 3M` are aligned to Hong Kong time (UTC+8, no DST):
//   a 1D candle opens at 16:00 UTC.
// - `6Hutc ... 3Mutc` are the same sizes aligned to UTC. There is no `2Hutc`.
// - Weeks start on Monday; `1M` is a calendar month, `3M` a calendar quarter (Jan, Apr, Jul,
//   Oct); `2D`/`3D` are whole days since 1970-01-01 (in the bar's zone) divided by 2 or 3.

import CivilTime

/// One of OKX's candle sizes (`bar` parameter). The raw value is OKX's spelling.
public enum Bar: String, CaseIterable, Sendable, Hashable, Codable {
    case s1 = "1s"
    case m1 = "1m", m3 = "3m", m5 = "5m", m15 = "15m", m30 = "30m"
    case h1 = "1H", h2 = "2H", h4 = "4H"
    case h6 = "6H", h12 = "12H", d1 = "1D", d2 = "2D", d3 = "3D", w1 = "1W", mo1 = "1M", mo3 = "3M"
    case h6utc = "6Hutc", h12utc = "12Hutc", d1utc = "1Dutc", d2utc = "2Dutc", d3utc = "3Dutc"
    case w1utc = "1Wutc", mo1utc = "1Mutc", mo3utc = "3Mutc"

    public static let secondMs: Int64 = 1_000
    public static let minuteMs: Int64 = 60_000
    public static let hourMs: Int64 = 3_600_000
    public static let dayMs: Int64 = 86_400_000
    static let hongKongOffsetMs: Int64 = 8 * 3_600_000
    /// Weeks are counted from Monday 1970-01-05, four days after the epoch (a Thursday).
    static let weekPhaseMs: Int64 = 4 * 86_400_000

    /// The bar named `name` (OKX spelling, case-sensitive), or nil.
    public static func named(_ name: String) -> Bar? { Bar(rawValue: name) }

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

    /// Where the fixed grid starts, in the bar's local time: the epoch, or Monday 1970-01-05 for weeks.
    private var phaseMs: Int64 {
        switch self {
        case .w1, .w1utc: return Bar.weekPhaseMs
        default: return 0
        }
    }

    /// Index of the candle that holds instant `ms` (Unix ms): consecutive candles have
    /// consecutive indexes, and index 0 is the candle that opens at the grid's origin.
    public func index(of ms: Int64) -> Int64 {
        let local = ms + zoneOffsetMs
        if let months = calendarMonths.map(Int64.init) {
            let date = CivilDate(daysSinceEpoch: floorDiv(local, Bar.dayMs))
            return floorDiv(date.year * 12 + (date.month - 1), months)
        }
        return floorDiv(local - phaseMs, fixedDurationMs!)
    }

    /// Open time (Unix ms) of the candle with index `i`.
    public func start(ofIndex i: Int64) -> Int64 {
        if let months = calendarMonths.map(Int64.init) {
            let monthIndex = i * months
            let year = floorDiv(monthIndex, 12)
            let first = CivilDate(year: year, month: monthIndex - year * 12 + 1, day: 1)
            return first.daysSinceEpoch * Bar.dayMs - zoneOffsetMs
        }
        return i * fixedDurationMs! + phaseMs - zoneOffsetMs
    }

    /// Open time (Unix ms) of the candle of this bar that contains `ms` (market.bar_start).
    public func start(of ms: Int64) -> Int64 { start(ofIndex: index(of: ms)) }

    /// Open time of the candle after the one that contains `start` (market.bar_next: the
    /// exclusive end of that candle).
    public func next(after start: Int64) -> Int64 { self.start(ofIndex: index(of: start) + 1) }

    /// Open time of the candle before the one that contains `ms`.
    public func previous(before ms: Int64) -> Int64 { start(ofIndex: index(of: ms) - 1) }

    /// True when `ms` is the open time of a candle of this bar.
    public func isAligned(_ ms: Int64) -> Bool { start(of: ms) == ms }
}

// CivilDate: days since 1970-01-01 to a proleptic Gregorian year/month/day and back.
//
// The one home of the calendar algorithm in Swift (Howard Hinnant's `days_from_civil` and
// `civil_from_days`, exact for every Int64 day a timestamp can hold). The OKX bar calendar, the
// timestamp text PostgreSQL and job payloads use, okx-sim and the CLI all call it. In SQL the
// database's own date arithmetic is the truth; Tests/RuleDriftTests compares the two.

/// A proleptic Gregorian calendar date.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int64
    /// 1...12
    public var month: Int64
    /// 1...31
    public var day: Int64

    public init(year: Int64, month: Int64, day: Int64) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` days after 1970-01-01 (negative: before it).
    public init(daysSinceEpoch z0: Int64) {
        let z = z0 + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097                                          // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365    // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)                    // [0, 365]
        let mp = (5 * doy + 2) / 153                                         // [0, 11], March = 0
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// Days from 1970-01-01 to this date. Month and day outside their ranges are not checked:
    /// use `isValid` first when they come from outside.
    public var daysSinceEpoch: Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDiv(y, 400)
        let yoe = y - era * 400                                              // [0, 399]
        let mp = month > 2 ? month - 3 : month + 9                           // March = 0
        let doy = (153 * mp + 2) / 5 + day - 1                               // [0, 365]
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy                      // [0, 146096]
        return era * 146_097 + doe - 719_468
    }

    /// True when month is 1...12 and day exists in that month (29 February only in leap years).
    public var isValid: Bool {
        (1...12).contains(month) && day >= 1 && day <= CivilDate.daysIn(month: month, year: year)
    }

    public static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    public static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The date `months` calendar months later (or earlier), its day clamped to the last day of
    /// that month (31 January + 1 month = 29 February 2024).
    public func addingMonths(_ months: Int64) -> CivilDate {
        let index = year * 12 + (month - 1) + months
        let y = floorDiv(index, 12)
        let m = index - y * 12 + 1
        return CivilDate(year: y, month: m, day: min(day, CivilDate.daysIn(month: m, year: y)))
    }

    /// 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday).
    public var weekday: Int64 { floorMod(daysSinceEpoch + 3, 7) }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// YYYY-MM-DD (years before 1000 zero-padded to four digits).
    public var description: String {
        "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}

/// Division rounding towards negative infinity (Swift's `/` rounds towards zero).
@inline(__always)
public func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
}

/// The remainder that goes with `floorDiv`: in [0, b) for b > 0.
@inline(__always)
public func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }

/// Decimal digits of `v`, left-padded with zeros to `width` (a minus sign comes first).
@inline(__always)
func pad(_ v: Int64, _ width: Int) -> String {
    let s = String(v.magnitude)
    let padded = s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    return v < 0 ? "-" + padded : padded
}

// OKX bar sizes and their alignment, as okx-sim serves them.

/// One OKX bar size (`1m`, `4H`, `1D`, `1Dutc`, `1W`, `1M`, ...) and its bucket grid.
///
/// Alignment rules (the SQL resampler must implement exactly the same rules):
///
/// - Let `off` be the alignment offset: 0 for `1m 3m 5m 15m 30m 1H 2H 4H` and for every name
///   ending in `utc`; 8 h (28,800,000 ms, Hong Kong time, UTC+8) for `6H 12H 1D 2D 3D 1W 1M 3M`.
/// - Fixed-size bars (`1m` ... `3D`, `6Hutc` ... `3Dutc`) of size `S` ms: the bucket holding
///   instant `t` (Unix ms) starts at `floor((t + off) / S) * S - off`. For `2D`/`3D` this means:
///   count whole days since 1970-01-01 00:00 *local* (HK for `2D`/`3D`, UTC for `2Dutc`/`3Dutc`),
///   and a bucket starts on every day number divisible by 2 (3); 1970-01-01 starts a bucket.
/// - Weeks (`1W`, `1Wutc`) start on Monday 00:00 local: bucket start =
///   `floor((t + off - 4 d) / 7 d) * 7 d + 4 d - off` (1970-01-05 was a Monday), so a `1W`
///   candle opens on Sunday 16:00 UTC and a `1Wutc` candle on Monday 00:00 UTC.
/// - Months (`1M`, `1Mutc`) are calendar months of local time: the bucket opens on the 1st at
///   00:00 local (`1M`: the last day of the previous month at 16:00 UTC). Quarters (`3M`, `3Mutc`)
///   are calendar quarters opening on Jan 1, Apr 1, Jul 1, Oct 1 local.
/// - A bar's `ts` is always its bucket start on this grid, even when the simulated history
///   begins (`--from`) inside the bucket: such a first bucket aggregates only the minutes served.
/// - `1s` is not simulated (the market's resolution is one minute): it is answered with 51000.
public struct Bar: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Fixed size in ms, alignment offset in ms, phase in ms (4 days for weeks).
        case fixed(size: Int64, offset: Int64, phase: Int64)
        /// Calendar months: `months` per bucket (1 or 3), alignment offset in ms.
        case months(Int64, offset: Int64)
    }

    public let name: String
    public let kind: Kind

    static let minute: Int64 = 60_000
    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000
    static let hk: Int64 = 8 * 3_600_000

    public static let all: [Bar] = {
        var bars: [Bar] = []
        func fixed(_ n: String, _ size: Int64, _ off: Int64, _ phase: Int64 = 0) {
            bars.append(Bar(name: n, kind: .fixed(size: size, offset: off, phase: phase)))
        }
        for (n, m) in [("1m", 1), ("3m", 3), ("5m", 5), ("15m", 15), ("30m", 30)] as [(String, Int64)] {
            fixed(n, m * minute, 0)
        }
        for (n, h) in [("1H", 1), ("2H", 2), ("4H", 4)] as [(String, Int64)] { fixed(n, h * hour, 0) }
        for (suffix, off) in [("", hk), ("utc", Int64(0))] {
            fixed("6H" + suffix, 6 * hour, off)
            fixed("12H" + suffix, 12 * hour, off)
            fixed("1D" + suffix, day, off)
            fixed("2D" + suffix, 2 * day, off)
            fixed("3D" + suffix, 3 * day, off)
            fixed("1W" + suffix, 7 * day, off, 4 * day)
            bars.append(Bar(name: "1M" + suffix, kind: .months(1, offset: off)))
            bars.append(Bar(name: "3M" + suffix, kind: .months(3, offset: off)))
        }
        return bars
    }()

    static let byName: [String: Bar] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The bar named `name` (OKX spelling, case-sensitive), or nil.
    public static func named(_ name: String) -> Bar? { byName[name] }

    /// Index of the bucket that holds instant `t` (Unix ms). Consecutive buckets have consecutive indexes.
    public func index(of t: Int64) -> Int64 {
        switch kind {
        case let .fixed(size, off, phase):
            return floorDiv(t + off - phase, size)
        case let .months(k, off):
            let (y, m, _) = civil(fromDays: floorDiv(t + off, Bar.day))
            return floorDiv(y * 12 + (m - 1), k)
        }
    }

    /// Start (Unix ms) of the bucket with index `i`.
    public func start(ofIndex i: Int64) -> Int64 {
        switch kind {
        case let .fixed(size, off, phase):
            return i * size - off + phase
        case let .months(k, off):
            let mm = i * k
            let y = floorDiv(mm, 12)
            let m = mm - y * 12 + 1
            return days(fromCivil: y, m, 1) * Bar.day - off
        }
    }

    /// Start of the bucket holding `t`.
    public func start(of t: Int64) -> Int64 { start(ofIndex: index(of: t)) }
}

@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
    let y = m <= 2 ? y0 - 1 : y0
    let era = floorDiv(y, 400)
    let yoe = y - era * 400
    let mp = (m + 9) % 12
    let doy = (153 * mp + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}

/// (year, month 1...12, day 1...31) of a day count since 1970-01-01.
func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
    let z = z0 + 719_468
    let era = floorDiv(z, 146_097)
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
}

// The synthetic market itself: determinism, exact aggregation, OKX bar alignment, paging.
import Foundation
import OKX
import Testing
@testable import OKXSim

/// 2025-03-15T10:37:20Z, frozen.
let testNow: Int64 = 1_742_035_040_000
/// 2024-12-01T00:00:00Z.
let testFrom: Int64 = 1_733_011_200_000

func makeMarket(seed: UInt64 = 7) -> Market {
    Market(seed: seed, fromMs: testFrom, clock: { testNow })
}

/// Bucket start by an independent implementation (Foundation's Calendar), for checking Bar.
func calendarStart(_ t: Int64, _ component: Calendar.Component, hk: Bool) -> Int64 {
    var cal = Calendar(identifier: .gregorian)
    cal.timeZone = TimeZone(secondsFromGMT: hk ? 8 * 3600 : 0)!
    cal.firstWeekday = 2 // Monday
    let date = Date(timeIntervalSince1970: Double(t) / 1000)
    let interval = cal.dateInterval(of: component, for: date)!
    return Int64((interval.start.timeIntervalSince1970 * 1000).rounded())
}

func expectedStart(_ bar: String, _ t: Int64) -> Int64 {
    let hour: Int64 = 3_600_000, day: Int64 = 86_400_000
    func fixed(_ size: Int64, _ off: Int64) -> Int64 { ((t + off) / size) * size - off }
    switch bar {
    case "1m": return fixed(60_000, 0)
    case "15m": return fixed(15 * 60_000, 0)
    case "1H": return fixed(hour, 0)
    case "4H": return fixed(4 * hour, 0)
    case "6H": return fixed(6 * hour, 8 * hour)
    case "6Hutc": return fixed(6 * hour, 0)
    case "12H": return fixed(12 * hour, 8 * hour)
    case "1D": return calendarStart(t, .day, hk: true)
    case "1Dutc": return calendarStart(t, .day, hk: false)
    case "2D": return fixed(2 * day, 8 * hour)
    case "3Dutc": return fixed(3 * day, 0)
    case "1W": return calendarStart(t, .weekOfYear, hk: true)
    case "1Wutc": return calendarStart(t, .weekOfYear, hk: false)
    case "1M": return calendarStart(t, .month, hk: true)
    case "1Mutc": return calendarStart(t, .month, hk: false)
    case "3M":
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        let d = cal.dateComponents([.year, .month], from: Date(timeIntervalSince1970: Double(t) / 1000))
        let q = DateComponents(year: d.year!, month: (d.month! - 1) / 3 * 3 + 1, day: 1)
        return Int64(cal.date(from: q)!.timeIntervalSince1970 * 1000)
    default: fatalError(bar)
    }
}

@Suite struct MarketTests {
    @Test func sameSeedSameCandlesDifferentSeedDifferent() {
        let a = makeMarket(seed: 7), b = makeMarket(seed: 7), c = makeMarket(seed: 8)
        for id in ["BTC-USDT", "XRP-USDT", "ETH-USDT-SWAP"] {
            let pa = a.page(id, Bar.named("1m")!, after: testNow - 5 * 86_400_000, before: nil, limit: 300, recentOnly: false)
            let pb = b.page(id, Bar.named("1m")!, after: testNow - 5 * 86_400_000, before: nil, limit: 300, recentOnly: false)
            let pc = c.page(id, Bar.named("1m")!, after: testNow - 5 * 86_400_000, before: nil, limit: 300, recentOnly: false)
            #expect(pa.count == 300)
            #expect(pa == pb)
            #expect(pa != pc)
        }
    }

    @Test func everyMinuteIsAValidCandle() {
        let m = makeMarket()
        for spec in m.instruments {
            let rows = m.range(spec.instId, Bar.named("1m")!, fromMs: testNow / 60_000 * 60_000 - 3 * 86_400_000, toMs: testNow + 60_000)
            #expect(rows.count == 3 * 1440 + 1)
            for r in rows {
                #expect(r.agg.l > 0)
                #expect(r.agg.h >= max(r.agg.o, r.agg.c))
                #expect(r.agg.l <= min(r.agg.o, r.agg.c))
                #expect(r.agg.vol >= 0 && r.agg.volCcy >= 0 && r.agg.quote >= 0)
            }
            #expect(rows.last!.confirmed == false)
            #expect(rows.dropLast().allSatisfy { $0.confirmed })
        }
    }

    /// Each bar equals the aggregate of the 1m series grouped by OKX's alignment, where the
    /// alignment is computed independently (Foundation Calendar in HK or UTC time).
    @Test(arguments: ["15m", "1H", "4H", "6H", "6Hutc", "12H", "1D", "1Dutc", "2D", "3Dutc", "1W", "1Wutc", "1M", "1Mutc", "3M"])
    func barIsTheAggregateOfMinutes(bar name: String) throws {
        let m = makeMarket()
        let bar = try #require(Bar.named(name))
        let minutes = m.range("SOL-USDT", Bar.named("1m")!, fromMs: testFrom, toMs: testNow + 60_000)
        var expected: [(Int64, Agg)] = []
        for row in minutes {
            let start = expectedStart(name, row.ts)
            if let last = expected.last, last.0 == start {
                expected[expected.count - 1].1.add(row.agg)
            } else {
                expected.append((start, row.agg))
            }
        }
        let bars = m.range("SOL-USDT", bar, fromMs: 0, toMs: testNow + 1)
        #expect(bars.count == expected.count)
        for (got, want) in zip(bars, expected) {
            #expect(got.ts == want.0)
            #expect(got.agg == want.1)
        }
        #expect(bars.last?.confirmed == false)
        #expect(bars.dropLast().allSatisfy { $0.confirmed })
    }

    @Test func alignmentRules() throws {
        let day: Int64 = 86_400_000, hour: Int64 = 3_600_000
        let m = makeMarket()
        func starts(_ b: String) -> [Int64] { m.range("BTC-USDT", Bar.named(b)!, fromMs: 0, toMs: testNow + 1).map(\.ts) }
        // 1D opens at 16:00 UTC, 1Dutc at 00:00 UTC.
        #expect(starts("1D").dropFirst().allSatisfy { $0 % day == 16 * hour })
        #expect(starts("1Dutc").allSatisfy { $0 % day == 0 })
        // 1W opens on Sunday 16:00 UTC (Monday 00:00 HK); 1Wutc on Monday 00:00 UTC.
        // 1970-01-04 was a Sunday: day number % 7 == 3.
        #expect(starts("1W").allSatisfy { ($0 / day) % 7 == 3 && $0 % day == 16 * hour })
        #expect(starts("1Wutc").allSatisfy { ($0 / day) % 7 == 4 && $0 % day == 0 })
        // 1M opens at 00:00 HK on the 1st: 2024-11-30T16:00Z, 2024-12-31T16:00Z, ...
        #expect(starts("1M") == [1_732_982_400_000, 1_735_660_800_000, 1_738_339_200_000, 1_740_758_400_000])
        #expect(starts("1Mutc") == [1_733_011_200_000, 1_735_689_600_000, 1_738_368_000_000, 1_740_787_200_000])
        // 3M: calendar quarters in HK time (Oct 1 and Jan 1).
        #expect(starts("3M") == [1_727_712_000_000, 1_735_660_800_000])
        // 2D: HK day number (days since 1970-01-01 HK) even.
        #expect(starts("2D").dropFirst().allSatisfy { (($0 + 8 * hour) / day) % 2 == 0 && ($0 + 8 * hour) % day == 0 })
        #expect(Bar.simulated(named: "2Hutc") == nil)
        #expect(Bar.simulated(named: "1s") == nil)
    }

    @Test func pagingWalksBackWithoutOverlapOrGap() {
        let m = makeMarket()
        let bar = Bar.named("1H")!
        var all: [Int64] = []
        var after: Int64? = nil
        while true {
            let page = m.page("ETH-USDT", bar, after: after, before: nil, limit: 300, recentOnly: false)
            if page.isEmpty { break }
            all += page.map(\.ts)
            after = page.last!.ts
        }
        #expect(all.first == 1_742_032_800_000) // 10:00 UTC, the forming hour
        #expect(all.last == testFrom)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0 - $1 == 3_600_000 })
        // before: rows newer than the cursor (exclusive), newest page first.
        let newer = m.page("ETH-USDT", bar, after: nil, before: all[5], limit: 100, recentOnly: false)
        #expect(newer.map(\.ts) == Array(all.prefix(5)))
        let between = m.page("ETH-USDT", bar, after: all[2], before: all[6], limit: 100, recentOnly: false)
        #expect(between.map(\.ts) == [all[3], all[4], all[5]])
    }

    @Test func recentEndpointReaches1440Bars() {
        let m = makeMarket()
        for name in ["1m", "1H"] {
            let bar = Bar.named(name)!
            var count = 0
            var after: Int64? = nil
            while true {
                let page = m.page("BTC-USDT", bar, after: after, before: nil, limit: 300, recentOnly: true)
                if page.isEmpty { break }
                count += page.count
                after = page.last!.ts
            }
            #expect(count == 1440)
        }
        // history reaches the whole history: from 2024-12-01 to now at 1m.
        let older = m.page("BTC-USDT", Bar.named("1m")!, after: testFrom + 60_000, before: nil, limit: 300, recentOnly: false)
        #expect(older.map(\.ts) == [testFrom])
        #expect(m.page("BTC-USDT", Bar.named("1m")!, after: testFrom, before: nil, limit: 300, recentOnly: false).isEmpty)
    }

    @Test func decimalsAreExact() {
        #expect(formatDecimal(433986, scale: 1) == "43398.6")
        #expect(formatDecimal(433000, scale: 1) == "43300")
        #expect(formatDecimal(507079611732, scale: 8) == "5070.79611732")
        #expect(formatDecimal(5, scale: 4) == "0.0005")
        #expect(formatDecimal(0, scale: 6) == "0")
        #expect(formatDecimal(-15, scale: 1) == "-1.5")
    }

    @Test func faultSpecParses() throws {
        let c = try FaultConfig.parse("rate_limit=0.1,slow=0.05,slow_ms=500")
        #expect(c.rates[.rateLimit] == 0.1 && c.rates[.slow] == 0.05 && c.slowMs == 500)
        #expect(throws: (any Error).self) { try FaultConfig.parse("nope=0.1") }
        #expect(throws: (any Error).self) { try FaultConfig.parse("busy=2") }
        #expect(try FaultConfig.parse("") == FaultConfig())
    }
}

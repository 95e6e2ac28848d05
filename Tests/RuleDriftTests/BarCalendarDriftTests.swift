// Rules that SQL and Swift must both know, compared so they can never drift apart. SQL is the truth.
//
// The bar calendar: OKX.Bar (client, workers, okx-sim) against market.bar_start / market.bar_next
// (migrations/0003_market.sql), over every bar and a sweep of instants around the places where a
// calendar goes wrong: month and quarter ends, Monday week starts, Hong Kong midnight (16:00 UTC),
// leap days (2000 and 2024 are leap years, 1900 and 2100 are not), and the epoch.

import CivilTime
import OKX
import Postgres
import TestSupport
import Testing

@Suite("drift: the bar calendar in Swift and in SQL")
struct BarCalendarDriftTests {
    /// Instants (Unix ms) where bars start or nearly start, and some anywhere.
    static func sweep() -> [Int64] {
        let day: Int64 = 86_400_000, hk: Int64 = 8 * 3_600_000
        var instants: Set<Int64> = []
        func around(_ t: Int64) {
            for d: Int64 in [-60_000, -1_000, -1, 0, 1, 1_000, 60_000] { instants.insert(t + d) }
        }
        // Every month start in UTC and in Hong Kong from 1899 to 2101 (quarters are among them).
        for year: Int64 in [1899, 1900, 1901, 1969, 1970, 1999, 2000, 2001, 2023, 2024, 2025, 2099, 2100, 2101] {
            for month: Int64 in 1...12 {
                let first = CivilDate(year: year, month: month, day: 1).daysSinceEpoch * day
                around(first)
                around(first - hk)
            }
            // Leap days and the days around them.
            for (m, d): (Int64, Int64) in [(2, 28), (3, 1)] {
                let t = CivilDate(year: year, month: m, day: d).daysSinceEpoch * day
                around(t); around(t - hk); around(t + day / 2)
            }
            if CivilDate.isLeap(year) { around(CivilDate(year: year, month: 2, day: 29).daysSinceEpoch * day) }
        }
        // Mondays (UTC and HK) and the Sundays before them, through a year.
        var monday = CivilDate(year: 2024, month: 1, day: 1).daysSinceEpoch * day   // a Monday
        for _ in 0..<53 {
            around(monday); around(monday - hk); around(monday - day)
            monday += 7 * day
        }
        // Hong Kong midnight and the 2D/3D grid, day by day through two months.
        let start = CivilDate(year: 2024, month: 2, day: 20).daysSinceEpoch * day
        for k: Int64 in 0..<60 { around(start + k * day - hk) }
        // Anywhere: a deterministic scatter from 1990 to 2040.
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<1_500 {
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            instants.insert(631_152_000_000 + Int64(x >> 24) % 1_577_836_800_000)
        }
        return instants.sorted()
    }

    @Test("bar_start and bar_next agree with Bar.start and Bar.next for every bar at every instant of the sweep")
    func calendarsAgree() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let db = try Connection(conninfo)
        defer { db.close() }
        let instants = Self.sweep()
        let bars = Bar.allCases
        let rows = try db.query("""
            select b.bar, t.ms,
                   (extract(epoch from market.bar_start(b.bar, t.ts)) * 1000)::int8 as sql_start,
                   (extract(epoch from market.bar_next(b.bar, t.ts)) * 1000)::int8 as sql_next
              from unnest($1::text[]) as b(bar)
             cross join unnest($2::int8[], $3::timestamptz[]) as t(ms, ts)
            """, [bars.map(\.rawValue), instants, instants.map { UTCTime.sqlText(ms: $0) }])
        var compared = 0
        var wrong: [String] = []
        for row in rows.rows() {
            let bar = try #require(Bar(rawValue: try row.required("bar", row.string)))
            let t = try row.required("ms", row.int64)
            let sqlStart = try row.required("sql_start", row.int64)
            let sqlNext = try row.required("sql_next", row.int64)
            compared += 1
            if bar.start(of: t) != sqlStart || bar.next(after: t) != sqlNext {
                wrong.append("\(bar.rawValue) at \(UTCTime.sqlText(ms: t)): Swift start \(UTCTime.sqlText(ms: bar.start(of: t))) "
                             + "next \(UTCTime.sqlText(ms: bar.next(after: t))), SQL start \(UTCTime.sqlText(ms: sqlStart)) "
                             + "next \(UTCTime.sqlText(ms: sqlNext))")
            }
        }
        print("drift: bar calendar, \(bars.count) bars x \(instants.count) instants = \(compared) pairs compared, \(wrong.count) differ")
        #expect(compared == bars.count * instants.count)
        #expect(compared >= 10_000)
        #expect(wrong.count == 0, "\(wrong.prefix(10).joined(separator: "\n"))")
    }

    @Test("Swift knows exactly the bars market.bars() lists, in the same order")
    func sameBars() throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let db = try Connection(conninfo)
        defer { db.close() }
        let sql = try db.query("select bar from market.bars() order by ordinal").rows().map { try $0.required("bar", $0.string) }
        #expect(sql == Bar.allCases.map(\.rawValue))
    }

    @Test("CivilDate and PostgreSQL's date arithmetic name the same day, 1800 to 2200")
    func civilDatesAgree() throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let db = try Connection(conninfo)
        defer { db.close() }
        let days = Array(stride(from: Int64(-62_091), through: Int64(84_006), by: 13))
        let rows = try db.query("""
            select d.n, to_char(date '1970-01-01' + d.n::int, 'YYYY-MM-DD') as day
              from unnest($1::int8[]) as d(n)
            """, [days])
        var wrong: [String] = []
        for row in rows.rows() {
            let n = try row.required("n", row.int64)
            let text = try row.required("day", row.string)
            if CivilDate(daysSinceEpoch: n).description != text { wrong.append("\(n): \(CivilDate(daysSinceEpoch: n)) vs \(text)") }
        }
        #expect(rows.count == days.count)
        #expect(wrong.count == 0, "\(wrong.prefix(5))")
    }
}

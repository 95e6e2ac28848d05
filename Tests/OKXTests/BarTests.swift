// Alignment of every OKX bar: a table of known answers plus invariants over many instants.

import CivilTime
import Testing
@testable import OKX

@Suite struct BarTests {
    /// 2024-05-15T13:47:23.456Z, a Wednesday; in Hong Kong it is 21:47 the same day.
    static let t = ms("2024-05-15T13:47:23Z", plus: 456)

    static let expected: [(Bar, String)] = [
        (.s1, "2024-05-15T13:47:23Z"),
        (.m1, "2024-05-15T13:47:00Z"),
        (.m3, "2024-05-15T13:45:00Z"),
        (.m5, "2024-05-15T13:45:00Z"),
        (.m15, "2024-05-15T13:45:00Z"),
        (.m30, "2024-05-15T13:30:00Z"),
        (.h1, "2024-05-15T13:00:00Z"),
        (.h2, "2024-05-15T12:00:00Z"),
        (.h4, "2024-05-15T12:00:00Z"),
        (.h6, "2024-05-15T10:00:00Z"),   // 18:00 HK
        (.h12, "2024-05-15T04:00:00Z"),  // 12:00 HK
        (.d1, "2024-05-14T16:00:00Z"),   // 2024-05-15 00:00 HK
        (.d2, "2024-05-14T16:00:00Z"),   // day 19858 is even
        (.d3, "2024-05-13T16:00:00Z"),   // 19858 = 3*6619 + 1 -> day 19857 (May 14 HK)
        (.w1, "2024-05-12T16:00:00Z"),   // Monday 2024-05-13 00:00 HK
        (.mo1, "2024-04-30T16:00:00Z"),  // 2024-05-01 00:00 HK
        (.mo3, "2024-03-31T16:00:00Z"),  // 2024-04-01 00:00 HK
        (.h6utc, "2024-05-15T12:00:00Z"),
        (.h12utc, "2024-05-15T12:00:00Z"),
        (.d1utc, "2024-05-15T00:00:00Z"),
        (.d2utc, "2024-05-15T00:00:00Z"),
        (.d3utc, "2024-05-14T00:00:00Z"),
        (.w1utc, "2024-05-13T00:00:00Z"),
        (.mo1utc, "2024-05-01T00:00:00Z"),
        (.mo3utc, "2024-04-01T00:00:00Z"),
    ]

    static let expectedNext: [Bar: String] = [
        .s1: "2024-05-15T13:47:24Z", .m1: "2024-05-15T13:48:00Z", .m3: "2024-05-15T13:48:00Z",
        .m5: "2024-05-15T13:50:00Z", .m15: "2024-05-15T14:00:00Z", .m30: "2024-05-15T14:00:00Z",
        .h1: "2024-05-15T14:00:00Z", .h2: "2024-05-15T14:00:00Z", .h4: "2024-05-15T16:00:00Z",
        .h6: "2024-05-15T16:00:00Z", .h12: "2024-05-15T16:00:00Z", .d1: "2024-05-15T16:00:00Z",
        .d2: "2024-05-16T16:00:00Z", .d3: "2024-05-16T16:00:00Z", .w1: "2024-05-19T16:00:00Z",
        .mo1: "2024-05-31T16:00:00Z", .mo3: "2024-06-30T16:00:00Z",
        .h6utc: "2024-05-15T18:00:00Z", .h12utc: "2024-05-16T00:00:00Z", .d1utc: "2024-05-16T00:00:00Z",
        .d2utc: "2024-05-17T00:00:00Z", .d3utc: "2024-05-17T00:00:00Z", .w1utc: "2024-05-20T00:00:00Z",
        .mo1utc: "2024-06-01T00:00:00Z", .mo3utc: "2024-07-01T00:00:00Z",
    ]

    @Test func tableCoversEveryBarAndNoOther() {
        #expect(Set(Self.expected.map(\.0)) == Set(Bar.allCases))
        #expect(Bar.allCases.count == 25)
        #expect(Set(Self.expectedNext.keys) == Set(Bar.allCases))
    }

    @Test(arguments: Bar.allCases)
    func startAndNextOfAKnownInstant(bar: Bar) throws {
        let want = try #require(Self.expected.first { $0.0 == bar }?.1)
        let start = bar.start(of: Self.t)
        #expect(start == ms(want), "\(bar.rawValue) start")
        #expect(bar.isAligned(start))
        #expect(!bar.isAligned(Self.t))
        #expect(bar.next(after: start) == ms(try #require(Self.expectedNext[bar])), "\(bar.rawValue) next")
    }

    @Test(arguments: Bar.allCases)
    func invariantsOverManyInstants(bar: Bar) {
        // Instants from 1970 to ~2100, spread pseudo-randomly, plus day and month edges.
        var instants: [Int64] = [0, 1, ms("2024-02-29T15:59:59Z", plus: 999), ms("2024-02-29T16:00:00Z"),
                                 ms("2024-12-31T16:00:00Z"), ms("2024-12-31T15:59:59Z", plus: 999),
                                 ms("2000-01-01T00:00:00Z"), ms("2099-12-31T23:59:59Z", plus: 999)]
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<400 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            instants.append(Int64(x >> 23) % 4_102_444_800_000)
        }
        for t in instants {
            let s = bar.start(of: t)
            let n = bar.next(after: s)
            #expect(s <= t && t < n, "\(bar.rawValue) at \(t)")
            #expect(bar.isAligned(s) && bar.isAligned(n))
            #expect(bar.start(of: n - 1) == s)
            #expect(bar.previous(before: s) < s && bar.next(after: bar.previous(before: s)) == s)
            if let d = bar.fixedDurationMs { #expect(n - s == d) }
            // The open time, seen in the bar's zone, is at the zone's grid.
            let local = s + bar.zoneOffsetMs
            let day: Int64 = 86_400_000
            switch bar {
            case .h6, .h6utc: #expect(local % (6 * 3_600_000) == 0)
            case .h12, .h12utc: #expect(local % (12 * 3_600_000) == 0)
            case .d1, .d1utc: #expect(local % day == 0)
            case .d2, .d2utc: #expect(local % day == 0 && (local / day) % 2 == 0)
            case .d3, .d3utc: #expect(local % day == 0 && (local / day) % 3 == 0)
            case .w1, .w1utc: #expect(local % day == 0 && ((local / day) + 3) % 7 == 0) // Monday
            case .mo1, .mo1utc, .mo3, .mo3utc:
                #expect(local % day == 0)
                let date = CivilDate(daysSinceEpoch: local / day)
                #expect(date.day == 1)
                if bar.calendarMonths == 3 { #expect([1, 4, 7, 10].contains(date.month)) }
            default: #expect(s % bar.fixedDurationMs! == 0)
            }
        }
    }

    @Test func hongKongDayBoundaries() {
        #expect(Bar.d1.start(of: ms("2024-05-14T15:59:59Z", plus: 999)) == ms("2024-05-13T16:00:00Z"))
        #expect(Bar.d1.start(of: ms("2024-05-14T16:00:00Z")) == ms("2024-05-14T16:00:00Z"))
        #expect(Bar.d1.isAligned(ms("2024-05-14T16:00:00Z")))
        #expect(!Bar.d1.isAligned(ms("2024-05-14T00:00:00Z")))
        #expect(Bar.d1utc.isAligned(ms("2024-05-14T00:00:00Z")))
        // Sunday 23:59 UTC is already Monday in Hong Kong.
        #expect(Bar.w1.start(of: ms("2024-05-19T23:59:00Z")) == ms("2024-05-19T16:00:00Z"))
        #expect(Bar.w1utc.start(of: ms("2024-05-19T23:59:00Z")) == ms("2024-05-13T00:00:00Z"))
        // New Year in Hong Kong starts a quarter at 16:00 UTC on 31 December.
        #expect(Bar.mo3.start(of: ms("2024-12-31T16:00:00Z")) == ms("2024-12-31T16:00:00Z"))
        #expect(Bar.mo3utc.start(of: ms("2024-12-31T16:00:00Z")) == ms("2024-10-01T00:00:00Z"))
        #expect(Bar.mo3utc.next(after: ms("2024-10-01T00:00:00Z")) == ms("2025-01-01T00:00:00Z"))
        // Leap February.
        #expect(Bar.mo1utc.next(after: ms("2024-02-01T00:00:00Z")) == ms("2024-03-01T00:00:00Z"))
        #expect(Bar.mo1.next(after: ms("2024-01-31T16:00:00Z")) == ms("2024-02-29T16:00:00Z"))
        // 2D/3D: whole days since 1970-01-01 in the bar's zone.
        #expect(Bar.d2utc.start(of: ms("1970-01-02T12:00:00Z")) == 0)
        #expect(Bar.d3utc.start(of: ms("1970-01-04T00:00:00Z")) == ms("1970-01-04T00:00:00Z"))
        #expect(Bar.d2.start(of: ms("1970-01-01T20:00:00Z")) == ms("1969-12-31T16:00:00Z"))
    }

    @Test func rawValuesAndDurations() {
        #expect(Bar(rawValue: "1H") == .h1)
        #expect(Bar(rawValue: "1h") == nil)
        #expect(Bar(rawValue: "2Hutc") == nil)
        #expect(Bar(rawValue: "1Dutc") == .d1utc)
        #expect(Bar.allCases.map(\.rawValue) == ["1s", "1m", "3m", "5m", "15m", "30m", "1H", "2H", "4H",
                                                  "6H", "12H", "1D", "2D", "3D", "1W", "1M", "3M",
                                                  "6Hutc", "12Hutc", "1Dutc", "2Dutc", "3Dutc", "1Wutc", "1Mutc", "3Mutc"])
        #expect(Bar.m1.fixedDurationMs == 60_000 && Bar.w1.fixedDurationMs == 604_800_000)
        #expect(Bar.mo1.fixedDurationMs == nil && Bar.mo3utc.fixedDurationMs == nil)
        #expect(Bar.h6.isHongKongAligned && !Bar.h6utc.isHongKongAligned && !Bar.h4.isHongKongAligned)
    }
}

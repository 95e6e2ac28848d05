// UTCTime: the text the database and payloads use, written and read without Foundation.

import CivilTime
import Foundation
import Testing

@Suite("UTC timestamp text")
struct UTCTimeTests {
    @Test("Unix ms become PostgreSQL UTC text and ISO 8601, including before 1970 and leap days")
    func format() {
        #expect(UTCTime.sqlText(ms: 0) == "1970-01-01 00:00:00.000+00")
        #expect(UTCTime.sqlText(ms: 1_709_251_200_000) == "2024-03-01 00:00:00.000+00")
        #expect(UTCTime.sqlText(ms: 1_709_164_800_123) == "2024-02-29 00:00:00.123+00")
        #expect(UTCTime.sqlText(ms: -1) == "1969-12-31 23:59:59.999+00")
        #expect(UTCTime.iso(ms: 1_710_074_096_000) == "2024-03-10T12:34:56Z")
        #expect(UTCTime.iso(ms: -1) == "1969-12-31T23:59:59Z")
        #expect(UTCTime.sqlText(micros: 1_709_164_800_123_456) == "2024-02-29 00:00:00.123456+00")
        #expect(UTCTime.sqlText(micros: -1) == "1969-12-31 23:59:59.999999+00")
    }

    @Test("what the validators write, dates, and PostgreSQL's own output")
    func parse() {
        #expect(UTCTime.parseMs("2024-03-10T12:34:56Z") == 1_710_074_096_000)
        #expect(UTCTime.parseMs("2024-03-01") == 1_709_251_200_000)
        #expect(UTCTime.parseMs("2024-01-01T00:00Z") == 1_704_067_200_000)
        #expect(UTCTime.parseMs("2024-01-01T00:00") == 1_704_067_200_000)
        #expect(UTCTime.parseMs("2024-01-01 08:00+08") == 1_704_067_200_000)
        #expect(UTCTime.parseMs("2024-01-01T08:00:00+0800") == 1_704_067_200_000)
        #expect(UTCTime.parseMs("2023-12-31T19:00:00-05:00") == 1_704_067_200_000)
        #expect(UTCTime.parseMicros("2024-02-29 00:00:00.123456+00") == 1_709_164_800_123_456)
        #expect(UTCTime.parseMicros("2024-02-29 00:00:00.5+00") == 1_709_164_800_500_000)
        #expect(UTCTime.parseMicros("2024-02-29T00:00:00.123456789Z") == 1_709_164_800_123_456)
        #expect(UTCTime.parseMicros("1969-12-31 23:59:59.999999+00") == -1)
        #expect(UTCTime.parseMicros("2024-01-01 05:30:15+05:30:15") == 1_704_067_200_000_000)
        for bad in ["yesterday", "", "2024-02-30", "2023-02-29", "2024-13-01", "2024-01-01T24:00", "2024-01-01T12:60",
                    "2024-01-01T12:00:60", "2024-1-1", "2024-01-01T", "2024-01-01T12", "2024-01-01T12:00Zx",
                    "2024-01-01T12:00+8", "2024-01-01T12:00:00.", "2024-01-01T12:00:00.1234567890Z", "1709251200000"] {
            #expect(UTCTime.parseMicros(bad) == nil, "\(bad)")
        }
    }

    @Test("writing and reading back are inverse over a sweep of instants")
    func roundTrip() {
        var t: Int64 = -2_208_988_800_000_000   // 1900-01-01
        let step: Int64 = 7_777_777_777_777     // ~90 days and a few hours, with microseconds
        while t < 4_102_444_800_000_000 {        // 2100-01-01
            #expect(UTCTime.parseMicros(UTCTime.sqlText(micros: t)) == t)
            let ms = floorDiv(t, 1000)
            #expect(UTCTime.parseMs(UTCTime.sqlText(ms: ms)) == ms)
            #expect(UTCTime.parseMs(UTCTime.iso(ms: ms)) == floorDiv(ms, 1000) * 1000)
            t += step
        }
    }

    @Test("the clock reads the same instant as Foundation's")
    func now() {
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let now = UTCTime.nowMs()
        let after = Int64(Date().timeIntervalSince1970 * 1000) + 1
        #expect(before <= now && now <= after)
    }
}

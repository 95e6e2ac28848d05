// CivilDate: the one calendar algorithm, checked against Foundation's Gregorian calendar (an
// independent implementation) and against the rules of leap years.

import CivilTime
import Foundation
import Testing

@Suite("civil dates")
struct CivilDateTests {
    @Test("days and dates round-trip for every day from 1000 BCE-ish to 4000 CE")
    func roundTrip() {
        var previous = CivilDate(daysSinceEpoch: -1_100_001)
        var wrong: [Int64] = []
        for days in Int64(-1_100_000)...Int64(750_000) {
            let date = CivilDate(daysSinceEpoch: days)
            if !date.isValid || date.daysSinceEpoch != days || !(previous < date) { wrong.append(days) }
            previous = date
        }
        #expect(wrong.count == 0, "first days that do not round-trip: \(wrong.prefix(5))")
    }

    @Test("dates agree with Foundation's Gregorian calendar in UTC over 400 years")
    func matchesFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        var mismatches: [String] = []
        // Every 7th day from 1800 to 2200 (Foundation's calendar is Julian before 1582).
        for days in stride(from: Int64(-62_000), to: Int64(84_000), by: 7) {
            let date = CivilDate(daysSinceEpoch: days)
            let c = calendar.dateComponents([.year, .month, .day, .weekday],
                                            from: Date(timeIntervalSince1970: Double(days) * 86_400))
            // Foundation: 1 = Sunday ... 7 = Saturday; CivilDate: 0 = Monday ... 6 = Sunday.
            if Int64(c.year!) != date.year || Int64(c.month!) != date.month || Int64(c.day!) != date.day
                || Int64((c.weekday! + 5) % 7) != date.weekday {
                mismatches.append("day \(days): \(date) weekday \(date.weekday) vs \(c)")
            }
        }
        #expect(mismatches.count == 0, "\(mismatches.prefix(5))")
    }

    @Test("leap years and impossible dates")
    func validity() {
        #expect(CivilDate(year: 2024, month: 2, day: 29).isValid)
        #expect(CivilDate(year: 2000, month: 2, day: 29).isValid)
        #expect(!CivilDate(year: 1900, month: 2, day: 29).isValid)
        #expect(!CivilDate(year: 2023, month: 2, day: 29).isValid)
        #expect(!CivilDate(year: 2024, month: 4, day: 31).isValid)
        #expect(!CivilDate(year: 2024, month: 13, day: 1).isValid)
        #expect(!CivilDate(year: 2024, month: 0, day: 1).isValid)
        #expect(CivilDate(year: 1970, month: 1, day: 1).daysSinceEpoch == 0)
        #expect(CivilDate(year: 1969, month: 12, day: 31).daysSinceEpoch == -1)
        #expect(CivilDate(year: 2024, month: 3, day: 1).daysSinceEpoch == 19_783)
        #expect(CivilDate(year: 2024, month: 1, day: 31).addingMonths(1) == CivilDate(year: 2024, month: 2, day: 29))
        #expect(CivilDate(year: 2024, month: 11, day: 15).addingMonths(3) == CivilDate(year: 2025, month: 2, day: 15))
        #expect(CivilDate(year: 2024, month: 1, day: 15).addingMonths(-13) == CivilDate(year: 2022, month: 12, day: 15))
        #expect(CivilDate(year: 1970, month: 1, day: 5).weekday == 0)   // a Monday
        #expect(CivilDate(year: 987, month: 6, day: 5).description == "0987-06-05")
    }

    @Test("floor division rounds towards negative infinity")
    func floorDivision() {
        #expect(floorDiv(7, 2) == 3 && floorDiv(-7, 2) == -4 && floorDiv(-8, 2) == -4 && floorDiv(7, -2) == -4)
        #expect(floorMod(-1, 7) == 6 && floorMod(13, 7) == 6 && floorMod(-14, 7) == 0)
    }
}

// IngestTime: the UTC text written into COPY and parameters, and payload times read back.

import Testing
@testable import Worker

@Suite("ingest time")
struct IngestTimeTests {
    @Test("Unix ms become PostgreSQL UTC text and ISO 8601, including before 1970 and leap days")
    func format() {
        #expect(IngestTime.sqlText(0) == "1970-01-01 00:00:00.000+00")
        #expect(IngestTime.sqlText(1_709_251_200_000) == "2024-03-01 00:00:00.000+00")
        #expect(IngestTime.sqlText(1_709_164_800_123) == "2024-02-29 00:00:00.123+00")
        #expect(IngestTime.sqlText(-1) == "1969-12-31 23:59:59.999+00")
        #expect(IngestTime.iso(1_710_074_096_000) == "2024-03-10T12:34:56Z")
    }

    @Test("payload times: what the validators write, dates and Unix ms")
    func parse() {
        #expect(IngestTime.parse("2024-03-10T12:34:56Z") == 1_710_074_096_000)
        #expect(IngestTime.parse("2024-03-01") == 1_709_251_200_000)
        #expect(IngestTime.parse("1709251200000") == 1_709_251_200_000)
        #expect(IngestTime.parse("yesterday") == nil)
    }
}

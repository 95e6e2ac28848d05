// The binary COPY reader (Sources/Postgres/Connection+BinaryCopy.swift) against the server's own
// conversions: every numeric decodes to the Double that numeric::float8 gives, timestamps to
// Unix ms, NULLs and NaN are refused naming the column, and a malformed message is an error.

import Foundation
import Postgres
import Testing
import TestSupport

@Suite("binary COPY out")
struct BinaryCopyTests {
    @Test func numericsDecodeToTheServersFloat8() throws {
        let connection = try Connection(TestCluster.shared.createMigratedDatabase())
        defer { connection.close() }
        // Prices and volumes of every shape: tiny, huge, many digits, negative, zero, the extremes
        // of the fast path and beyond it (more than 15 significant digits, exponents past 10000^5).
        try connection.query("""
            create temp table nums as
            select n, v from (values (1, 0::numeric), (2, 1), (3, -1), (4, 0.00000001), (5, 123456789.123456789),
                                     (6, 1e-30), (7, 1e30), (8, 99999999999999999999.9999), (9, -0.5),
                                     (10, 42000.1), (11, 3.141592653589793238462643383279), (12, 1e-20),
                                     (13, 1e20), (14, 12345678901234567890123456789)) as t(n, v)
            union all
            select 100 + i, round((random() * 10 ^ (i % 12 - 4))::numeric, i % 9) from generate_series(1, 5000) as i
            """)
        var fromCopy: [Int64: Double] = [:]
        try connection.query("begin")
        let tuples = try connection.copyOutBinary("copy (select n::int8, v from nums) to stdout (format binary)", fieldCount: 2) { t in
            let n = try t.int64()
            fromCopy[n] = try t.numeric("v")
        }
        try connection.query("commit")
        var wrong: [String] = []
        for row in try connection.query("select n::int8 as n, v::float8 as f from nums").rows() {
            let n = try row.int64("n")!
            let f = try row.double("f")!
            if fromCopy[n] != f { wrong.append("row \(n): COPY \(fromCopy[n] ?? .nan), float8 \(f)") }
        }
        #expect(tuples == 5014)
        #expect(wrong.count == 0, "\(wrong.prefix(5))")
    }

    @Test func timestampsTextAndFloatsDecode() throws {
        let connection = try Connection(TestCluster.shared.createMigratedDatabase())
        defer { connection.close() }
        var rows: [(Int64, Double, String?)] = []
        try connection.copyOutBinary("""
            copy (select ts, f, t from (values ('2024-02-29T23:59:00Z'::timestamptz, 1.5::float8, 'BTC-USDT'::text),
                                               ('1969-12-31T23:59:59.999Z', -2.25, null),
                                               ('1999-12-31T23:00:00Z', 0, 'Ä')) as v(ts, f, t)) to stdout (format binary)
            """, fieldCount: 3) { t in
            rows.append((try t.timestampMs(), try t.float8(), try t.text()))
        }
        #expect(rows.count == 3)
        #expect(rows[0].0 == 1_709_251_140_000 && rows[0].1 == 1.5 && rows[0].2 == "BTC-USDT")
        #expect(rows[1].0 == -1 && rows[1].1 == -2.25 && rows[1].2 == nil)
        #expect(rows[2].0 == 946_681_200_000 && rows[2].2 == "Ä")
    }

    @Test func nullsNaNAndTheWrongShapeAreRefusedNamingTheColumn() throws {
        let connection = try Connection(TestCluster.shared.createMigratedDatabase())
        defer { connection.close() }
        func failure(_ sql: String, fields: Int) -> String {
            do {
                try connection.copyOutBinary(sql, fieldCount: fields) { t in _ = try t.numeric("close") }
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(failure("copy (select null::numeric) to stdout (format binary)", fields: 1).contains("close is NULL"))
        #expect(failure("copy (select 'NaN'::numeric) to stdout (format binary)", fields: 1).contains("close is NaN or infinite"))
        #expect(failure("copy (select 1::numeric, 2::numeric) to stdout (format binary)", fields: 1).contains("expected 1 fields, got 2"))
        // The connection is usable after each refusal.
        #expect(try connection.query("select 1 as one").first?.int("one") == 1)
    }

    @Test func aMessageWithoutTheHeaderOrCutShortIsMalformed() throws {
        var parser = BinaryCopyParser(fieldCount: 1)
        let noHeader: [UInt8] = Array("not a copy".utf8) + Array(repeating: 0, count: 20)
        #expect(throws: PostgresError.self) {
            try noHeader.withUnsafeBytes { try parser.parse($0) { _ in } }
        }
        // A valid header, then a tuple of one numeric field whose length runs past the message.
        var cut: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
        cut += [0x00, 0x01] + [0x00, 0x00, 0x00, 0x40] + [0x00, 0x01]
        var fresh = BinaryCopyParser(fieldCount: 1)
        #expect(throws: PostgresError.self) {
            try cut.withUnsafeBytes { try fresh.parse($0) { t in _ = try t.numeric() } }
        }
    }
}

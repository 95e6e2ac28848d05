import Foundation
import Postgres
import Testing
import TestSupport

@Suite("Parameters and typed results")
struct ParameterRoundTripTests {
    let connection: Connection

    init() throws {
        connection = try Connection(TestCluster.shared.conninfo())
    }

    @Test func textRoundTripsIncludingQuotesAndUnicode() throws {
        let value = "it's \"quoted\" \\ back\tslash ünïcødé 🚀; drop table x; --"
        let row = try #require(try connection.query("select $1::text as v", [value]).first)
        #expect(try row.string("v") == value)
    }

    @Test func numericKeepsTheExactDecimalString() throws {
        for text in ["220057933.233687634", "0.00007722", "9999999999.0000000000000000", "43398.6", "1"] {
            let row = try #require(try connection.query("select $1::numeric as v", [text]).first)
            #expect(try row.string("v") == text)
        }
    }

    @Test func timestamptzRoundTripsInUTC() throws {
        let micros: Int64 = 1_706_637_600_123_456
        let text = PostgresTime.formatMicros(micros)
        let row = try #require(try connection.query("select $1::timestamptz as v, extract(epoch from $1::timestamptz)::numeric as e", [text]).first)
        #expect(try row.string("e") == "1706637600.123456")
        #expect(PostgresTime.parseMicros(try row.string("v")!) == micros)
        let date = Date(timeIntervalSince1970: 1_706_637_600.5)
        let back = try #require(try connection.query("select $1::timestamptz as v", [date]).first)
        #expect(try back.date("v") == date)
    }

    @Test func boolInt8AndDouble() throws {
        let row = try #require(try connection.query("select $1::bool as b, $2::int8 as i, $3::float8 as d, $4::bool as f",
                                                     [true, Int64.max, 0.1, false]).first)
        #expect(try row.bool("b") == true)
        #expect(try row.bool("f") == false)
        #expect(try row.int64("i") == Int64.max)
        #expect(try row.double("d") == 0.1)
    }

    @Test func jsonbRoundTrips() throws {
        let json = JSONText(#"{"inst_id": "BTC-USDT", "bar": "1m", "n": [1, 2.5, null], "ok": true}"#)
        let row = try #require(try connection.query("select $1::jsonb as v, $1::jsonb->>'inst_id' as inst", [json]).first)
        #expect(try row.string("inst") == "BTC-USDT")
        let object = try #require(try row.json("v") as? [String: Any])
        #expect(object["bar"] as? String == "1m")
    }

    @Test func nullGoesAndComesBackAsNil() throws {
        let missing: String? = nil
        let row = try #require(try connection.query("select $1::text as v, $1::text is null as isnull", [missing]).first)
        #expect(try row.string("v") == nil)
        #expect(try row.bool("isnull") == true)
    }

    @Test func arraysRoundTrip() throws {
        let values = ["a", "b,c", "d\"e", "f\\g", ""]
        let row = try #require(try connection.query("select $1::text[] as v, cardinality($1::text[]) as n", [values]).first)
        #expect(try row.int("n") == values.count)
        #expect(try row.stringArray("v") == values)
    }

    @Test func errorsCarrySQLStateDetailAndHint() throws {
        do {
            try connection.query("select 1/0")
            Issue.record("division by zero did not throw")
        } catch let error as PostgresError {
            #expect(error.sqlState == "22012")
            #expect(error.kind == .server)
        }
        do {
            try connection.query("do $$ begin raise exception 'bad' using errcode = '23514', detail = 'the detail', hint = 'the hint'; end $$")
            Issue.record("raise did not throw")
        } catch let error as PostgresError {
            #expect(error.sqlState == "23514")
            #expect(error.detail == "the detail")
            #expect(error.hint == "the hint")
        }
        // The connection is still usable after an error.
        #expect(try connection.query("select 1 as one").first?.int("one") == 1)
    }

    @Test func transactionRollsBackOnThrow() throws {
        try connection.query("create temp table tx_test (v int)")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try connection.withTransaction {
                try connection.query("insert into tx_test values ($1)", [1])
                throw Boom()
            }
        }
        _ = try connection.withTransaction { try connection.query("insert into tx_test values ($1)", [2]) }
        #expect(try connection.query("select array_agg(v)::text as v from tx_test").first?.string("v") == "{2}")
    }

    @Test func passwordsNeverAppearInConnectionErrors() throws {
        let secret = "s3cr3t-Pa55word"
        do {
            _ = try Connection("postgresql://postgres:\(secret)@127.0.0.1:1/nodb")
            Issue.record("connected to port 1")
        } catch let error as PostgresError {
            #expect(!error.description.contains(secret))
            #expect(error.kind == .connectionFailed)
        }
        #expect(!ConnectionSettings.redact("postgresql://u:\(secret)@h/db").contains(secret))
        #expect(!ConnectionSettings.redact("host=h password=\(secret) dbname=x").contains(secret))
        #expect(!ConnectionSettings.redact("host=h password='\(secret) x' dbname=x").contains(secret))
        #expect(!ConnectionSettings.redact("postgresql://h/db?password=\(secret)&sslmode=disable").contains(secret))
    }
}

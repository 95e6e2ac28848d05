// Backfills that say what they did: an empty answer is not the end of OKX's history until
// confirmed, and a job's result reports what the table holds afterwards (issue 16, item 3a).

import Foundation
import OKX
import Postgres
import TestSupport
import Testing
@testable import Worker

@Suite("backfill report")
struct BackfillReportTests {
    /// The job's result as an object.
    static func result(_ outcome: Result<String?, any Error>) throws -> [String: Any] {
        let text = try #require(try outcome.get())
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func historyStart(_ f: IngestFixture, _ instId: String) async throws -> Int64? {
        let r = try await f.database.query(
            "select (extract(epoch from market.candle_history_start($1, '1m')) * 1000)::bigint as ms", [instId])
        return try r.first?.int64("ms")
    }

    /// history-candles requests okx-sim answered with `after` = cursor.
    static func requests(_ f: IngestFixture, after cursor: Int64) async throws -> Int {
        try await f.candleRequests().filter {
            ($0["endpoint"] as? String) == "history-candles" && (($0["after"] as? NSNumber)?.int64Value == cursor)
        }.count
    }

    @Test("empty first answers of every cursor are asked again: the range ends complete, no history start is recorded")
    func emptyAnswersAreAskedAgain() async throws {
        let f = try await IngestFixture.make(faults: "empty_first=2")
        defer { Task { await f.close() } }
        let from = SimTime.march1, to = SimTime.march1 + SimTime.dayMs     // 1,440 candles, 5 pages
        let result = try Self.result(try await f.run("backfill", backfillPayload("BTC-USDT", "1m", from, to)))
        let stored = try await f.stored("BTC-USDT", "1m", fromMs: from, toMs: to)
        let expected = try await f.sim.candles(instId: "BTC-USDT", bar: "1m", fromMs: from, toMs: to)
        #expect(stored.count == 1_440, "every candle of the range is stored")
        #expect(stored == expected)
        #expect(try await f.gapCount("BTC-USDT", "1m", fromMs: from, toMs: to) == 0)
        #expect(result["missing_after"] as? Int == 0 && result["complete"] as? Bool == true)
        #expect(try await Self.historyStart(f, "BTC-USDT") == nil, "an empty answer inside the history is not its start")
        #expect(try await Self.requests(f, after: to) == 3, "the first cursor was asked until it answered")
    }

    @Test("a range from before the listing: what OKX has is stored, the start is confirmed at listTime, the result counts the rest as missing")
    func beforeListing() async throws {
        let f = try await IngestFixture.make(faults: "empty_first=2")
        defer { Task { await f.close() } }
        // okx-sim's history starts 2024-01-01; say OKX listed XRP-USDT then.
        let listing: Int64 = 1_704_067_200_000
        try await f.database.query("""
            insert into market.instruments (inst_id, inst_type, list_time) values ('XRP-USDT', 'SPOT', $1::timestamptz)
            """, [SimTime.iso(listing)])
        let from = listing - SimTime.dayMs / 2, to = listing + SimTime.dayMs / 2
        let result = try Self.result(try await f.run("backfill", backfillPayload("XRP-USDT", "1m", from, to)))
        #expect(try await f.count("XRP-USDT", "1m") == 720, "the 720 listed minutes are stored")
        #expect(try await Self.historyStart(f, "XRP-USDT") == listing)
        #expect(result["missing_after"] as? Int == 720, "the 720 minutes before the listing are reported missing")
        #expect(result["missing_before_history_start"] as? Int == 720, "and as before OKX's history")
        #expect(result["complete"] as? Bool == false)
        #expect(try await Self.requests(f, after: listing) == 1, "at listTime an empty page is the end at once")
    }

    @Test("without a known listTime, the start of OKX's history is recorded once empty answers repeat")
    func startConfirmedByRepeatedEmptyAnswers() async throws {
        let f = try await IngestFixture.make(faults: "empty_first=1")
        defer { Task { await f.close() } }
        let start: Int64 = 1_704_067_200_000
        let from = start - SimTime.dayMs / 2, to = start + SimTime.dayMs / 2
        let result = try Self.result(try await f.run("backfill", backfillPayload("SOL-USDT", "1m", from, to)))
        #expect(try await f.count("SOL-USDT", "1m") == 720)
        #expect(try await Self.historyStart(f, "SOL-USDT") == start)
        #expect(result["missing_after"] as? Int == 720 && result["missing_before_history_start"] as? Int == 720)
        #expect(try await Self.requests(f, after: start) == 4, "asked again 3 times before concluding")
    }
}

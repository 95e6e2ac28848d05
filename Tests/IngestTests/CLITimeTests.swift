// One time reader for every command: the same forms are accepted by backfill, backtest,
// watchlist add and fetch, and the same one-line refusal names the flag and the accepted forms.
// Through the CLI as typed, against a migrated database.

import CivilTime
import Foundation
import Postgres
import TestSupport
import Testing

@Suite("CLI times")
struct CLITimeTests {
    static let jan1 = "2024-01-01T00:00:00Z"
    static let jan2 = "2024-01-02T00:00:00Z"

    func candlestack(_ args: [String], check: Bool = true) async throws -> Shell.Output {
        try await runProgram(Paths.executable("candlestack"), args, check: check)
    }

    func payload(_ conninfo: String, kind: String) throws -> [String: Any] {
        let db = try Connection(conninfo)
        defer { db.close() }
        let text = try db.query("select payload::text as p from queue.jobs where kind = $1 order by id desc limit 1", [kind])
            .first?.string("p") ?? "{}"
        return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    @Test("backfill and backtest read dates, instants with or without seconds, Unix seconds and milliseconds alike",
          arguments: [
            ("2024-01-01", "2024-01-02"),
            ("2024-01-01T00:00Z", "2024-01-02T00:00Z"),
            ("2024-01-01T00:00", "2024-01-02 00:00:00"),
            ("2024-01-01T08:00+08:00", "2024-01-02T08:00:00+0800"),
            ("1704067200", "1704153600"),
            ("1704067200000", "1704153600000"),
          ])
    func sameFormsEverywhere(from: String, to: String) async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        _ = try await candlestack(["backfill", "--inst", "BTC-USDT", "--bar", "1m", "--from", from, "--to", to,
                                   "--database-url", conninfo])
        let backfill = try payload(conninfo, kind: "backfill")
        #expect(backfill["from"] as? String == Self.jan1 && backfill["to"] as? String == Self.jan2, "\(backfill)")

        _ = try await candlestack(["backtest", "--inst", "BTC-USDT", "--from", from, "--to", to, "--engine", "buy_hold",
                                   "--database-url", conninfo])
        let backtest = try payload(conninfo, kind: "backtest")
        #expect(backtest["from"] as? String == Self.jan1 && backtest["to"] as? String == Self.jan2, "\(backtest)")
    }

    @Test("now and now-7d mean the clock of the moment the command runs")
    func relativeToNow() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let before = UTCTime.nowMs()
        _ = try await candlestack(["watchlist", "add", "--inst", "BTC-USDT", "--bar", "1H", "--from", "now-7d",
                                   "--database-url", conninfo])
        _ = try await candlestack(["backfill", "--inst", "ETH-USDT", "--bar", "1H", "--from", "now-2d", "--to", "now",
                                   "--database-url", conninfo])
        let after = UTCTime.nowMs()
        let db = try Connection(conninfo)
        defer { db.close() }
        let history = try db.query("""
            select (extract(epoch from history_from) * 1000)::int8 as ms from market.watchlist where inst_id = 'BTC-USDT'
            """).first?.int64("ms")
        let week: Int64 = 7 * 86_400_000
        let h = try #require(history)
        #expect(h >= before - week - 1000 && h <= after - week)
        let backfill = try payload(conninfo, kind: "backfill")
        let from = try #require((backfill["from"] as? String).flatMap(UTCTime.parseMs))
        let to = try #require((backfill["to"] as? String).flatMap(UTCTime.parseMs))
        #expect(to - from == 2 * 86_400_000 || to - from == 2 * 86_400_000 - 1000, "\(backfill)")   // whole seconds
        #expect(to >= before - 1000 && to <= after)
    }

    @Test("a time no form reads is refused in one line naming the flag and showing the forms",
          arguments: [
            (["backfill", "--inst", "BTC-USDT", "--bar", "1m", "--from", "early 2024"], "--from"),
            (["backfill", "--inst", "BTC-USDT", "--bar", "1m", "--from", "2024-01-01", "--to", "2024-02-30"], "--to"),
            (["backtest", "--inst", "BTC-USDT", "--from", "2024-01-01T25:00", "--to", "2024-02-01", "--engine", "buy_hold"], "--from"),
            (["watchlist", "add", "--inst", "BTC-USDT", "--bar", "1m", "--from", "now-7y"], "--from"),
            (["fetch", "--inst", "BTC-USDT", "--before", "soon"], "--before"),
          ])
    func refused(arguments: [String], flag: String) async throws {
        let out = try await candlestack(arguments + (arguments[0] == "fetch" ? [] : ["--database-url", "dbname=unused"]), check: false)
        #expect(out.status != 0)
        #expect(out.stderr.split(separator: "\n").count == 1, "\(out.stderr)")
        #expect(out.stderr.contains(flag) && out.stderr.contains("now-7d") && out.stderr.contains("Unix seconds"), "\(out.stderr)")
    }
}

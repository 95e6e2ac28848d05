// A delisted instrument's watchlist entries stop: sync_instruments disables them (with a reason)
// and their schedules, and `candlestack status` lists them.

import Foundation
import Postgres
import TestSupport
import Testing
@testable import Worker

@Suite("delisted instruments")
struct DelistingTests {
    @Test("sync_instruments against okx-sim disables the entries of an instrument OKX no longer lists; status shows them")
    func syncDisablesDelistedEntries() async throws {
        let f = try await IngestFixture.make()
        defer { Task { await f.close() } }
        // GONE-USDT was listed once (a row of an earlier answer); okx-sim does not list it.
        try await f.database.query("insert into market.instruments (inst_id, inst_type) values ('GONE-USDT', 'SPOT')")
        try await f.database.query("insert into market.watchlist (inst_id, bar) values ('GONE-USDT', '1m'), ('BTC-USDT', '1m')")

        let result = try await f.run("sync_instruments", #"{"inst_type":"SPOT"}"#)
        let text = try #require(try result.get())
        #expect(text.contains(#""delisted":1"#) && text.contains(#""disabled_entries":1"#), "\(text)")

        let entries = try await f.database.query(
            "select inst_id, enabled, coalesce(disabled_reason, '') as reason from market.watchlist order by inst_id")
        #expect(try entries.rows().map { try $0.string("inst_id") ?? "" } == ["BTC-USDT", "GONE-USDT"])
        #expect(try entries.rows().map { try $0.bool("enabled") ?? true } == [true, false])
        #expect(try entries.rows()[1].string("reason")?.hasPrefix("GONE-USDT was delisted") == true)
        let schedules = try await f.database.query(
            "select count(*)::int as n from queue.schedules where name like '%:GONE-USDT:1m' and enabled")
        #expect(try schedules.first?.int("n") == 0, "its ingest and repair_gaps schedules are disabled")

        let status = try await runProgram(Paths.executable("candlestack"), ["status", "--database-url", f.conninfo])
        let section = status.stdout.components(separatedBy: "disabled watchlist entries").last ?? ""
        #expect(status.stdout.contains("disabled watchlist entries"))
        #expect(section.contains("GONE-USDT") && section.contains("was delisted") && !section.contains("BTC-USDT"),
                "\(section.prefix(600))")
    }
}

// market.ensure_candle_partitions waits for a strong lock on market.candles only a bounded time: with
// a session holding SHARE UPDATE EXCLUSIVE (what ANALYZE or another ATTACH holds), it tries 5 times
// under lock_timeout, then fails with 55P03 and leaves nothing behind, instead of queueing forever.

import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct PartitionAttachRetryTests {
    @Test func attachGivesUpWith55P03AndLeavesNoTable() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let holder = try Connection(conninfo, applicationName: "lock-holder")
        let creator = try Connection(conninfo, applicationName: "partition-creator")
        defer { holder.close(); creator.close() }

        _ = try holder.query("begin")
        _ = try holder.query("lock table market.candles in share update exclusive mode")
        // bounded by the function's own retries; the statement_timeout only stops a regression that waits forever
        _ = try creator.query("set statement_timeout = '60s'")
        var state: String?
        do {
            _ = try creator.query("select market.ensure_candle_partitions('1996-05-10Z', '1996-05-11Z')")
        } catch let error as PostgresError {
            state = error.sqlState
        }
        #expect(state == "55P03", "expected lock_not_available after the bounded retries, got \(state ?? "success")")
        _ = try holder.query("rollback")

        let leftover = try creator.query("select count(*)::int as n from pg_class where relname = 'candles_y1996m05'").first?.int("n")
        #expect(leftover == 0, "a plain table was left behind by the failed attach")
        // once the lock is gone the same call succeeds
        let made = try creator.query("select market.ensure_candle_partitions('1996-05-10Z', '1996-05-11Z') as n").first?.int("n")
        #expect(made == 1)
    }
}

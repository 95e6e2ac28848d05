// Two worker "processes" (two pools, two limiters, one rate key) share OKX's per-IP budget.

import Foundation
import Logging
import OKX
import Postgres
import TestSupport
import Testing
@testable import Worker

@Suite("shared rate limit")
struct SharedRateLimitTests {
    @Test("two limiters with one rate key backfill side by side at OKX's real limits without a refusal")
    func twoProcesses() async throws {
        let f = try await IngestFixture.make(scale: 1, marginMs: 500)
        defer { Task { await f.close() } }
        // A second pool and client, as a second worker process on the same host would have.
        let database2 = Database(conninfo: f.conninfo, applicationName: "ingest-tests-2")
        defer { Task { await database2.drain() } }
        let limiter2 = DatabaseRateLimiter(database: database2, rateKey: f.rateKey, marginMs: 500, logger: f.logger)
        let okx2 = OKXClient(configuration: OKXConfiguration(baseURL: f.sim.baseURL, rateLimiter: limiter2), logger: f.logger)
        let from = SimTime.march1 - 4 * SimTime.dayMs, to = SimTime.march1       // 20 pages each: 40 > one window
        let (job1, context1) = try await f.enqueueAndClaim("backfill", backfillPayload("BTC-USDT", "1m", from, to))
        let (job2, _) = try await f.enqueueAndClaim("backfill", backfillPayload("ETH-USDT", "1m", from, to))
        let context2 = JobContext(job: job2, database: database2, logger: f.logger, workerID: "test-worker")
        async let a = f.handler("backfill").run(job1, context1)
        async let b = BackfillHandler(okx: okx2).run(job2, context2)
        _ = try await (a, b)
        #expect(try await f.count("BTC-USDT", "1m") == 5_760)
        #expect(try await f.count("ETH-USDT", "1m") == 5_760)
        let stats = (try await f.sim.stats()["endpoints"] as? [String: Any]) ?? [:]
        #expect(try await f.refusedTotal() == 0, "\(stats)")
        #expect(try await f.sim.counts("history-candles").accepted == 40)
    }
}

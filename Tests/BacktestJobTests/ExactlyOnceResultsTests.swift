import Foundation
import Logging
import Postgres
import Testing
import TestSupport
import Worker

/// One job, one stored run: a retry of a job whose earlier attempt stored its run but never
/// completed replaces that run, and a writer whose attempt is over stores nothing.
@Suite("backtest results exactly once")
struct ExactlyOnceResultsTests {
    static let payload = #"{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-01-02", "engine": "sma_cross", "params": {"fast": 5, "slow": 20}}"#

    func claim(_ f: BacktestFixture, _ c: Connection, worker: String) throws -> (Job, JobContext) {
        let row = try #require(try c.query("select id, kind, payload::text as payload, attempts from queue.claim($1, array['backtest'], 1, '5 minutes')", [worker]).first)
        let job = Job(id: try row.int64("id")!, kind: "backtest", payloadJSON: try row.string("payload")!,
                      attempt: try row.int("attempts")!, maxAttempts: 3, parentID: nil)
        var logger = Logger(label: "exactly-once")
        logger.logLevel = .warning
        return (job, JobContext(job: job, database: f.database, logger: logger, workerID: worker))
    }

    @Test("a retry after results stored but never completed leaves one run, the retry's")
    func retryReplacesTheEarlierRun() async throws {
        let f = try BacktestFixture(minutes: 1_440)
        let c = try f.connect()
        defer { c.close() }
        _ = try c.query("select queue.enqueue('backtest', $1::jsonb)", [Self.payload])
        let (first, firstContext) = try claim(f, c, worker: "w1")
        _ = try await BacktestHandler().run(first, firstContext)
        // w1 dies before completing: its lease expires and w2 claims attempt 2.
        _ = try c.query("update queue.jobs set lease_until = now() - interval '1 second' where id = $1", [first.id])
        _ = try c.query("select queue.rescue_expired()")
        // Rescue backs off like a failed attempt (sql/0265): make the retry due now.
        _ = try c.query("update queue.jobs set run_at = now() where id = $1", [first.id])
        let (second, secondContext) = try claim(f, c, worker: "w2")
        #expect(second.attempt == 2)
        let out = try #require(try await BacktestHandler().run(second, secondContext))
        let result = try JSONSerialization.jsonObject(with: Data(out.text.utf8)) as? [String: Any] ?? [:]
        let runID = try #require(result["run_id"] as? Int)
        #expect(try f.scalar("select count(*) from backtest.runs where job_id = $1", [first.id]) == "1")
        #expect(try f.scalar("select id from backtest.runs where job_id = $1", [first.id]) == "\(runID)")
        #expect(try f.scalar("select count(distinct run_id) from backtest.equity") == "1")
        #expect(try f.scalar("select count(*) from backtest.metrics") == "1")
    }

    @Test("a writer whose attempt is over stores nothing, even under the same worker id")
    func lateWriterIsRefused() async throws {
        let f = try BacktestFixture(minutes: 1_440)
        let c = try f.connect()
        defer { c.close() }
        _ = try c.query("select queue.enqueue('backtest', $1::jsonb)", [Self.payload])
        let (first, firstContext) = try claim(f, c, worker: "w1")
        _ = try c.query("update queue.jobs set lease_until = now() - interval '1 second' where id = $1", [first.id])
        _ = try c.query("select queue.rescue_expired()")
        // Rescue backs off like a failed attempt (sql/0265): make the retry due now.
        _ = try c.query("update queue.jobs set run_at = now() where id = $1", [first.id])
        // A restarted w1 (systemd gives it the same id) claims attempt 2 and stores its run.
        let (second, secondContext) = try claim(f, c, worker: "w1")
        _ = try await BacktestHandler().run(second, secondContext)
        // The old w1, presumed dead, comes back and finishes its attempt: refused, the stored run stays.
        let runBefore = try f.scalar("select id from backtest.runs")
        await #expect(throws: (any Error).self) { _ = try await BacktestHandler().run(first, firstContext) }
        #expect(try f.scalar("select count(*) from backtest.runs") == "1")
        #expect(try f.scalar("select id from backtest.runs") == runBefore)
    }
}

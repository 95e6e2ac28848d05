import Backtest
import Foundation
import Testing
import TestSupport

/// The three kinds queued as an operator would (CLI and SQL) and run by `candlestack worker --exit-when-idle`.
@Suite("backtest jobs through candlestack worker")
struct WorkerEndToEndTests {
    @Test("candlestack worker runs backtest, optimize and walk_forward jobs to success")
    func workerRunsAllKinds() async throws {
        let f = try BacktestFixture(minutes: 20_000)
        let bin = Paths.executable("candlestack")
        let queued = try await Shell.run(bin, ["backtest", "--database-url", f.conninfo, "--inst", "BTC-USDT", "--bar", "1m",
                                         "--from", "2024-01-01", "--to", "2024-02-01", "--engine", "sma_cross",
                                         "--param", "fast=10", "--param", "slow=30", "--fee-rate", "0.0005"])
        let backtestJob = try #require(Int64(queued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let c = try f.connect()
        defer { c.close() }
        let optimizeJob = try #require(try c.query("""
            select id from queue.enqueue('optimize', '{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-02-01",
              "engine": "ema_cross", "grid": {"fast": [5, 10], "slow": [20, 40]}, "objective": "sharpe"}')
            """).first?.int64("id"))
        let walkJob = try #require(try c.query("""
            select id from queue.enqueue('walk_forward', '{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-02-01",
              "engine": "sma_cross", "grid": {"fast": [5, 10], "slow": [30, 60]}, "train": "3 days", "test": "1 day", "mode": "anchored"}')
            """).first?.int64("id"))

        let worker = try await Shell.run(bin, ["worker", "--database-url", f.conninfo, "--exit-when-idle", "--concurrency", "2",
                                         "--kinds", "backtest,optimize,walk_forward"], check: false)
        #expect(worker.status == 0, "worker: \(worker.stderr.suffix(2000))")
        for job in [backtestJob, optimizeJob, walkJob] {
            let row = try #require(try c.query("select status, result::text as result, last_error from queue.jobs where id = $1", [job]).first)
            let lastError = try row.string("last_error") ?? ""
            #expect(try row.string("status") == "succeeded", "job \(job): \(lastError)")
            let result = try row.string("result") ?? "{}"
            let object = try JSONSerialization.jsonObject(with: Data(result.utf8)) as? [String: Any] ?? [:]
            let runID = try #require(object["run_id"] as? Int, "job \(job) result \(result)")
            #expect(try f.scalar("select job_id from backtest.runs where id = $1", [runID]) == "\(job)")
            #expect(try f.scalar("select count(*) from backtest.metrics where run_id = $1", [runID]) == "1")
        }
        // The CLI's job is the same backtest as a direct engine run.
        let runID = try #require(try f.scalar("select id from backtest.runs where job_id = $1", [backtestJob]))
        let direct = try Backtester.run(candles: try f.candles(from: "2024-01-01Z", to: "2024-02-01Z"),
                                        spec: StrategySpec(engine: .smaCross, params: ["fast": 10, "slow": 30]),
                                        settings: RunSettings(feeRate: 0.0005))
        #expect(try f.scalar("select final_equity from backtest.metrics where run_id = $1", [runID]).flatMap(Double.init) == direct.metrics.finalEquity)
        #expect(try f.scalar("select count(*) from backtest.trades where run_id = $1", [runID]) == "\(direct.trades.count)")
        #expect(try f.scalar("select count(*) from bi.backtest_leaderboard") == "3")
    }
}

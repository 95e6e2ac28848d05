import Foundation
import Logging
import Postgres
import Testing
import TestSupport
import Worker

/// What the handlers and the CLI refuse, and what a cancelled job leaves behind.
@Suite("backtest job failures")
struct HandlerFailureTests {
    @Test("a cancelled optimize stops with JobCancelled and stores nothing")
    func cancelledOptimizeStoresNothing() async throws {
        let f = try BacktestFixture(minutes: 5_000)
        let c = try f.connect()
        defer { c.close() }
        _ = try c.query(#"select queue.enqueue('optimize', '{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-01-04", "engine": "sma_cross", "grid": {"fast": [5, 10], "slow": [20, 40]}}')"#)
        let row = try #require(try c.query("select id, payload::text as payload from queue.claim('test-worker', array['optimize'], 1, '5 minutes')").first)
        let job = Job(id: try row.int64("id")!, kind: "optimize", payloadJSON: try row.string("payload")!, attempt: 1, maxAttempts: 3, parentID: nil)
        let context = JobContext(job: job, database: f.database, logger: Logger(label: "test"), workerID: "test-worker")
        context.markCancelled()
        await #expect(throws: JobCancelled.self) { _ = try await OptimizeHandler().run(job, context) }
        #expect(try f.scalar("select count(*) from backtest.runs") == "0")
    }

    @Test("a range without candles fails for good")
    func noCandlesIsPermanent() async throws {
        let f = try BacktestFixture(minutes: 100)
        do {
            _ = try await f.run(BacktestHandler(), payload: #"{"inst_id": "ETH-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-01-02", "engine": "buy_hold"}"#)
            Issue.record("a backtest without candles succeeded")
        } catch let failure as JobFailure {
            #expect(!failure.isRetryable)
        }
    }

    @Test("candlestack backtest refuses bad flags, naming the flag, and bad params through SQL")
    func cliRefusesBadFlags() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let bin = Paths.executable("candlestack")
        let base = ["backtest", "--database-url", conninfo, "--from", "2024-01-01", "--to", "2024-02-01"]
        let cases: [([String], String)] = [
            (["--inst", "btc", "--engine", "buy_hold"], "--inst"),
            (["--inst", "BTC-USDT", "--engine", "turtle"], "--engine"),
            (["--inst", "BTC-USDT"], "--strategy"),
            (["--inst", "BTC-USDT", "--engine", "sma_cross", "--param", "fast"], "--param"),
            (["--inst", "BTC-USDT", "--engine", "buy_hold", "--fee-rate", "0.5"], "--fee-rate"),
            (["--inst", "BTC-USDT", "--engine", "buy_hold", "--capital", "0"], "--capital"),
        ]
        for (args, flag) in cases {
            let r = try await Shell.run(bin, base + args, check: false)
            #expect(r.status != 0, "\(args)")
            #expect(r.stderr.contains(flag), "\(args): \(r.stderr)")
        }
        let sql = try await Shell.run(bin, base + ["--inst", "BTC-USDT", "--engine", "sma_cross", "--param", "fast=30", "--param", "slow=10"], check: false)
        #expect(sql.status != 0)
        #expect(sql.stderr.contains("22023"), "\(sql.stderr)")
        let ok = try await Shell.run(bin, base + ["--inst", "BTC-USDT", "--engine", "sma_cross", "--param", "fast=10", "--param", "slow=30", "--param", "allow_short=true"])
        let id = ok.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let c = try Connection(conninfo)
        defer { c.close() }
        #expect(try c.query("select payload -> 'params' ->> 'allow_short' as s from queue.jobs where id = $1::bigint", [id]).first?.string("s") == "true")
    }
}

import Backtest
import Foundation
import Postgres
import Testing
import TestSupport
import Worker

/// Each backtest job kind end to end through its handler, on its own migrated database.
@Suite("backtest jobs")
struct BacktestJobTests {
    static let range = #""inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-02-01""#

    @Test("a backtest job stores trades, equity and metrics equal to a direct Backtester.run")
    func backtestMatchesEngine() async throws {
        let f = try BacktestFixture(minutes: 20_000)
        let (jobID, result) = try await f.run(BacktestHandler(), payload: """
            {\(Self.range), "engine": "sma_cross", "params": {"fast": 10, "slow": 30, "stop_loss_pct": 2}, "fee_rate": 0.0005, "slippage_bps": 1}
            """)
        let runID = try #require(result["run_id"] as? Int)
        let candles = try f.candles()
        let direct = try Backtester.run(candles: candles, spec: StrategySpec(engine: .smaCross, params: ["fast": 10, "slow": 30], stopLossPct: 2),
                                        settings: RunSettings(feeRate: 0.0005, slippageBps: 1, capital: 10_000, lotSize: 0.00000001))
        #expect(try f.scalar("select job_id from backtest.runs where id = $1", [runID]) == "\(jobID)")
        #expect(try f.scalar("select candle_count from backtest.runs where id = $1", [runID]) == "\(candles.count)")
        // 20,000 minutes end before 2024-02-01: the rest of January is one gap at the end.
        #expect(try f.scalar("select gap_count from backtest.runs where id = $1", [runID]) == "1")
        #expect(try f.scalar("select missing_bars from backtest.runs where id = $1", [runID]) == "\(31 * 1440 - 20_000)")
        #expect(try f.scalar("select params::text from backtest.runs where id = $1", [runID]) == #"{"fast": 10, "slow": 30, "stop_loss_pct": 2}"#)

        let c = try f.connect()
        defer { c.close() }
        let trades = try c.query("""
            select n, side, (extract(epoch from entry_time) * 1000)::int8 as et, entry_price, (extract(epoch from exit_time) * 1000)::int8 as xt,
                   exit_price, size, pnl, return_pct, fees, exit_reason from backtest.trades where run_id = $1 order by n
            """, [runID]).rows()
        #expect(direct.trades.count > 10)
        #expect(trades.count == direct.trades.count)
        for (row, t) in zip(trades, direct.trades) {
            #expect(try row.int("n") == t.n)
            #expect(try row.string("side") == t.side.rawValue)
            #expect(try row.int64("et") == t.entryTime)
            #expect(try row.int64("xt") == t.exitTime)
            #expect(try row.double("entry_price") == t.entryPrice)
            #expect(try row.double("exit_price") == t.exitPrice)
            #expect(try row.double("size") == t.size)
            #expect(try row.double("pnl") == t.pnl)
            #expect(try row.double("fees") == t.fees)
            #expect(try row.string("exit_reason") == t.exitReason.rawValue)
        }
        let equity = try c.query("select (extract(epoch from ts) * 1000)::int8 as t, equity, drawdown_pct from backtest.equity where run_id = $1 order by ts", [runID]).rows()
        #expect(equity.count == direct.curve.count)
        for (row, p) in zip(equity, direct.curve) {
            #expect(try row.int64("t") == p.time)
            #expect(try row.double("equity") == p.equity)
            #expect(try row.double("drawdown_pct") == p.drawdownPct)
        }
        let m = try #require(try c.query("select to_jsonb(m)::text as j from backtest.metrics as m where run_id = $1", [runID]).first?.string("j"))
        let stored = try #require(try JSONSerialization.jsonObject(with: Data(m.utf8)) as? [String: Any])
        for (name, value) in direct.metrics.rows where name != "annualised_reliable" {
            let s = (stored[name] as? NSNumber)?.doubleValue
            #expect(approx(s, value, 1e-12), "metric \(name): stored \(String(describing: s)), engine \(String(describing: value))")
        }
        #expect(stored["annualised_reliable"] as? Bool == direct.metrics.annualisedReliable)
        #expect(result["n_trades"] as? Int == direct.metrics.nTrades)
        let timings = try #require(try c.query("select load_ms, compute_ms, store_ms from backtest.runs where id = $1", [runID]).first)
        #expect(try timings.double("load_ms") != nil)
        #expect(try timings.double("store_ms") != nil)
        #expect(try f.scalar("select status from queue.jobs where id = $1", [jobID]) == "running")
    }

    @Test("a named strategy runs, and the stored equity curve keeps at most 2,000 points")
    func namedStrategyAndCurveBound() async throws {
        let f = try BacktestFixture(minutes: 30_000)
        let c = try f.connect()
        defer { c.close() }
        _ = try c.query(#"insert into backtest.strategies (name, engine, params) values ('ema-fast', 'ema_cross', '{"fast": 5, "slow": 20, "allow_short": true}')"#)
        let (_, result) = try await f.run(BacktestHandler(), payload: #"{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-02-01", "strategy": "ema-fast"}"#)
        let runID = try #require(result["run_id"] as? Int)
        let points = try #require(Int(try f.scalar("select count(*) from backtest.equity where run_id = $1", [runID]) ?? ""))
        #expect(points > 1000 && points <= 2000)
        #expect(try f.scalar("select strategy from backtest.runs where id = $1", [runID]) == "ema-fast")
        #expect(try f.scalar("select count(*) from backtest.trades where run_id = $1 and side = 'short'", [runID]) != "0")
        let direct = try Backtester.run(candles: try f.candles(), spec: StrategySpec(engine: .emaCross, params: ["fast": 5, "slow": 20], allowShort: true))
        #expect(try f.scalar("select final_equity from backtest.metrics where run_id = $1", [runID]).flatMap(Double.init) == direct.metrics.finalEquity)
    }

    @Test("a bar that is not stored is resampled from 1m")
    func resampledBar() async throws {
        let f = try BacktestFixture(minutes: 20_000)
        let (_, result) = try await f.run(BacktestHandler(), payload: #"{"inst_id": "BTC-USDT", "bar": "15m", "from": "2024-01-01", "to": "2024-01-10", "engine": "sma_cross", "params": {"fast": 4, "slow": 16}}"#)
        let runID = try #require(result["run_id"] as? Int)
        #expect(try f.scalar("select resampled from backtest.runs where id = $1", [runID]) == "t")
        #expect(try f.scalar("select candle_count from backtest.runs where id = $1", [runID]) == "864")
    }

    @Test("missing candles are reported as gaps in the run row")
    func gapsReported() async throws {
        let f = try BacktestFixture(minutes: 5_000)
        let c = try f.connect()
        defer { c.close() }
        _ = try c.query("delete from market.candles where ts >= '2024-01-02 00:00Z' and ts < '2024-01-02 00:10Z'")
        let (_, result) = try await f.run(BacktestHandler(), payload: #"{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-01-04", "engine": "buy_hold"}"#)
        let runID = try #require(result["run_id"] as? Int)
        let row = try #require(try c.query("select gap_count, missing_bars, candle_count from backtest.runs where id = $1", [runID]).first)
        #expect(try row.int("gap_count") == 1)
        #expect(try row.int("missing_bars") == 10)
        #expect(try row.int("candle_count") == 3 * 1440 - 10)
    }

    @Test("an optimize job stores every combination, ranks them and runs the best in full")
    func optimizeStoresGrid() async throws {
        let f = try BacktestFixture(minutes: 20_000)
        let (_, result) = try await f.run(OptimizeHandler(), payload: """
            {\(Self.range), "engine": "sma_cross", "grid": {"fast": [5, 10, 20, 40], "slow": [20, 50, 100]}, "objective": "total_return_pct", "min_trades": 3}
            """)
        let runID = try #require(result["run_id"] as? Int)
        let direct = try Optimizer.run(candles: try f.candles(), engine: .smaCross, grid: ["fast": [5, 10, 20, 40], "slow": [20, 50, 100]],
                                       objective: "total_return_pct", minTrades: 3)
        let best = try #require(direct.best)
        #expect(try f.scalar("select count(*) from backtest.optimization_results where run_id = $1", [runID]) == "\(direct.rows.count)")
        #expect(try f.scalar("select skipped from backtest.optimizations where run_id = $1", [runID]) == "\(direct.skipped)")
        #expect(try f.scalar("select count(*) from backtest.optimization_results where run_id = $1 and is_best", [runID]) == "1")
        #expect(try f.scalar("select rank from backtest.optimization_results where run_id = $1 and is_best", [runID]) == "1")
        let bestParams = try #require(try f.scalar("select params::text from backtest.optimization_results where run_id = $1 and is_best", [runID]))
        #expect(bestParams == "{\"fast\": \(Int(best.params["fast"]!)), \"slow\": \(Int(best.params["slow"]!))}")
        #expect(try f.scalar("select params::text from backtest.runs where id = $1", [runID]) == bestParams)
        #expect(try f.scalar("select total_return_pct from backtest.metrics where run_id = $1", [runID]).flatMap(Double.init) == best.metrics.totalReturnPct)
        #expect(try f.scalar("select count(*) > 0 from backtest.trades where run_id = $1", [runID]) == "t")
        #expect(try f.scalar("select count(*) from bi.optimization_results where run_id = $1", [runID]) == "\(direct.rows.count)")
    }

    @Test("a walk_forward job stores its windows, the stitched out-of-sample run and the efficiency")
    func walkForwardStoresWindows() async throws {
        let f = try BacktestFixture(minutes: 20_000)
        let (_, result) = try await f.run(WalkForwardHandler(), payload: """
            {\(Self.range), "engine": "sma_cross", "grid": {"fast": [5, 10], "slow": [30, 60]}, "train": "3 days", "test": "1 day", "mode": "rolling"}
            """)
        let runID = try #require(result["run_id"] as? Int)
        let direct = try WalkForward.run(candles: try f.candles(), engine: .smaCross, grid: ["fast": [5, 10], "slow": [30, 60]],
                                         objective: "sharpe", trainMs: 3 * 86_400_000, testMs: 86_400_000, mode: .rolling)
        #expect(direct.windows.count > 5)
        #expect(try f.scalar("select count(*) from backtest.walk_forward_windows where run_id = $1", [runID]) == "\(direct.windows.count)")
        #expect(try f.scalar("select final_equity from backtest.metrics where run_id = $1", [runID]).flatMap(Double.init) == direct.metrics.finalEquity)
        #expect(approx(try f.scalar("select efficiency from backtest.walk_forwards where run_id = $1", [runID]).flatMap(Double.init), direct.efficiency, 1e-12))
        #expect(try f.scalar("select count(*) from bi.walk_forward_results where run_id = $1", [runID]) == "\(direct.windows.count)")
        #expect(try f.scalar("select kind from bi.backtest_leaderboard where run_id = $1", [runID]) == "walk_forward")
    }

    @Test("bad strategy params are refused from psql with SQLSTATE 23514")
    func badStrategyRefused() throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let c = try Connection(conninfo)
        defer { c.close() }
        for params in [#"{"fast": 30, "slow": 10}"#, #"{"fast": 10}"#, #"{"fast": 1.5, "slow": 10}"#, #"{"fast": 5, "slow": 10, "speed": 1}"#] {
            do {
                _ = try c.query("insert into backtest.strategies (name, engine, params) values ('bad', 'sma_cross', $1::jsonb)", [params])
                Issue.record("params \(params) were accepted")
            } catch let error as PostgresError {
                #expect(error.sqlState == "23514", "params \(params): \(error)")
            }
        }
    }
}

import Backtest
import Foundation
import Postgres
import Testing
import TestSupport
import Worker

/// Kinds optimize and walk_forward on a swap: every combination and window is a contract run
/// (contracts, funding, leverage, liquidation), as kind backtest simulates it.
@Suite("swap optimize and walk-forward jobs")
struct SwapOptimizeJobTests {
    static let grid = #""engine": "sma_cross", "grid": {"fast": [5, 10], "slow": [30, 60]}"#

    @Test("optimize on a swap: the best combination's run equals a backtest job of it, funding and contracts included")
    func optimizeBestEqualsBacktest() async throws {
        let f = try SwapFixture()
        let opt = try await f.base.run(OptimizeHandler(), payload: """
            {\(SwapFixture.range), \(Self.grid), "objective": "final_equity", "leverage": 5, "fee_rate": 0.0005}
            """).result
        let optRun = try #require(opt["run_id"] as? Int)
        let best = try #require(opt["best_params"] as? [String: Any])
        let fast = try #require(best["fast"] as? Double), slow = try #require(best["slow"] as? Double)
        let single = try await f.run("""
            "engine": "sma_cross", "params": {"fast": \(Int(fast)), "slow": \(Int(slow))}, "leverage": 5, "fee_rate": 0.0005
            """)
        let singleRun = try #require(single["run_id"] as? Int)
        for column in ["final_equity", "funding_paid", "liquidations", "n_trades"] {
            let a = try f.base.scalar("select \(column)::text from backtest.metrics where run_id = $1", [optRun])
            let b = try f.base.scalar("select \(column)::text from backtest.metrics where run_id = $1", [singleRun])
            #expect(a != nil && a == b, "\(column): optimize \(a ?? "nil"), backtest \(b ?? "nil")")
        }
        let payments = "select count(*) || ' ' || sum(amount) from backtest.funding_payments where run_id = $1"
        #expect(try f.base.scalar(payments, [optRun]) == (try f.base.scalar(payments, [singleRun])))
        #expect(try f.base.scalar("select leverage || ' ' || ct_type || ' ' || funding from backtest.run_contracts where run_id = $1", [optRun])
                == "5 linear charged")
        // sized in contracts: whole lots of 0.01 contracts, about 10,000 x 5 / (0.01 x 40,000)
        let size = try #require(try f.base.scalar("select max(size) from backtest.trades where run_id = $1", [optRun]).flatMap(Double.init))
        #expect(size > 100 && (size * 100).rounded() == size * 100, "\(size)")
        #expect(try f.base.scalar("select count(*) from backtest.optimization_results where run_id = $1", [optRun]) == "4")
        // the grid itself was evaluated as contract runs: the best row's metrics are the run's
        #expect(approx(try f.base.scalar("select (metrics ->> 'final_equity') from backtest.optimization_results where run_id = $1 and is_best", [optRun]).flatMap(Double.init),
                       try f.base.scalar("select final_equity from backtest.metrics where run_id = $1", [singleRun]).flatMap(Double.init)))
        #expect(approx(opt["funding_paid"] as? Double, try f.base.scalar("select funding_paid from backtest.metrics where run_id = $1", [optRun]).flatMap(Double.init)))
    }

    @Test("walk-forward on a swap pays funding in its test windows only, and equals the engine run on the same market")
    func walkForwardPaysTestWindowFunding() async throws {
        let f = try SwapFixture()
        let out = try await f.base.run(WalkForwardHandler(), payload: """
            {\(SwapFixture.range), \(Self.grid), "train": "1 day", "test": "1 day", "objective": "final_equity", "leverage": 2}
            """).result
        let runID = try #require(out["run_id"] as? Int)
        // the same analysis in the engine, on the market read independently
        let candles = try f.base.candles(inst: SwapFixture.inst)
        let c = try f.base.connect()
        defer { c.close() }
        let funding = try c.query("""
            select (extract(epoch from funding_time) * 1000)::int8 as t, rate::float8 as r from market.funding_rates
             where inst_id = $1 and funding_time >= '2024-01-01Z' and funding_time < '2024-01-04Z' order by funding_time
            """, [SwapFixture.inst]).rows().map { FundingEvent(time: try $0.int64("t")!, rate: try $0.double("r")!) }
        let terms = ContractTerms(settlement: .linear, contractValue: 0.01, leverage: 2)
        let direct = try WalkForward.run(candles: candles, engine: .smaCross, grid: ["fast": [5, 10], "slow": [30, 60]],
                                         settings: RunSettings(capital: 10_000, lotSize: 0.01, contract: terms),
                                         objective: "final_equity", trainMs: 86_400_000, testMs: 86_400_000,
                                         market: ContractMarket(funding: funding))
        let summary = try #require(direct.contract)
        #expect(direct.windows.count == 2 && direct.windows.contains { !$0.trades.isEmpty })
        #expect(!summary.payments.isEmpty)
        let stored = try c.query("select (extract(epoch from funding_time) * 1000)::int8 as t, amount from backtest.funding_payments where run_id = $1 order by funding_time", [runID]).rows()
        #expect(stored.count == summary.payments.count)
        for (row, p) in zip(stored, summary.payments) {
            #expect(try row.int64("t") == p.time)
            #expect(try row.double("amount") == p.amount)
        }
        // nothing is paid before the first test window opens (2024-01-02 00:00)
        #expect(summary.payments.allSatisfy { $0.time >= 1_704_153_600_000 })
        #expect(approx(try f.base.scalar("select funding_paid from backtest.metrics where run_id = $1", [runID]).flatMap(Double.init),
                       summary.fundingPaid))
        #expect(approx(out["funding_paid"] as? Double, summary.fundingPaid), "the job result carries it too")
        #expect(try f.base.scalar("select final_equity from backtest.metrics where run_id = $1", [runID]) == "\(direct.metrics.finalEquity)")
        #expect(try f.base.scalar("select count(*) from backtest.walk_forward_windows where run_id = $1", [runID]) == "\(direct.windows.count)")
        #expect(try f.base.scalar("select leverage from backtest.run_contracts where run_id = $1", [runID]) == "2")
    }
}

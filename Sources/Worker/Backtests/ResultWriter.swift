import Backtest
import Foundation
import Postgres

/// What a stored run is: the run row's fields besides its results.
struct RunRecord: Sendable {
    var jobID: Int64?
    /// The job's attempt (Job.attempt): backtest.insert_run refuses a writer whose attempt is over.
    var attempt: Int?
    var kind: String
    var strategy: String?
    var engine: String
    /// Effective flat parameters, or nil (walk_forward, optimize without a winner).
    var params: [String: Double]?
    var payload: BacktestPayload
    var loaded: LoadedCandles
    var startedAt: Date
    var computeMs: Double
    var status: String = "succeeded"
    var note: String?
}

/// The results to store under one run.
struct RunResults: Sendable {
    var trades: [Trade]
    var curve: [EquityPoint]
    var metrics: Metrics?
}

/// Writes a run, its trades, equity and metrics (and optimisation or walk-forward rows) in one
/// transaction; trades and equity go through COPY. Statements are constants with $n parameters;
/// COPY rows are data, never SQL.
enum ResultWriter {
    /// One record with named fields (checked by backtest.insert_run, sql/0420), so no field can be
    /// bound in the wrong place; the function also replaces an earlier attempt's run of the same job.
    static let insertRun = "select backtest.insert_run($1::jsonb) as id"
    static let insertMetrics = """
        insert into backtest.metrics (run_id, final_equity, total_return_pct, cagr_pct, volatility_ann_pct, sharpe,
                                      sortino, calmar, max_drawdown_pct, max_drawdown_duration, n_trades, win_rate_pct,
                                      profit_factor, expectancy, avg_trade_pct, best_trade_pct, worst_trade_pct,
                                      exposure_pct, fees_paid, buy_hold_return_pct, bars, span_days, annualised_reliable)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
        """
    static let copyTrades = """
        copy backtest.trades (run_id, n, side, entry_time, entry_price, exit_time, exit_price, size, pnl, return_pct,
                              fees, exit_reason) from stdin
        """
    static let copyEquity = "copy backtest.equity (run_id, ts, equity, drawdown_pct) from stdin"
    static let setStoreMs = "update backtest.runs set store_ms = $2 where id = $1"

    /// Inserts the run row and its results on `c` (inside the caller's transaction); returns the run id.
    static func write(_ c: Connection, record r: RunRecord, results: RunResults) throws -> Int64 {
        let id = try c.query(insertRun, [try runJSON(r)]).first!.int64("id")!
        if !results.trades.isEmpty {
            try c.copyIn(copyTrades) { w in
                for t in results.trades {
                    try w.write("\(id)\t\(t.n)\t\(t.side.rawValue)\t\(ts(t.entryTime))\t\(t.entryPrice)\t\(ts(t.exitTime))\t"
                            + "\(t.exitPrice)\t\(t.size)\t\(t.pnl)\t\(t.returnPct)\t\(t.fees)\t\(t.exitReason.rawValue)\n")
                }
            }
        }
        if !results.curve.isEmpty {
            try c.copyIn(copyEquity) { w in
                for e in results.curve {
                    try w.write("\(id)\t\(ts(e.time))\t\(e.equity)\t\(e.drawdownPct)\n")
                }
            }
        }
        if let m = results.metrics {
            try c.query(insertMetrics, [
                id, m.finalEquity, m.totalReturnPct, m.cagrPct, m.volatilityAnnPct, m.sharpe, m.sortino, m.calmar,
                m.maxDrawdownPct, m.maxDrawdownDurationMs, m.nTrades, m.winRatePct, m.profitFactor, m.expectancy,
                m.avgTradePct, m.bestTradePct, m.worstTradePct, m.exposurePct, m.feesPaid, m.buyHoldReturnPct,
                m.bars, m.spanDays, m.annualisedReliable,
            ])
        }
        return id
    }

    /// The run row as the jsonb record backtest.insert_run takes: every field named, null spelled out.
    static func runJSON(_ r: RunRecord) throws -> String {
        let p = r.payload, l = r.loaded
        func orNull(_ v: Any?) -> Any { v ?? NSNull() }
        let record: [String: Any] = [
            "job_id": orNull(r.jobID), "attempt": orNull(r.attempt), "kind": r.kind, "strategy": orNull(r.strategy),
            "engine": r.engine, "params": orNull(r.params.map(BacktestJSON.params)), "inst_id": p.instID,
            "bar": p.bar, "from": p.from, "to": p.to, "fee_rate": p.feeRate, "slippage_bps": p.slippageBps,
            "capital": p.capital, "lot_size": p.lotSize, "candle_count": l.candles.count, "gap_count": l.gapCount,
            "missing_bars": l.missingBars, "resampled": l.resampled, "status": r.status, "note": orNull(r.note),
            "started_at": PostgresTime.format(r.startedAt), "load_ms": l.loadMs, "compute_ms": r.computeMs,
        ]
        return try BacktestJSON.text(record)
    }

    /// Records how long storing took, just before the commit.
    static func finish(_ c: Connection, runID: Int64, since started: UInt64) throws {
        let ms = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        try c.query(setStoreMs, [runID, ms])
    }

    /// Unix ms as timestamptz text.
    static func ts(_ ms: Int64) -> String { PostgresTime.formatMicros(ms * 1000) }

    // MARK: optimisation

    static let insertOptimization = """
        insert into backtest.optimizations (run_id, grid, fixed_params, objective, min_trades, combinations, skipped, best_n)
        values ($1, $2::jsonb, $3::jsonb, $4, $5, $6, $7, $8)
        """
    static let copyOptimizationResults = """
        copy backtest.optimization_results (run_id, n, params, objective_value, eligible, rank, is_best, metrics) from stdin
        """

    /// Stores every combination with its rank by the objective (ties to the earliest row).
    static func writeOptimization(_ c: Connection, runID: Int64, payload: BacktestPayload,
                                  result: OptimizationResult) throws {
        let objective = result.objective
        let lower = Metrics.lowerIsBetter(objective)
        let minTrades = payload.minTrades ?? 0
        var values: [Double?] = []
        values.reserveCapacity(result.rows.count)
        var eligible: [Int] = []
        for (i, row) in result.rows.enumerated() {
            let v = try row.metrics.value(named: objective)
            values.append(v)
            if v != nil && row.metrics.nTrades >= minTrades { eligible.append(i) }
        }
        eligible.sort { a, b in
            let va = values[a]!, vb = values[b]!
            if va != vb { return lower ? va < vb : va > vb }
            return a < b
        }
        var rank = [Int?](repeating: nil, count: result.rows.count)
        for (r, i) in eligible.enumerated() { rank[i] = r + 1 }
        let grid = try BacktestJSON.text(payload.flatGrid.mapValues { $0.map(BacktestJSON.number) })
        let fixed = try BacktestJSON.text(BacktestJSON.params(payload.flatParams))
        try c.query(insertOptimization, [
            runID, grid, fixed, objective, minTrades, Optimizer.combinationCount(payload.flatGrid), result.skipped,
            result.bestIndex.map { $0 + 1 },
        ])
        try c.copyIn(copyOptimizationResults) { w in
            for (i, row) in result.rows.enumerated() {
                let params = CopyInWriter.escapeText(try BacktestJSON.text(BacktestJSON.params(row.params)))
                let metrics = CopyInWriter.escapeText(try BacktestJSON.text(BacktestJSON.metrics(row.metrics)))
                let value = values[i].map { "\($0)" } ?? "\\N"
                let r = rank[i].map { "\($0)" } ?? "\\N"
                let isEligible = rank[i] != nil ? "t" : "f"
                let best = result.bestIndex == i ? "t" : "f"
                try w.write("\(runID)\t\(i + 1)\t\(params)\t\(value)\t\(isEligible)\t\(r)\t\(best)\t\(metrics)\n")
            }
        }
    }

    // MARK: walk-forward

    static let insertWalkForward = """
        insert into backtest.walk_forwards (run_id, mode, train, test, grid, fixed_params, objective, min_trades,
                                            in_sample_cagr_pct, out_of_sample_cagr_pct, efficiency)
        values ($1, $2, $3::interval, $4::interval, $5::jsonb, $6::jsonb, $7, $8, $9, $10, $11)
        """
    static let insertWindow = """
        insert into backtest.walk_forward_windows (run_id, n, train_from, train_to, test_from, test_to, params, skipped,
                                                   in_sample, out_of_sample)
        values ($1, $2, $3::timestamptz, $4::timestamptz, $5::timestamptz, $6::timestamptz, $7::jsonb, $8, $9::jsonb, $10::jsonb)
        """

    static func writeWalkForward(_ c: Connection, runID: Int64, payload: BacktestPayload,
                                 result: WalkForwardResult) throws {
        let grid = try BacktestJSON.text(payload.flatGrid.mapValues { $0.map(BacktestJSON.number) })
        let fixed = try BacktestJSON.text(BacktestJSON.params(payload.flatParams))
        try c.query(insertWalkForward, [
            runID, payload.mode ?? "rolling", payload.train ?? "\(payload.trainMs ?? 0) milliseconds",
            payload.test ?? "\(payload.testMs ?? 0) milliseconds", grid, fixed, payload.objective ?? "sharpe",
            payload.minTrades ?? 0, result.inSampleAnnualisedReturnPct, result.outOfSampleAnnualisedReturnPct,
            result.efficiency,
        ])
        for (i, w) in result.windows.enumerated() {
            try c.query(insertWindow, [
                runID, i + 1, ts(w.trainStart), ts(w.trainEnd), ts(w.testStart), ts(w.testEnd),
                try w.params.map { try BacktestJSON.text(BacktestJSON.params($0)) }, w.skipped,
                try w.inSample.map { try BacktestJSON.text(BacktestJSON.metrics($0)) },
                try w.outOfSample.map { try BacktestJSON.text(BacktestJSON.metrics($0)) },
            ])
        }
    }
}

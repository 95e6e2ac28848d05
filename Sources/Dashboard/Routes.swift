import Foundation
import Postgres

/// The dashboard's pages by path. Each reads only schema bi (views and its functions) with
/// parameterized statements; the same Page answers the HTML path and its /api/ twin.
enum Routes {
    static let kinds = ["backtest", "optimize", "walk_forward"]
    static let jobStatuses = ["queued", "running", "succeeded", "failed", "cancelled"]

    /// The page at `path` (without the /api prefix), or a refusal (404 unknown path, 400 bad parameter).
    static func page(path: String, query: [(name: String, value: String)]) throws(Refusal) -> Page {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch parts.count {
        case 0: return try overview(QueryParameters(query, allowed: []))
        case 1:
            switch parts[0] {
            case "coins": return try coins(QueryParameters(query, allowed: ["limit", "quote"]))
            case "backtests": return try backtests(QueryParameters(query, allowed: ["instrument", "bar", "engine", "kind", "from", "to", "limit", "compare"],
                                                                   repeatable: ["compare"]))
            case "activity": return try activity(QueryParameters(query, allowed: ["status", "kind", "limit"]))
            case "strategies": return try strategies(QueryParameters(query, allowed: []))
            default: break
            }
        case 2:
            switch parts[0] {
            case "runs": return try RunPage.page(id: pathID(parts[1], what: "run"), QueryParameters(query, allowed: Set(["from", "to"] + TradesTable.parameters)))
            case "jobs": return try job(id: pathID(parts[1], what: "job"), QueryParameters(query, allowed: []))
            case "coins": return try coin(parts[1], QueryParameters(query, allowed: ["bar", "from", "to"]))
            case "optimizations": return try OptimizationPage.page(id: pathID(parts[1], what: "optimization run"),
                                                                   QueryParameters(query, allowed: ["x", "y", "metric"]))
            case "walk-forward": return try walkForward(id: pathID(parts[1], what: "walk-forward run"), QueryParameters(query, allowed: []))
            default: break
            }
        default: break
        }
        throw .notFound("no page at \(QueryParameters.clip(path)); pages: / /coins /activity /backtests /strategies /runs/ID /jobs/ID /optimizations/ID /walk-forward/ID")
    }

    static func overview(_ q: QueryParameters) -> Page {
        Page(title: "Overview", intro: "Workers alive, queue depth by kind and status, failing schedules, freshness and holes of every watchlist series.", sections: [
            Section(name: "workers", title: "Workers alive",
                    sql: "select worker_id, host, pid, kinds, started_at, last_seen from bi.workers where is_alive order by worker_id", parameters: []),
            Section(name: "queue", title: "Queue by kind",
                    sql: """
                    select kind, enabled, queued_now, scheduled, running, succeeded_24h, failed_24h, cancelled_24h,
                           oldest_queued_age, run_time_p50_1h, run_time_p95_1h
                      from bi.queue_health order by kind
                    """, parameters: []),
            Section(name: "failing_schedules", title: "Failing schedules",
                    sql: """
                    select name, kind, enabled, every, failures, keeps_failing, failing_since, last_failed_at, retry_at, last_error
                      from bi.failing_schedules order by keeps_failing desc, failures desc, name
                    """, parameters: []),
            Section(name: "coverage", title: "Freshness and coverage (as of the last view refresh)",
                    sql: """
                    select instrument, bar, enabled, first_candle, last_candle, minutes_since_newest,
                           present_count, expected_count, gap_count
                      from bi.data_coverage order by instrument, bar
                    """, parameters: []),
        ])
    }

    static func coins(_ q: QueryParameters) throws(Refusal) -> Page {
        let limit = try q.int("limit", in: 1...1000, default: 100)
        let quote = try q.word("quote")
        return Page(title: "Coins", intro: "Listed spot pairs by 24 h quote volume (as of the last view refresh).", sections: [
            Section(name: "coins", title: "Top coins",
                    sql: """
                    select rank, instrument, base_currency, quote_currency, last_price, change_24h_percent,
                           quote_volume_24h, base_volume_24h, ticker_time
                      from bi.top_coins where ($1::text is null or quote_currency = $1)
                     order by rank, instrument limit $2
                    """, parameters: [quote, limit], table: false),
            Sparklines.section(quote: quote, limit: limit),
        ], extra: { f throws(Refusal) in
            "<h2>Top coins</h2>\n" + (f["coins"].map { HTML.table("coins", $0, appended: ("24 h", "instrument", Sparklines.cells(f["sparklines"]))) } ?? "")
        })
    }

    static func coin(_ instrument: String, _ q: QueryParameters) throws(Refusal) -> Page {
        guard instrument.count <= 64, instrument.range(of: #"^[A-Z0-9]+(-[A-Z0-9]+)+$"#, options: .regularExpression) != nil else {
            throw .notFound("instrument must look like BTC-USDT, got \"\(QueryParameters.clip(instrument))\"")
        }
        let bar = try q.word("bar") ?? "1m"
        let from = try q.date("from"), to = try q.date("to")
        return Page(title: instrument, intro: "Candles at \(bar), folded per pixel (first open, highest high, lowest low, last close).", sections: [
            Section(name: "instrument", title: "Instrument",
                    sql: "select * from bi.instruments where instrument = $1", parameters: [instrument]),
            Section(name: "candles", title: "Candles",
                    sql: """
                    with r as (select coalesce($3::timestamptz, min(open_time)) as f,
                                      coalesce($4::timestamptz, max(open_time) + interval '1 second') as t
                                 from bi.candles where instrument = $1 and bar = $2)
                    select b.* from r, bi.chart_candle_buckets($1, $2, r.f, r.t, 800) as b where r.f is not null
                    """, parameters: [instrument, bar, from, to], table: false),
        ], extra: { f throws(Refusal) in RunPage.candleChart(f["candles"], trades: []) },
           mustExist: ("candles", "no candles of \(instrument) at bar \(bar) in that range"))
    }

    static func backtests(_ q: QueryParameters) throws(Refusal) -> Page {
        let kind = try q.choice("kind", kinds) ?? "backtest"
        let instrument = try q.word("instrument"), bar = try q.word("bar"), engine = try q.word("engine")
        let from = try q.date("from"), to = try q.date("to")
        let limit = try q.int("limit", in: 1...1000, default: 100)
        let compare = try CompareView.ids(q.text("compare"))
        let tabs = kinds.map { k in k == kind ? "<b>\(k)</b>" : "<a href=\"/backtests?kind=\(k)\">\(k)</a>" }.joined(separator: " · ")
        return Page(title: "Backtests", intro: "Stored results of one kind at a time (runs of different kinds are never ranked together), ranked by Sharpe per instrument and bar.", sections: [
            Section(name: "runs", title: "Leaderboard (\(kind))",
                    sql: """
                    select rank() over (partition by inst_id, bar order by sharpe desc nulls last, run_id) as rank,
                           run_id, kind, strategy, engine, params, inst_id as instrument, bar, from_ts as from_time, to_ts as to_time,
                           total_return_pct, buy_hold_return_pct, cagr_pct, sharpe, sortino, max_drawdown_pct, n_trades,
                           win_rate_pct, profit_factor, exposure_pct, annualised_reliable, has_gaps, finished_at
                      from bi.backtest_leaderboard
                     where kind = $1 and ($2::text is null or inst_id = $2) and ($3::text is null or bar = $3)
                       and ($4::text is null or engine = $4) and ($5::timestamptz is null or from_ts >= $5)
                       and ($6::timestamptz is null or to_ts <= $6)
                     order by inst_id, bar, rank, run_id limit $7
                    """, parameters: [kind, instrument, bar, engine, from, to, limit]),
        ] + (compare.isEmpty ? [] : [CompareView.section(compare)]), extra: { f throws(Refusal) in
            (compare.isEmpty ? "" : try CompareView.html(f["compare"], ids: compare)) + CompareView.form(kind: kind) + """
            <p class="tabs">Kind: \(tabs)</p>
            <form method="get" action="/backtests" class="filters">
            <input type="hidden" name="kind" value="\(HTML.escape(kind))">
            <label>instrument <input name="instrument" value="\(HTML.escape(instrument ?? ""))"></label>
            <label>bar <input name="bar" size="4" value="\(HTML.escape(bar ?? ""))"></label>
            <label>engine <input name="engine" value="\(HTML.escape(engine ?? ""))"></label>
            <label>from <input name="from" type="date" value="\(HTML.escape(String((from ?? "").prefix(10))))"></label>
            <label>to <input name="to" type="date" value="\(HTML.escape(String((to ?? "").prefix(10))))"></label>
            <button>Filter</button></form>

            """
        })
    }

    static func activity(_ q: QueryParameters) throws(Refusal) -> Page {
        let status = try q.choice("status", jobStatuses), kind = try q.word("kind")
        let limit = try q.int("limit", in: 1...1000, default: 100)
        return Page(title: "Activity", intro: "Jobs, newest first; running jobs' progress bars move as workers report (no reload).", sections: [
            Section(name: "jobs", title: "Jobs",
                    sql: """
                    select job_id, kind, status, progress, progress_message, attempts, max_attempts, worker_id, parent_id,
                           created_at, started_at, finished_at, last_error
                      from bi.jobs where ($1::text is null or status = $1) and ($2::text is null or kind = $2)
                     order by job_id desc limit $3
                    """, parameters: [status, kind, limit]),
        ])
    }

    static func job(id: Int64, _ q: QueryParameters) -> Page {
        Page(title: "Job \(id)", sections: [
            Section(name: "job", title: "Job", sql: "select * from bi.jobs where job_id = $1", parameters: [id]),
            Section(name: "children", title: "Children",
                    sql: "select job_id, kind, status, progress, progress_message, created_at, finished_at, last_error from bi.jobs where parent_id = $1 order by job_id",
                    parameters: [id]),
            Section(name: "runs", title: "Runs stored by this job",
                    sql: "select run_id, kind, engine, instrument, bar, total_return_pct, sharpe, n_trades from bi.backtest_runs where job_id = $1 order by run_id",
                    parameters: [id]),
        ], mustExist: ("job", "job \(id) not found"))
    }

    static func strategies(_ q: QueryParameters) -> Page {
        Page(title: "Strategies", intro: "The engines a backtest can run, with their parameters and rules, and the named strategies.", sections: [
            Section(name: "engines", title: "Engines",
                    sql: "select engine, parameters, rules, description from bi.strategy_engines order by ordinal", parameters: []),
            Section(name: "strategies", title: "Named strategies",
                    sql: "select name, engine, params, description, updated_at from bi.strategies order by name", parameters: []),
        ])
    }

    static func walkForward(id: Int64, _ q: QueryParameters) -> Page {
        Page(title: "Walk-forward \(id)", intro: "Each window's in-sample winner and its out-of-sample result; the chart is the stitched out-of-sample equity.", sections: [
            Section(name: "windows", title: "Windows",
                    sql: """
                    select window_n, train_from, train_to, test_from, test_to, params, window_in_sample_cagr_pct,
                           window_in_sample_sharpe, window_out_of_sample_return_pct, window_out_of_sample_sharpe,
                           window_out_of_sample_trades, efficiency, mean_in_sample_cagr_pct, out_of_sample_cagr_pct
                      from bi.walk_forward_results where run_id = $1 order by window_n
                    """, parameters: [id]),
            Section(name: "equity", title: "Stitched out-of-sample equity",
                    sql: "select time, equity, drawdown_pct from bi.backtest_equity where run_id = $1 order by time",
                    parameters: [id], table: false),
        ], extra: { f throws(Refusal) in
            var h = ""
            if let w = f["windows"]?.first, let e = try? w.string("efficiency") {
                h += "<p class=\"big\">Walk-forward efficiency: <b>\(HTML.escape(e ?? "n/a"))</b> (out-of-sample CAGR / mean in-sample CAGR; near 1 held up, near 0 overfitted)</p>\n"
            }
            let curve = RunPage.curve(f["equity"])
            return h + BacktestChartsHTML.equity(curve, trades: [])
        }, mustExist: ("windows", "walk-forward run \(id) not found"))
    }
}

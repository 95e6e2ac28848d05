import Backtest
import BacktestReport
import Foundation
import Postgres

/// Charts drawn with BacktestReport's one chart implementation (the same code as `candlestack report`).
enum BacktestChartsHTML {
    static func equity(_ curve: [EquityPoint], trades: [Trade]) -> String {
        "<h2>Equity</h2>\n" + Charts.equity(curve, trades: trades) + "<h2>Drawdown</h2>\n" + Charts.drawdown(curve)
    }
}

/// `/runs/ID`: settings, metrics with plain names and units, candles of the run's range with every
/// entry and exit, equity with drawdown, and the trades (sortable). Candles are folded per pixel by
/// bi.candle_buckets (800 buckets), so a million-candle run stays a small page; `?from=&to=` zooms
/// into a range at full detail once it holds fewer candles than buckets.
enum RunPage {
    static let buckets = 800

    static func page(id: Int64, _ q: QueryParameters) throws(Refusal) -> Page {
        let from = try q.date("from"), to = try q.date("to")
        return Page(title: "Run \(id)", sections: [
            Section(name: "run", title: "Run", sql: "select * from bi.backtest_runs where run_id = $1", parameters: [id], table: false),
            Section(name: "candles", title: "Candles",
                    sql: """
                    with r as (select instrument, bar, greatest(from_time, coalesce($2::timestamptz, from_time)) as f,
                                      least(to_time, coalesce($3::timestamptz, to_time)) as t
                                 from bi.backtest_runs where run_id = $1),
                         b as (select case when exists (select 1 from bi.candles as c where c.instrument = r.instrument
                                                           and c.bar = r.bar and c.open_time >= r.f and c.open_time < r.t)
                                           then r.bar else '1m' end as bar from r)
                    select x.* from r, b, bi.candle_buckets(r.instrument, b.bar, r.f, r.t, $4) as x where r.f < r.t
                    """, parameters: [id, from, to, buckets], table: false),
            Section(name: "equity", title: "Equity",
                    sql: "select time, equity, drawdown_pct from bi.backtest_equity where run_id = $1 order by time",
                    parameters: [id], table: false),
            Section(name: "trades", title: "Trades",
                    sql: """
                    select n, side, entry_time, entry_price, exit_time, exit_price, size, pnl, return_pct, fees, exit_reason
                      from bi.backtest_trades where run_id = $1 order by n
                    """, parameters: [id]),
        ], extra: { f throws(Refusal) in
            guard let run = f["run"] else { return "" }
            let trades = Self.trades(f["trades"])
            var h = "<h2>Candles and trades</h2>\n" + candleChart(f["candles"], trades: trades)
            h += "<p class=\"muted\">Zoom: add <code>?from=YYYY-MM-DD&amp;to=YYYY-MM-DD</code>; a range under \(buckets) candles shows every candle.</p>\n"
            h += "<div class=\"cols\"><div><h2>Metrics</h2>\n" + HTML.namedValues("metrics", run, MetricNames.all)
            h += "</div><div><h2>Settings</h2>\n" + HTML.namedValues("settings", run, MetricNames.settings) + "</div></div>\n"
            if (try? run.first?.string("kind")) == "optimize" {
                h += "<p><a href=\"/optimizations/\(id)\">Optimization heatmap</a></p>\n"
            } else if (try? run.first?.string("kind")) == "walk_forward" {
                h += "<p><a href=\"/walk-forward/\(id)\">Walk-forward windows</a></p>\n"
            }
            h += BacktestChartsHTML.equity(curve(f["equity"]), trades: trades)
            return h
        }, mustExist: ("run", "run \(id) not found"))
    }

    static func candleChart(_ result: QueryResult?, trades: [Trade]) -> String {
        Charts.candles(candles(result), trades: trades)
    }

    static func candles(_ result: QueryResult?) -> [ChartCandle] {
        guard let result else { return [] }
        return result.rows().compactMap { r in
            guard let t = try? r.unixMillis("open_time"), let lt = try? r.unixMillis("last_open_time"),
                  let o = try? r.double("open"), let h = try? r.double("high"), let l = try? r.double("low"),
                  let c = try? r.double("close") else { return nil }
            return ChartCandle(time: t, lastTime: lt, open: o, high: h, low: l, close: c, volume: (try? r.double("volume")) ?? 0)
        }
    }

    static func curve(_ result: QueryResult?) -> [EquityPoint] {
        guard let result else { return [] }
        return result.rows().compactMap { r in
            guard let t = try? r.unixMillis("time"), let e = try? r.double("equity"), let d = try? r.double("drawdown_pct") else { return nil }
            return EquityPoint(time: t, equity: e, drawdownPct: d)
        }
    }

    static func trades(_ result: QueryResult?) -> [Trade] {
        guard let result else { return [] }
        return result.rows().compactMap { r in
            guard let n = try? r.int("n"), let side = (try? r.string("side")).flatMap(Side.init(rawValue:)),
                  let et = try? r.unixMillis("entry_time"), let ep = try? r.double("entry_price"),
                  let xt = try? r.unixMillis("exit_time"), let xp = try? r.double("exit_price"),
                  let reason = (try? r.string("exit_reason")).flatMap(ExitReason.init(rawValue:)) else { return nil }
            return Trade(n: n, side: side, entryTime: et, entryPrice: ep, exitTime: xt, exitPrice: xp,
                         size: (try? r.double("size")) ?? 0, pnl: (try? r.double("pnl")) ?? 0,
                         returnPct: (try? r.double("return_pct")) ?? 0, fees: (try? r.double("fees")) ?? 0,
                         exitReason: reason, entryIndex: 0, exitIndex: 0)
        }
    }
}

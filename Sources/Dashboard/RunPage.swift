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
/// entry and exit, equity with drawdown, and the trades (100 a page, sorted by the database:
/// TradesTable). Candles are folded per pixel by bi.chart_candle_buckets (at most 800 buckets), so
/// a million-candle run stays a small page; `?from=&to=` zooms into a range at full detail once it
/// holds fewer candles than buckets.
enum RunPage {
    static let buckets = ChartQueries.buckets

    static func page(id: Int64, _ q: QueryParameters) throws(Refusal) -> Page {
        let from = try q.date("from"), to = try q.date("to")
        let table = try TradesTable(q)
        return Page(title: "Run \(id)", sections: [
            Section(name: "run", title: "Run", sql: "select * from bi.backtest_runs where run_id = $1", parameters: [id], table: false),
            Section(name: "candles", title: "Candles", sql: ChartQueries.runCandleBuckets,
                    parameters: [id, from, to, buckets], table: false),
            Section(name: "indicator_candles", title: "Candles the indicators are computed from", sql: ChartQueries.runIndicatorCandles,
                    parameters: [id, ChartQueries.indicatorCandleLimit], table: false, api: false),
            Section(name: "equity", title: "Equity",
                    sql: "select time, equity, drawdown_pct from bi.backtest_equity where run_id = $1 order by time",
                    parameters: [id], table: false),
            // Every trade: the chart markers and the JSON twin; the HTML table shows one page (TradesTable).
            Section(name: "trades", title: "Trades",
                    sql: """
                    select n, side, entry_time, entry_price, exit_time, exit_price, size, pnl, return_pct, fees, exit_reason
                      from bi.backtest_trades where run_id = $1 order by n
                    """, parameters: [id], table: false),
            Section(name: "trades_page", title: "Trades", sql: TradesTable.sql,
                    parameters: [id, table.sort, table.descending, table.pageSize, table.page], table: false, api: false),
        ], extra: { f throws(Refusal) in
            guard let run = f["run"] else { return "" }
            let trades = Self.trades(f["trades"])
            let chart = candles(f["candles"])
            let indicators = IndicatorLines.lines(engine: (try? run.first?.string("engine")) ?? "", params: params(run),
                                                  candles: fullCandles(f["indicator_candles"]), at: chart)
            var h = Charts.candleSection(chart, trades: trades, indicators: indicators)
            if indicators.isEmpty, let count = try? run.first?.int64("candle_count"), count > Int64(ChartQueries.indicatorCandleLimit) {
                h += "<p class=\"muted\">Indicators are drawn for runs of up to \(ChartQueries.indicatorCandleLimit) candles.</p>\n"
            }
            h += "<p class=\"muted\">Zoom: add <code>?from=YYYY-MM-DD&amp;to=YYYY-MM-DD</code>; a range under \(buckets) candles shows every candle.</p>\n"
            h += "<div class=\"cols\"><div><h2>Metrics</h2>\n" + HTML.namedValues("metrics", run, MetricNames.all)
            h += "</div><div><h2>Settings</h2>\n" + HTML.namedValues("settings", run, MetricNames.settings) + "</div></div>\n"
            if (try? run.first?.string("kind")) == "optimize" {
                h += "<p><a href=\"/optimizations/\(id)\">Optimization heatmap</a></p>\n"
            } else if (try? run.first?.string("kind")) == "walk_forward" {
                h += "<p><a href=\"/walk-forward/\(id)\">Walk-forward windows</a></p>\n"
            }
            h += BacktestChartsHTML.equity(curve(f["equity"]), trades: trades)
            h += table.html(f["trades_page"], total: f["trades"]?.count ?? 0, zoom: (q.text("from"), q.text("to")))
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

    /// The run's flat parameters (engine parameters and options) from its `params` jsonb.
    static func params(_ run: QueryResult) -> [String: Double] {
        guard let text = try? run.first?.string("params"),
              let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        return object.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }

    /// Full-detail candles (ChartQueries.runIndicatorCandles rows) as the engine's columns.
    static func fullCandles(_ result: QueryResult?) -> Candles {
        var t: [Int64] = [], o: [Double] = [], h: [Double] = [], l: [Double] = [], c: [Double] = [], v: [Double] = []
        for r in result?.rows() ?? [] {
            guard let time = try? r.int64("t"), let cl = try? r.double("close") else { continue }
            t.append(time); c.append(cl); o.append((try? r.double("open")) ?? cl)
            h.append((try? r.double("high")) ?? cl); l.append((try? r.double("low")) ?? cl)
            v.append((try? r.double("volume")) ?? 0)
        }
        return Candles(unchecked: t, open: o, high: h, low: l, close: c, volume: v)
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

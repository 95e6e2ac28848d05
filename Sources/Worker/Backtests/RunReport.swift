import Backtest
import BacktestReport
import Foundation
import Postgres

/// Builds the HTML report of a stored run (`candlestack report RUN`) from its rows in backtest.*.
public enum RunReport {
    static let runQuery = """
        select r.kind, r.engine, coalesce(r.params, '{}')::text as params, r.inst_id, r.bar, r.strategy, r.status
          from backtest.runs as r where r.id = $1
        """
    static let metricsQuery = "select to_jsonb(m) - 'run_id' as m from backtest.metrics as m where m.run_id = $1"
    static let equityQuery = """
        select (extract(epoch from e.ts) * 1000)::int8 as t, e.equity, e.drawdown_pct
          from backtest.equity as e where e.run_id = $1 order by e.ts
        """
    static let tradesQuery = """
        select t.n, t.side, (extract(epoch from t.entry_time) * 1000)::int8 as entry_ms, t.entry_price,
               (extract(epoch from t.exit_time) * 1000)::int8 as exit_ms, t.exit_price, t.size, t.pnl, t.return_pct,
               t.fees, t.exit_reason
          from backtest.trades as t where t.run_id = $1 order by t.n
        """

    /// The report input of run `runID`; throws when there is no such run.
    public static func input(_ c: Connection, runID: Int64) throws -> ReportInput {
        guard let run = try c.query(runQuery, [runID]).first else {
            throw PostgresError(kind: .client, message: "backtest run \(runID) does not exist")
        }
        let engine = try run.string("engine") ?? ""
        let inst = try run.string("inst_id") ?? ""
        let bar = try run.string("bar") ?? ""
        let kind = try run.string("kind") ?? ""
        let params = try BacktestJSON.decodeParams(try run.string("params") ?? "{}")
        var metrics: [(name: String, value: Double?)] = []
        if let text = try c.query(metricsQuery, [runID]).first?.string("m"),
           let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] {
            for name in Metrics.names + ["span_days", "annualised_reliable", "bars"] {
                switch object[name] {
                case let b as Bool: metrics.append((name, b ? 1 : 0))
                case let n as NSNumber: metrics.append((name, n.doubleValue))
                default: metrics.append((name, nil))
                }
            }
        }
        let curve = try c.query(equityQuery, [runID]).rows().map { r in
            EquityPoint(time: try r.int64("t") ?? 0, equity: try r.double("equity") ?? 0,
                        drawdownPct: try r.double("drawdown_pct") ?? 0)
        }
        let trades = try c.query(tradesQuery, [runID]).rows().map { r in
            Trade(n: try r.int("n") ?? 0, side: Side(rawValue: try r.string("side") ?? "") ?? .long,
                  entryTime: try r.int64("entry_ms") ?? 0, entryPrice: try r.double("entry_price") ?? 0,
                  exitTime: try r.int64("exit_ms") ?? 0, exitPrice: try r.double("exit_price") ?? 0,
                  size: try r.double("size") ?? 0, pnl: try r.double("pnl") ?? 0, returnPct: try r.double("return_pct") ?? 0,
                  fees: try r.double("fees") ?? 0, exitReason: ExitReason(rawValue: try r.string("exit_reason") ?? "") ?? .open,
                  entryIndex: 0, exitIndex: 0)
        }
        let name = try run.string("strategy").map { " \"\($0)\"" } ?? ""
        let candles = try chartCandles(c, runID: runID)
        return ReportInput(title: "Run \(runID): \(kind) \(engine)\(name) on \(inst) \(bar)", engine: engine,
                           params: params, instrument: inst, bar: bar, metrics: metrics, curve: curve, trades: trades,
                           candles: candles,
                           indicators: IndicatorLines.lines(engine: engine, params: params,
                                                            candles: try indicatorCandles(c, runID: runID), at: candles))
    }

    /// The run's candles folded per pixel, as the dashboard's run page loads them (ChartQueries).
    static func chartCandles(_ c: Connection, runID: Int64) throws -> [ChartCandle] {
        try c.query(ChartQueries.runCandleBuckets, [runID, String?.none, String?.none, ChartQueries.buckets]).rows().map { r in
            ChartCandle(time: try r.unixMillis("open_time") ?? 0, lastTime: try r.unixMillis("last_open_time") ?? 0,
                        open: try r.double("open") ?? 0, high: try r.double("high") ?? 0, low: try r.double("low") ?? 0,
                        close: try r.double("close") ?? 0, volume: try r.double("volume") ?? 0)
        }
    }

    /// The full-detail candles the engine read, for the indicators (empty past the limit or when resampled).
    static func indicatorCandles(_ c: Connection, runID: Int64) throws -> Candles {
        let rows = try c.query(ChartQueries.runIndicatorCandles, [runID, ChartQueries.indicatorCandleLimit]).rows()
        var t: [Int64] = [], o: [Double] = [], h: [Double] = [], l: [Double] = [], cl: [Double] = [], v: [Double] = []
        for r in rows {
            t.append(try r.int64("t") ?? 0); o.append(try r.double("open") ?? 0); h.append(try r.double("high") ?? 0)
            l.append(try r.double("low") ?? 0); cl.append(try r.double("close") ?? 0); v.append(try r.double("volume") ?? 0)
        }
        return Candles(unchecked: t, open: o, high: h, low: l, close: cl, volume: v)
    }

    /// The self-contained HTML page of run `runID`, with its contract section (RunReport+Contract.swift).
    public static func html(_ c: Connection, runID: Int64) throws -> String {
        var page = try input(c, runID: runID)
        page.contract = try contract(c, runID: runID)
        return ReportPage.html(page)
    }
}

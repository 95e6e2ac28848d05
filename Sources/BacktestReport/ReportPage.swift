import Backtest
import Foundation

/// What a report shows; built from a `BacktestResult` or from stored rows.
public struct ReportInput: Sendable {
    public var title: String
    public var engine: String
    public var params: [String: Double]
    public var instrument: String
    /// Contract terms, funding and liquidations of a swap or future run; nil for spot (ReportPage+Contract.swift).
    public var contract: ContractReport? = nil
    public var bar: String
    /// (name, value) rows, e.g. `Metrics.rows`; nil shows as "n/a".
    public var metrics: [(name: String, value: Double?)]
    /// Equity curve (downsampled), oldest first.
    public var curve: [EquityPoint]
    public var trades: [Trade]
    /// Candles of the run's range folded per pixel (as bi.candle_buckets returns them); none: no candle chart.
    public var candles: [ChartCandle]
    /// The strategy's indicators, one value per entry of `candles` (see `IndicatorLines`).
    public var indicators: [ChartLine]

    public init(title: String, engine: String, params: [String: Double], instrument: String, bar: String,
                metrics: [(name: String, value: Double?)], curve: [EquityPoint], trades: [Trade],
                candles: [ChartCandle] = [], indicators: [ChartLine] = []) {
        self.title = title; self.engine = engine; self.params = params; self.instrument = instrument
        self.bar = bar; self.metrics = metrics; self.curve = curve; self.trades = trades
        self.candles = candles; self.indicators = indicators
    }

    /// Report input of a run: engine and parameters (options included) from its spec.
    public init(result: BacktestResult, instrument: String, bar: String, title: String? = nil) {
        let p = result.spec.flatParameters
        self.init(title: title ?? "\(result.spec.engine.rawValue) on \(instrument) \(bar)",
                  engine: result.spec.engine.rawValue, params: p, instrument: instrument, bar: bar,
                  metrics: result.metrics.rows, curve: result.curve, trades: result.trades)
    }
}

/// A self-contained HTML page of one run: header, metrics table (plain names), the candle chart
/// with the strategy's indicators and the trades marked (when the input carries candles), equity
/// and drawdown charts (inline SVG, ids `candle-chart`, `equity-chart` and `drawdown-chart`) and
/// the trades table. No network: no external scripts, styles or fonts. All text is escaped.
public enum ReportPage {
    /// The page for `input`.
    public static func html(_ input: ReportInput) -> String {
        let range = input.curve.isEmpty ? "no bars"
            : "\(time(input.curve.first!.time)) to \(time(input.curve.last!.time))"
        let params = input.params.keys.sorted().map { "\($0)=\(number(input.params[$0]!))" }.joined(separator: ", ")
        var h = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <title>\(escape(input.title))</title>
        <style>
        body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#222}
        table{border-collapse:collapse;font-size:13px;margin:8px 0 24px}
        td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}th{background:#f4f4f4}
        td:first-child,th:first-child{text-align:left}
        .muted{color:#777}svg{display:block;margin:8px 0 24px;background:#fcfcfc;border:1px solid #eee}
        </style></head><body>
        <h1>\(escape(input.title))</h1>
        <p><b>Engine</b> \(escape(input.engine)) &middot; <b>Params</b> \(escape(params.isEmpty ? "none" : params))
        &middot; <b>Instrument</b> \(escape(input.instrument)) &middot; <b>Bar</b> \(escape(input.bar))
        &middot; <b>Range</b> \(escape(range)) (UTC)</p>
        <h2>Metrics</h2>
        <table id="metrics"><tr><th>metric</th><th>value</th></tr>

        """
        for m in input.metrics {
            var shown = m.value.map(number) ?? "<span class=\"muted\">n/a</span>"
            if m.name == "max_drawdown_duration", let v = m.value { shown += String(format: " ms (%.1f days)", v / 86_400_000) }
            let plain = MetricNames.plain(m.name)
            if m.name == "annualised_reliable", let v = m.value { shown = v == 1 ? "yes" : "no" }
            if let unit = plain?.unit, !unit.isEmpty, m.value != nil, m.name != "max_drawdown_duration" { shown += " \(escape(unit))" }
            h += "<tr><td title=\"\(escape(m.name))\">\(escape(plain?.name ?? m.name))</td><td>\(shown)</td></tr>\n"
        }
        h += "</table>\n"
        if !input.candles.isEmpty { h += Charts.candleSection(input.candles, trades: input.trades, indicators: input.indicators) }
        h += "<h2>Equity</h2>\n"
        h += Charts.equity(input.curve, trades: input.trades)
        h += "<h2>Drawdown</h2>\n"
        h += Charts.drawdown(input.curve)
        h += contractSection(input.contract)
        h += "<h2>Trades (\(input.trades.count))</h2>\n<table id=\"trades\"><tr><th>#</th><th>side</th><th>entry time</th>"
        h += "<th>entry price</th><th>exit time</th><th>exit price</th><th>size</th><th>pnl</th><th>return %</th>"
        h += "<th>fees</th><th>exit reason</th></tr>\n"
        for t in input.trades {
            let cells = ["\(t.n)", t.side.rawValue, time(t.entryTime), number(t.entryPrice), time(t.exitTime),
                         number(t.exitPrice), number(t.size), number(t.pnl), number(t.returnPct), number(t.fees),
                         t.exitReason.rawValue]
            h += "<tr>" + cells.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n"
        }
        h += "</table>\n</body></html>\n"
        return h
    }

    /// The page for a run (see `ReportInput.init(result:instrument:bar:title:)`).
    public static func html(result: BacktestResult, instrument: String, bar: String, title: String? = nil) -> String {
        html(ReportInput(result: result, instrument: instrument, bar: bar, title: title))
    }

    /// Escapes `& < > " '` for HTML text and attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Unix ms as `yyyy-MM-dd HH:mm` UTC.
    public static func time(_ ms: Int64) -> String {
        let d = Date(timeIntervalSince1970: Double(ms) / 1000)
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute], from: d)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    /// Compact number: up to 6 significant decimals, no exponent for ordinary values.
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return "n/a" }
        if x == x.rounded() && abs(x) < 1e15 { return String(format: "%.0f", x) }
        let digits = abs(x) >= 1000 ? 2 : abs(x) >= 1 ? 4 : 6
        return String(format: "%.\(digits)f", x)
    }
}

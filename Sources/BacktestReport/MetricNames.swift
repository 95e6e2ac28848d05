import Foundation

/// Plain names and units of the metric columns of bi.backtest_runs (docs/metrics.md defines them),
/// shared by the dashboard's run page and `candlestack report`.
public enum MetricNames {
    /// (column, plain name, unit shown after the value).
    public static let all: [(column: String, name: String, unit: String)] = [
        ("total_return_pct", "Total return", "%"),
        ("buy_hold_return_pct", "Buy and hold return", "%"),
        ("cagr_pct", "Annual growth (CAGR)", "% a year"),
        ("volatility_ann_pct", "Volatility (annualised)", "%"),
        ("sharpe", "Sharpe ratio (annualised)", ""),
        ("sortino", "Sortino ratio (annualised)", ""),
        ("calmar", "Calmar ratio", ""),
        ("max_drawdown_pct", "Maximum drawdown", "%"),
        ("max_drawdown_duration_ms", "Longest drawdown", "days"),
        ("n_trades", "Closed trades", "trades"),
        ("win_rate_pct", "Win rate", "%"),
        ("profit_factor", "Profit factor (gross profit / gross loss)", ""),
        ("expectancy", "Expectancy (mean pnl per trade)", "quote"),
        ("avg_trade_pct", "Average trade", "%"),
        ("best_trade_pct", "Best trade", "%"),
        ("worst_trade_pct", "Worst trade", "%"),
        ("exposure_pct", "Time in the market", "%"),
        ("fees_paid", "Fees paid", "quote"),
        ("final_equity", "Final equity", "quote"),
        ("bars", "Bars evaluated", "bars"),
        ("span_days", "Span", "days"),
        ("annualised_reliable", "Annualised figures reliable (30+ days and 30+ trades)", ""),
    ]

    /// Run settings shown beside the metrics: (column, plain name, unit).
    public static let settings: [(column: String, name: String, unit: String)] = [
        ("kind", "Kind", ""), ("status", "Status", ""), ("engine", "Engine", ""), ("strategy", "Strategy", ""),
        ("params", "Parameters", ""), ("instrument", "Instrument", ""), ("bar", "Bar", ""),
        ("from_time", "From (UTC)", ""), ("to_time", "To (UTC, exclusive)", ""),
        ("fee_rate", "Fee per fill", "fraction"), ("slippage_bps", "Slippage per fill", "bp"),
        ("capital", "Starting capital", "quote"), ("lot_size", "Lot size", "base"),
        ("candle_count", "Candles", ""), ("gap_count", "Gaps", ""), ("missing_bars", "Missing bars", ""),
        ("resampled", "Resampled from 1m", ""), ("note", "Note", ""), ("job_id", "Job", ""),
        ("finished_at", "Stored at", ""),
    ]

    /// Plain name and unit of a metric called `name` (a column above, or a `Metrics.names` entry
    /// such as `max_drawdown_duration`, stored in ms); nil for a name not listed.
    public static func plain(_ name: String) -> (name: String, unit: String)? {
        let column = name == "max_drawdown_duration" ? "max_drawdown_duration_ms" : name
        return all.first { $0.column == column }.map { ($0.name, $0.unit) }
    }
}

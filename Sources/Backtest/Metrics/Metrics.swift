import Foundation

/// Summary figures of one run. Formulas are in docs/metrics.md.
///
/// Undefined values are nil, never NaN or infinity (they go into SQL numeric columns).
/// Annualised figures use a 365-day year and daily returns (equity at the last bar of each
/// UTC day); `annualisedReliable` is false when the span is under 30 days or there are
/// fewer than 30 closed trades.
public struct Metrics: Sendable, Equatable, Codable {
    public var finalEquity: Double
    public var totalReturnPct: Double
    public var cagrPct: Double?
    public var volatilityAnnPct: Double?
    public var sharpe: Double?
    public var sortino: Double?
    public var calmar: Double?
    /// Largest fall from a running peak of close-marked equity, percent, >= 0.
    public var maxDrawdownPct: Double
    /// Longest time from a peak to the recovery of that peak (or to the last bar), in ms.
    public var maxDrawdownDurationMs: Int64
    /// Closed trades (an open position at the end is not counted).
    public var nTrades: Int
    public var winRatePct: Double?
    /// Gross profit / gross loss of closed trades; nil with no losing trade (or no trades).
    public var profitFactor: Double?
    /// Mean pnl per closed trade, quote currency.
    public var expectancy: Double?
    public var avgTradePct: Double?
    public var bestTradePct: Double?
    public var worstTradePct: Double?
    /// Share of bars with a position held, percent.
    public var exposurePct: Double
    /// All fees paid, the open position's entry fee included.
    public var feesPaid: Double
    /// last close / first open - 1, percent, over the same bars.
    public var buyHoldReturnPct: Double
    /// Bars evaluated.
    public var bars: Int
    /// Time covered in days (last open - first open + one bar).
    public var spanDays: Double
    /// False when the span is under 30 days or there are fewer than 30 closed trades.
    public var annualisedReliable: Bool

    /// Metric names accepted as optimizer objectives (snake_case, as stored in SQL).
    public static let names = [
        "final_equity", "total_return_pct", "cagr_pct", "volatility_ann_pct", "sharpe", "sortino",
        "calmar", "max_drawdown_pct", "max_drawdown_duration", "n_trades", "win_rate_pct",
        "profit_factor", "expectancy", "avg_trade_pct", "best_trade_pct", "worst_trade_pct",
        "exposure_pct", "fees_paid", "buy_hold_return_pct",
    ]

    /// The metric called `name` (see `names`), nil if undefined; throws for unknown names.
    public func value(named name: String) throws -> Double? {
        switch name {
        case "final_equity": return finalEquity
        case "total_return_pct": return totalReturnPct
        case "cagr_pct": return cagrPct
        case "volatility_ann_pct": return volatilityAnnPct
        case "sharpe": return sharpe
        case "sortino": return sortino
        case "calmar": return calmar
        case "max_drawdown_pct": return maxDrawdownPct
        case "max_drawdown_duration": return Double(maxDrawdownDurationMs)
        case "n_trades": return Double(nTrades)
        case "win_rate_pct": return winRatePct
        case "profit_factor": return profitFactor
        case "expectancy": return expectancy
        case "avg_trade_pct": return avgTradePct
        case "best_trade_pct": return bestTradePct
        case "worst_trade_pct": return worstTradePct
        case "exposure_pct": return exposurePct
        case "fees_paid": return feesPaid
        case "buy_hold_return_pct": return buyHoldReturnPct
        default:
            throw BacktestError.invalidParameter(name: "objective", message: "unknown metric \"\(name)\"; allowed: \(Self.names.joined(separator: ", "))")
        }
    }

    /// Whether lower values of `name` are better (drawdown and its duration, fees).
    public static func lowerIsBetter(_ name: String) -> Bool {
        name == "max_drawdown_pct" || name == "max_drawdown_duration" || name == "fees_paid" || name == "volatility_ann_pct"
    }

    /// Computes the metrics from streamed equity statistics and the trade list.
    static func compute(stats s: EquityStats, trades: [Trade], barsInPosition: Int, feesPaid: Double,
                        firstOpen: Double, lastClose: Double) -> Metrics {
        func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
        let capital = s.capital
        let final = s.lastEquity
        let spanDays = Double(s.spanMs) / Double(EquityStats.dayMs)
        let years = spanDays / 365
        var cagr: Double? = nil
        if years > 0 {
            cagr = final <= 0 ? -100 : finite((pow(final / capital, 1 / years) - 1) * 100)
        }
        let sd = s.dailyStdDev
        let vol = sd.map { $0 * 365.0.squareRoot() * 100 }
        let sharpe = sd.flatMap { $0 > 0 ? finite(s.meanReturn / $0 * 365.0.squareRoot()) : nil }
        let sortino = s.downsideDeviation.flatMap { $0 > 0 ? finite(s.meanReturn / $0 * 365.0.squareRoot()) : nil }
        let calmar = cagr.flatMap { s.maxDrawdownPct > 0 ? finite($0 / s.maxDrawdownPct) : nil }

        let closed = trades.filter { $0.exitReason != .open }
        let nt = closed.count
        var grossProfit = 0.0, grossLoss = 0.0, wins = 0, sumPnl = 0.0, sumPct = 0.0
        var best = -Double.infinity, worst = Double.infinity
        for tr in closed {
            if tr.pnl > 0 { grossProfit += tr.pnl; wins += 1 } else if tr.pnl < 0 { grossLoss -= tr.pnl }
            sumPnl += tr.pnl
            sumPct += tr.returnPct
            best = max(best, tr.returnPct)
            worst = min(worst, tr.returnPct)
        }
        let d = Double(nt)
        let has = nt > 0
        let winRate: Double? = has ? Double(wins) / d * 100 : nil
        let pf: Double? = grossLoss > 0 ? grossProfit / grossLoss : nil
        let expectancy: Double? = has ? sumPnl / d : nil
        let avgPct: Double? = has ? sumPct / d : nil
        let bestPct: Double? = has ? best : nil
        let worstPct: Double? = has ? worst : nil
        let exposure: Double = s.bars > 0 ? Double(barsInPosition) / Double(s.bars) * 100 : 0
        let totalReturn: Double = (final / capital - 1) * 100
        let buyHold: Double = (lastClose / firstOpen - 1) * 100
        let volatility: Double? = vol.flatMap(finite)
        return Metrics(
            finalEquity: final,
            totalReturnPct: totalReturn,
            cagrPct: cagr,
            volatilityAnnPct: volatility,
            sharpe: sharpe, sortino: sortino, calmar: calmar,
            maxDrawdownPct: s.maxDrawdownPct,
            maxDrawdownDurationMs: s.maxDrawdownDurationMs,
            nTrades: nt,
            winRatePct: winRate, profitFactor: pf, expectancy: expectancy, avgTradePct: avgPct,
            bestTradePct: bestPct, worstTradePct: worstPct, exposurePct: exposure, feesPaid: feesPaid,
            buyHoldReturnPct: buyHold,
            bars: s.bars,
            spanDays: spanDays,
            annualisedReliable: spanDays >= 30 && nt >= 30)
    }
}

extension Metrics {
    /// All-zero metrics (used to check objective names).
    init(zeroFor bars: Int) {
        self.init(finalEquity: 0, totalReturnPct: 0, maxDrawdownPct: 0, maxDrawdownDurationMs: 0, nTrades: 0,
                  exposurePct: 0, feesPaid: 0, buyHoldReturnPct: 0, bars: bars, spanDays: 0, annualisedReliable: false)
    }
}

extension Metrics {
    /// Every metric as (snake_case name, value), in `names` order, plus `annualised_reliable`
    /// (1 or 0) and `span_days`: one row per SQL `backtest.metrics` entry.
    public var rows: [(name: String, value: Double?)] {
        var out = Metrics.names.map { ($0, (try? value(named: $0)) ?? nil) }
        out.append(("span_days", spanDays))
        out.append(("annualised_reliable", annualisedReliable ? 1 : 0))
        return out
    }
}

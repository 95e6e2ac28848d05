/// Everything a simulation produces except the equity column (written to a buffer if given).
struct SimulationOutput: Sendable {
    var trades: [Trade]
    var stats: EquityStats
    var barsInPosition: Int
    var feesPaid: Double
}

/// The bar loop: fills, stops, takes, marking. One pass, no allocation per bar.
///
/// Order of events within bar t:
/// 1. the order decided at bar t-1's close fills at bar t's open (exit, then entry);
/// 2. an open position (including one entered at this open) checks its stop, then its take,
///    against this bar: a long's stop fills at the stop level when `low <= stop`, or at the
///    open when the bar opens at or below it; the take likewise with `high`; when both are
///    touched in one bar the stop wins; shorts mirror this;
/// 3. equity is marked at the close: `cash + signedQuantity × close`;
/// 4. the signal flags of bar t are read against the position now held, giving the order
///    for bar t+1's open (none at the last bar).
///
/// At the end, a position still open is either marked at the last close without exit fee
/// (`exitReason == .open`, a backtest's last trade) or, with `closeAtEnd` (a walk-forward test
/// window that another window follows), sold or bought back at the last close with slippage and
/// fee like any exit (`exitReason == .windowEnd`), before that bar's equity is marked.
enum Simulator {
    /// Simulates bars `start..<n` of `candles`. Signals from bar `start - 1` on are acted on.
    static func run(candles: Candles, signals: [UInt8], spec: StrategySpec, settings: RunSettings,
                    start: Int = 0, closeAtEnd: Bool = false,
                    equityOut: UnsafeMutablePointer<Double>? = nil) -> SimulationOutput {
        let n = candles.count
        let fm = FillModel(settings)
        let fee = settings.feeRate
        let slPct = spec.stopLossPct, tpPct = spec.takeProfitPct
        let allowShort = spec.allowShort
        var stats = EquityStats(capital: settings.capital)
        var trades: [Trade] = []
        var cash = settings.capital
        var q = 0.0                       // signed quantity
        var pos: Int8 = 0                 // +1 long, -1 short, 0 flat
        var entryPrice = 0.0, entryFee = 0.0, entryTime: Int64 = 0, entryIndex = 0
        var stopLevel = 0.0, takeLevel = 0.0
        var exposure = 0
        var fees = 0.0
        let noOrder: Int8 = 2
        var pending = noOrder

        @inline(__always) func decide(_ f: UInt8, _ p: Int8) -> Int8 {
            if f == 0 { return noOrder }
            switch p {
            case 1:
                if f & Signal.exitLong != 0 { return (allowShort && f & Signal.enterShort != 0) ? -1 : 0 }
            case -1:
                if f & Signal.exitShort != 0 { return f & Signal.enterLong != 0 ? 1 : 0 }
            default:
                if f & Signal.enterLong != 0 { return 1 }
                if allowShort && f & Signal.enterShort != 0 { return -1 }
            }
            return noOrder
        }

        candles.time.withUnsafeBufferPointer { time in
        candles.open.withUnsafeBufferPointer { open in
        candles.high.withUnsafeBufferPointer { high in
        candles.low.withUnsafeBufferPointer { low in
        candles.close.withUnsafeBufferPointer { close in
        signals.withUnsafeBufferPointer { sig in
            func exit(at t: Int, reference: Double, reason: ExitReason) {
                let price = pos == 1 ? fm.sellPrice(reference) : fm.buyPrice(reference)
                let size = abs(q)
                let exitFee = size * price * fee
                cash += q * price - exitFee
                fees += exitFee
                let pnl = q * (price - entryPrice) - entryFee - exitFee
                trades.append(Trade(n: trades.count + 1, side: pos == 1 ? .long : .short,
                                    entryTime: entryTime, entryPrice: entryPrice, exitTime: time[t],
                                    exitPrice: price, size: size, pnl: pnl,
                                    returnPct: pnl / (size * entryPrice) * 100, fees: entryFee + exitFee,
                                    exitReason: reason, entryIndex: entryIndex, exitIndex: t))
                q = 0; pos = 0
            }
            func enter(at t: Int, side: Int8) {
                let price = side == 1 ? fm.buyPrice(open[t]) : fm.sellPrice(open[t])
                let size = fm.quantity(cash: cash, price: price)
                guard size > 0 else { return }
                entryFee = size * price * fee
                q = side == 1 ? size : -size
                cash -= q * price + entryFee
                fees += entryFee
                pos = side; entryPrice = price; entryTime = time[t]; entryIndex = t
                let sl = slPct.map { $0 / 100 }, tp = tpPct.map { $0 / 100 }
                if side == 1 {
                    stopLevel = sl.map { price * (1 - $0) } ?? -.infinity
                    takeLevel = tp.map { price * (1 + $0) } ?? .infinity
                } else {
                    stopLevel = sl.map { price * (1 + $0) } ?? .infinity
                    takeLevel = tp.map { price * (1 - $0) } ?? -.infinity
                }
            }

            if start >= 1 && start < n { pending = decide(sig[start - 1], 0) }
            var t = start
            while t < n {
                if pending != noOrder {
                    if pending != pos {
                        if pos != 0 { exit(at: t, reference: open[t], reason: .signal) }
                        if pending != 0 { enter(at: t, side: pending) }
                    }
                    pending = noOrder
                }
                if pos != 0 {
                    exposure += 1
                    let o = open[t]
                    if pos == 1 {
                        if o <= stopLevel { exit(at: t, reference: o, reason: .stop) }
                        else if low[t] <= stopLevel { exit(at: t, reference: stopLevel, reason: .stop) }
                        else if o >= takeLevel { exit(at: t, reference: o, reason: .take) }
                        else if high[t] >= takeLevel { exit(at: t, reference: takeLevel, reason: .take) }
                    } else {
                        if o >= stopLevel { exit(at: t, reference: o, reason: .stop) }
                        else if high[t] >= stopLevel { exit(at: t, reference: stopLevel, reason: .stop) }
                        else if o <= takeLevel { exit(at: t, reference: o, reason: .take) }
                        else if low[t] <= takeLevel { exit(at: t, reference: takeLevel, reason: .take) }
                    }
                }
                if closeAtEnd && pos != 0 && t == n - 1 { exit(at: t, reference: close[t], reason: .windowEnd) }
                let equity = cash + q * close[t]
                stats.add(time: time[t], equity: equity)
                equityOut?[t - start] = equity
                let f = sig[t]
                if f != 0 && t + 1 < n { pending = decide(f, pos) }
                t += 1
            }
            if pos != 0 {
                let last = n - 1
                let price = close[last]
                let pnl = q * (price - entryPrice) - entryFee
                let size = abs(q)
                trades.append(Trade(n: trades.count + 1, side: pos == 1 ? .long : .short,
                                    entryTime: entryTime, entryPrice: entryPrice, exitTime: time[last],
                                    exitPrice: price, size: size, pnl: pnl,
                                    returnPct: pnl / (size * entryPrice) * 100, fees: entryFee,
                                    exitReason: .open, entryIndex: entryIndex, exitIndex: last))
            }
        }}}}}}
        stats.finish()
        return SimulationOutput(trades: trades, stats: stats, barsInPosition: exposure, feesPaid: fees)
    }
}

/// The bar loop of a swap or future (RunSettings.contract set): Simulator's order of events,
/// with sizes in contracts, isolated margin, funding and liquidation. Spot runs never come here,
/// so their results stay exactly what Simulator gives.
///
/// Within bar t:
/// 1. the order decided at bar t-1's close fills at bar t's open (exit, then entry), sized so
///    margin plus entry fee fits in the cash (ContractTerms.contracts);
/// 2. every funding time in [time[t], time[t+1]) (the last bar: every one left) is charged to the
///    position held after those fills: `amount = ContractTerms.funding(q, mark, rate)` leaves the
///    cash (a negative amount is received); the mark is the event's, else bar t's open;
/// 3. an open position checks liquidation, stop and take against the bar. The liquidation is
///    touched when the mark low (long) or mark high (short) crosses the liquidation price (the
///    trade candle's low/high stand in without mark candles); of a stop and the liquidation, the
///    one nearer the entry comes first (a falling price meets it first); the take comes last. The
///    liquidation fills at the liquidation price, with slippage and fee like any exit;
/// 4. equity is marked at the close: `cash + pnl(q, entry, close)`;
/// 5. signals as in Simulator.
enum ContractSimulator {
    struct Output {
        var sim: SimulationOutput
        var summary: ContractSummary
    }

    static func run(candles: Candles, signals: [UInt8], spec: StrategySpec, settings: RunSettings,
                    terms k: ContractTerms, market: ContractMarket, start: Int = 0, closeAtEnd: Bool = false,
                    equityOut: UnsafeMutablePointer<Double>? = nil) -> Output {
        let n = candles.count
        let fm = FillModel(settings)
        let fee = settings.feeRate, lot = settings.lotSize
        let slPct = spec.stopLossPct, tpPct = spec.takeProfitPct
        let allowShort = spec.allowShort
        var stats = EquityStats(capital: settings.capital)
        var trades: [Trade] = []
        var payments: [FundingPayment] = []
        var liquidations = 0
        var cash = settings.capital
        var q = 0.0
        var pos: Int8 = 0
        var entryPrice = 0.0, entryFee = 0.0, entryTime: Int64 = 0, entryIndex = 0
        var stopLevel = 0.0, takeLevel = 0.0, liqLevel = 0.0
        var exposure = 0
        var fees = 0.0
        let noOrder: Int8 = 2
        var pending = noOrder
        let events = market.funding
        var ev = 0
        let time = candles.time, open = candles.open, high = candles.high, low = candles.low, close = candles.close
        let markHigh = market.mark?.high, markLow = market.mark?.low

        func decide(_ f: UInt8, _ p: Int8) -> Int8 {
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
        func exit(at t: Int, reference: Double, reason: ExitReason) {
            let price = pos == 1 ? fm.sellPrice(reference) : fm.buyPrice(reference)
            let size = abs(q)
            let exitFee = k.notional(size, price) * fee
            let gross = k.pnl(q, entry: entryPrice, price: price)
            cash += gross - exitFee
            fees += exitFee
            let pnl = gross - entryFee - exitFee
            if reason == .liquidation { liquidations += 1 }
            trades.append(Trade(n: trades.count + 1, side: pos == 1 ? .long : .short,
                                entryTime: entryTime, entryPrice: entryPrice, exitTime: time[t],
                                exitPrice: price, size: size, pnl: pnl,
                                returnPct: pnl / k.notional(size, entryPrice) * 100, fees: entryFee + exitFee,
                                exitReason: reason, entryIndex: entryIndex, exitIndex: t))
            q = 0; pos = 0
        }
        func enter(at t: Int, side: Int8) {
            let price = side == 1 ? fm.buyPrice(open[t]) : fm.sellPrice(open[t])
            let size = k.contracts(cash: cash, price: price, feeRate: fee, lot: lot)
            guard size > 0 else { return }
            entryFee = k.notional(size, price) * fee
            q = side == 1 ? size : -size
            cash -= entryFee
            fees += entryFee
            pos = side; entryPrice = price; entryTime = time[t]; entryIndex = t
            liqLevel = k.liquidationPrice(entry: price, long: side == 1)
            let sl = slPct.map { $0 / 100 }, tp = tpPct.map { $0 / 100 }
            if side == 1 {
                stopLevel = sl.map { price * (1 - $0) } ?? -.infinity
                takeLevel = tp.map { price * (1 + $0) } ?? .infinity
            } else {
                stopLevel = sl.map { price * (1 + $0) } ?? .infinity
                takeLevel = tp.map { price * (1 - $0) } ?? -.infinity
            }
        }
        /// Liquidation touched in bar t (mark range, else the trade range).
        func liquidated(_ t: Int) -> Bool {
            if pos == 1 {
                var lo = low[t]
                if let m = markLow, !m[t].isNaN { lo = m[t] }
                return lo <= liqLevel
            }
            var hi = high[t]
            if let m = markHigh, !m[t].isNaN { hi = m[t] }
            return hi >= liqLevel
        }

        while ev < events.count && start < n && events[ev].time < time[start] { ev += 1 }
        if start >= 1 && start < n { pending = decide(signals[start - 1], 0) }
        var t = start
        while t < n {
            if pending != noOrder {
                if pending != pos {
                    if pos != 0 { exit(at: t, reference: open[t], reason: .signal) }
                    if pending != 0 { enter(at: t, side: pending) }
                }
                pending = noOrder
            }
            let barEnd = t + 1 < n ? time[t + 1] : Int64.max
            while ev < events.count && events[ev].time < barEnd {
                let e = events[ev]
                if pos != 0 {
                    let mark = e.markPrice ?? open[t]
                    let amount = k.funding(q, mark: mark, rate: e.rate)
                    cash -= amount
                    payments.append(FundingPayment(time: e.time, rate: e.rate, markPrice: mark, contracts: q, amount: amount))
                }
                ev += 1
            }
            if pos != 0 {
                exposure += 1
                let o = open[t]
                if pos == 1 {
                    let liqFirst = liqLevel >= stopLevel
                    if liqFirst && liquidated(t) { exit(at: t, reference: liqLevel, reason: .liquidation) }
                    else if o <= stopLevel { exit(at: t, reference: o, reason: .stop) }
                    else if low[t] <= stopLevel { exit(at: t, reference: stopLevel, reason: .stop) }
                    else if !liqFirst && liquidated(t) { exit(at: t, reference: liqLevel, reason: .liquidation) }
                    else if o >= takeLevel { exit(at: t, reference: o, reason: .take) }
                    else if high[t] >= takeLevel { exit(at: t, reference: takeLevel, reason: .take) }
                } else {
                    let liqFirst = liqLevel <= stopLevel
                    if liqFirst && liquidated(t) { exit(at: t, reference: liqLevel, reason: .liquidation) }
                    else if o >= stopLevel { exit(at: t, reference: o, reason: .stop) }
                    else if high[t] >= stopLevel { exit(at: t, reference: stopLevel, reason: .stop) }
                    else if !liqFirst && liquidated(t) { exit(at: t, reference: liqLevel, reason: .liquidation) }
                    else if o <= takeLevel { exit(at: t, reference: o, reason: .take) }
                    else if low[t] <= takeLevel { exit(at: t, reference: takeLevel, reason: .take) }
                }
            }
            if closeAtEnd && pos != 0 && t == n - 1 { exit(at: t, reference: close[t], reason: .windowEnd) }
            let equity = pos == 0 ? cash : cash + k.pnl(q, entry: entryPrice, price: close[t])
            stats.add(time: time[t], equity: equity)
            equityOut?[t - start] = equity
            let f = signals[t]
            if f != 0 && t + 1 < n { pending = decide(f, pos) }
            t += 1
        }
        if pos != 0 {
            let last = n - 1
            let price = close[last]
            let pnl = k.pnl(q, entry: entryPrice, price: price) - entryFee
            let size = abs(q)
            trades.append(Trade(n: trades.count + 1, side: pos == 1 ? .long : .short,
                                entryTime: entryTime, entryPrice: entryPrice, exitTime: time[last],
                                exitPrice: price, size: size, pnl: pnl,
                                returnPct: pnl / k.notional(size, entryPrice) * 100, fees: entryFee,
                                exitReason: .open, entryIndex: entryIndex, exitIndex: last))
        }
        stats.finish()
        let last = stats.lastEquity
        let quote = k.isInverse && n > 0 ? last * close[n - 1] : last
        let paid = payments.reduce(0) { $0 + $1.amount }
        return Output(sim: SimulationOutput(trades: trades, stats: stats, barsInPosition: exposure, feesPaid: fees),
                      summary: ContractSummary(payments: payments, fundingPaid: paid, liquidations: liquidations,
                                               finalEquityQuote: quote))
    }
}

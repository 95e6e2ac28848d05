import Testing
@testable import Backtest

/// An independent, deliberately naive sma_cross: each SMA recomputed from scratch at every
/// bar, a plain loop with no shared code beyond `Candles`. It must agree with the engine.
@Suite struct NaiveSMACrossTests {
    struct NaiveTrade: Equatable { var entry: Int, exit: Int, entryPrice: Double, exitPrice: Double, size: Double, pnl: Double, open: Bool }

    static func naive(_ c: Candles, fast: Int, slow: Int, fee: Double, slipBps: Double, capital: Double,
                      lot: Double) -> (trades: [NaiveTrade], equity: [Double]) {
        func sma(_ t: Int, _ p: Int) -> Double? {
            guard t >= p - 1 else { return nil }
            var s = 0.0
            for j in (t - p + 1)...t { s += c.close[j] }
            return s / Double(p)
        }
        var cash = capital, qty = 0.0, entryPrice = 0.0, entryFee = 0.0, entryBar = 0
        var trades: [NaiveTrade] = [], equity: [Double] = []
        var wantLong: Bool? = nil
        for t in 0..<c.count {
            if let w = wantLong {
                if w && qty == 0 {
                    let price = c.open[t] * (1 + slipBps / 10_000)
                    var k = (cash / (price * (1 + fee)) / lot).rounded(.down)
                    if (k + 1) * lot * price * (1 + fee) <= cash { k += 1 }
                    let q = k * lot
                    if q > 0 {
                        qty = q; entryPrice = price; entryFee = q * price * fee; entryBar = t
                        cash -= q * price + entryFee
                    }
                } else if !w && qty > 0 {
                    let price = c.open[t] * (1 - slipBps / 10_000)
                    let exitFee = qty * price * fee
                    cash += qty * price - exitFee
                    trades.append(NaiveTrade(entry: entryBar, exit: t, entryPrice: entryPrice, exitPrice: price, size: qty,
                                             pnl: qty * (price - entryPrice) - entryFee - exitFee, open: false))
                    qty = 0
                }
                wantLong = nil
            }
            equity.append(cash + qty * c.close[t])
            if t >= 1, t + 1 < c.count, let f0 = sma(t - 1, fast), let s0 = sma(t - 1, slow), let f1 = sma(t, fast), let s1 = sma(t, slow) {
                if f0 < s0 && f1 > s1 { wantLong = true }
                if f0 > s0 && f1 < s1 { wantLong = false }
            }
        }
        if qty > 0 {
            let last = c.count - 1
            trades.append(NaiveTrade(entry: entryBar, exit: last, entryPrice: entryPrice, exitPrice: c.close[last], size: qty,
                                     pnl: qty * (c.close[last] - entryPrice) - entryFee, open: true))
        }
        return (trades, equity)
    }

    @Test(arguments: [(5, 20), (10, 30), (3, 50)])
    func engineMatchesTheNaiveImplementation(fast: Int, slow: Int) throws {
        let c = Fixtures.randomWalk(20_000, seed: 2024)
        let settings = RunSettings(feeRate: 0.001, slippageBps: 5, capital: 10_000, lotSize: 0.0001)
        let engine = try Backtester.run(candles: c, spec: Fixtures.spec(.smaCross, ["fast": Double(fast), "slow": Double(slow)]),
                                        settings: settings)
        let n = Self.naive(c, fast: fast, slow: slow, fee: 0.001, slipBps: 5, capital: 10_000, lot: 0.0001)
        #expect(engine.trades.count == n.trades.count)
        #expect(engine.trades.count > 100)
        for (a, b) in zip(engine.trades, n.trades) {
            #expect(a.entryIndex == b.entry && a.exitIndex == b.exit && a.side == .long)
            #expect((a.exitReason == .open) == b.open)
            #expect(close(a.entryPrice, b.entryPrice) && close(a.exitPrice, b.exitPrice))
            #expect(close(a.size, b.size) && close(a.pnl, b.pnl, 1e-8))
        }
        #expect(engine.equity.count == n.equity.count)
        let worst = zip(engine.equity, n.equity).map { abs($0 - $1) / $1 }.max() ?? 0
        #expect(worst < 1e-9)
    }
}

extension Signal {
    /// Flags of `rsi_reversion(period, lower, upper)`, a level rule on Wilder's RSI:
    ///
    /// - RSI(t) < lower: bullish (enter long when flat; cover a short and go long).
    /// - RSI(t) > upper: bearish (exit a long; go short when `allow_short`).
    ///
    /// Because it is a level rule, a position stopped out while RSI is still beyond the
    /// level is re-entered at the next bar's open.
    public static func rsiReversion(_ rsi: [Double], lower: Double, upper: Double) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rsi.count)
        for t in 0..<rsi.count {
            let r = rsi[t]
            if r < lower { out[t] = bullish } else if r > upper { out[t] = bearish }
        }
        return out
    }
}

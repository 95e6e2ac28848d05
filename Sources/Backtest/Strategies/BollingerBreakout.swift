extension Signal {
    /// Flags of `bollinger_breakout(period, k)` (bands on closes, σ population):
    ///
    /// - close crosses above the upper band: enter long.
    /// - close crosses below the middle band (SMA): exit long.
    /// - close crosses below the lower band: enter short (when `allow_short`).
    /// - close crosses above the middle band: exit short.
    ///
    /// Crosses are strict two-bar rules on (close, band).
    public static func bollingerBreakout(close: [Double], upper: [Double], middle: [Double],
                                         lower: [Double]) -> [UInt8] {
        let n = close.count
        var out = [UInt8](repeating: 0, count: n)
        guard n >= 2 else { return out }
        for t in 1..<n {
            let p = close[t - 1], c = close[t]
            var f: UInt8 = 0
            if p < upper[t - 1] && c > upper[t] { f |= enterLong }
            if p > middle[t - 1] && c < middle[t] { f |= exitLong }
            if p > lower[t - 1] && c < lower[t] { f |= enterShort }
            if p < middle[t - 1] && c > middle[t] { f |= exitShort }
            out[t] = f
        }
        return out
    }
}

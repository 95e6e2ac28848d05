extension Indicators {
    /// Relative strength index with Wilder's smoothing.
    ///
    /// With changes `d(t) = close(t) - close(t-1)`, gains `max(d, 0)` and losses `max(-d, 0)`:
    /// the first averages are the simple means of the gains and losses of `d(1)...d(period)`
    /// (defined at index `period`); then `avg(t) = (avg(t-1) * (period - 1) + value(t)) / period`.
    /// `RSI = 100 - 100 / (1 + avgGain / avgLoss)`; 100 when avgLoss is 0 (50 when both are 0).
    public static func rsi(_ close: [Double], period: Int) -> [Double] {
        precondition(period >= 1, "rsi period must be >= 1")
        let n = close.count
        var out = [Double](repeating: .nan, count: n)
        guard n > period else { return out }
        let p = Double(period)
        @inline(__always) func value(_ g: Double, _ l: Double) -> Double {
            if l == 0 { return g == 0 ? 50 : 100 }
            return 100 - 100 / (1 + g / l)
        }
        var g = 0.0, l = 0.0
        for i in 1...period {
            let d = close[i] - close[i - 1]
            if d > 0 { g += d } else { l -= d }
        }
        g /= p
        l /= p
        out[period] = value(g, l)
        var i = period + 1
        while i < n {
            let d = close[i] - close[i - 1]
            g = (g * (p - 1) + (d > 0 ? d : 0)) / p
            l = (l * (p - 1) + (d < 0 ? -d : 0)) / p
            out[i] = value(g, l)
            i += 1
        }
        return out
    }
}

extension Indicators {
    /// Average true range with Wilder's smoothing.
    ///
    /// True range `TR(t) = max(high - low, |high - close(t-1)|, |low - close(t-1)|)` for t >= 1.
    /// The first ATR is the mean of `TR(1)...TR(period)` (defined at index `period`); then
    /// `ATR(t) = (ATR(t-1) * (period - 1) + TR(t)) / period`.
    public static func atr(high: [Double], low: [Double], close: [Double], period: Int) -> [Double] {
        precondition(period >= 1, "atr period must be >= 1")
        let n = close.count
        var out = [Double](repeating: .nan, count: n)
        guard n > period else { return out }
        func tr(_ i: Int) -> Double {
            let pc = close[i - 1]
            return Swift.max(high[i] - low[i], abs(high[i] - pc), abs(low[i] - pc))
        }
        let p = Double(period)
        var a = 0.0
        for i in 1...period { a += tr(i) }
        a /= p
        out[period] = a
        var i = period + 1
        while i < n {
            a = (a * (p - 1) + tr(i)) / p
            out[i] = a
            i += 1
        }
        return out
    }
}

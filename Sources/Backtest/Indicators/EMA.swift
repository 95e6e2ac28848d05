extension Indicators {
    /// Exponential moving average with smoothing `alpha = 2 / (period + 1)`.
    ///
    /// Seeded with the simple mean of the first `period` defined values, so it is
    /// defined from index `firstDefined + period - 1`; then
    /// `ema(t) = alpha * x(t) + (1 - alpha) * ema(t-1)`. Leading NaNs in `x` are skipped
    /// (used for the MACD signal line).
    public static func ema(_ x: [Double], period: Int) -> [Double] {
        precondition(period >= 1, "ema period must be >= 1")
        let n = x.count
        var out = [Double](repeating: .nan, count: n)
        var start = 0
        while start < n && x[start].isNaN { start += 1 }
        guard n - start >= period else { return out }
        let alpha = 2.0 / (Double(period) + 1.0)
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { o in
                var sum = 0.0
                for i in start..<(start + period) { sum += xs[i] }
                var e = sum / Double(period)
                o[start + period - 1] = e
                var i = start + period
                while i < n {
                    e = alpha * xs[i] + (1 - alpha) * e
                    o[i] = e
                    i += 1
                }
            }
        }
        return out
    }
}

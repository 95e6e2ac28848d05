extension Indicators {
    /// Bollinger bands: middle = SMA(period); upper/lower = middle ± k × σ, where σ is the
    /// population standard deviation of the last `period` closes. Defined from index `period - 1`.
    public struct Bands: Sendable, Equatable {
        public var lower: [Double]
        public var middle: [Double]
        public var upper: [Double]
    }

    /// Computes Bollinger bands over `x` (usually closes).
    public static func bollinger(_ x: [Double], period: Int, k: Double) -> Bands {
        precondition(period >= 1, "bollinger period must be >= 1")
        let n = x.count
        let middle = sma(x, period: period)
        var upper = [Double](repeating: .nan, count: n)
        var lower = [Double](repeating: .nan, count: n)
        guard n >= period else { return Bands(lower: lower, middle: middle, upper: upper) }
        let p = Double(period)
        // Sums of squared deviations from a fixed reference keep the cancellation small.
        let ref = x[0]
        var s = 0.0, s2 = 0.0
        func reset(_ i: Int) {
            s = 0; s2 = 0
            for j in (i - period + 1)...i { let d = x[j] - ref; s += d; s2 += d * d }
        }
        for i in (period - 1)..<n {
            if i == period - 1 || i & 4095 == 0 {
                reset(i)
            } else {
                let a = x[i] - ref, b = x[i - period] - ref
                s += a - b
                s2 += a * a - b * b
            }
            let mean = s / p
            let sd = (max(0, s2 / p - mean * mean)).squareRoot()
            upper[i] = middle[i] + k * sd
            lower[i] = middle[i] - k * sd
        }
        return Bands(lower: lower, middle: middle, upper: upper)
    }
}

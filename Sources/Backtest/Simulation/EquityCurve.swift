/// One point of a stored equity curve.
public struct EquityPoint: Sendable, Equatable, Codable {
    /// Bar open time, Unix ms.
    public var time: Int64
    /// Equity marked at the bar's close, quote currency.
    public var equity: Double
    /// Fall from the running peak of equity (starting capital included), percent, >= 0.
    public var drawdownPct: Double

    public init(time: Int64, equity: Double, drawdownPct: Double) {
        self.time = time; self.equity = equity; self.drawdownPct = drawdownPct
    }
}

/// Downsampling of equity curves for storage.
public enum EquityCurve {
    /// Reduces a curve to at most `maxPoints` points, keeping every extreme.
    ///
    /// Drawdown is computed on the full series first (running peak starting at `capital`).
    /// With more than `maxPoints` bars the series is cut into `maxPoints / 5` buckets of
    /// equal bar count; each bucket keeps its first bar, last bar, lowest equity, highest
    /// equity and deepest drawdown (duplicates once, in time order). So the global high,
    /// low and maximum drawdown always survive.
    public static func downsample(time: [Int64], equity: [Double], capital: Double,
                                  maxPoints: Int = 2000) -> [EquityPoint] {
        let n = min(time.count, equity.count)
        guard n > 0 else { return [] }
        var dd = [Double](repeating: 0, count: n)
        var peak = capital
        for i in 0..<n {
            peak = max(peak, equity[i])
            dd[i] = peak > 0 ? max(0, (peak - equity[i]) / peak * 100) : 0
        }
        func point(_ i: Int) -> EquityPoint { EquityPoint(time: time[i], equity: equity[i], drawdownPct: dd[i]) }
        if n <= maxPoints { return (0..<n).map(point) }
        let buckets = max(1, maxPoints / 5)
        let size = (n + buckets - 1) / buckets
        var out: [EquityPoint] = []
        out.reserveCapacity(buckets * 5)
        var b = 0
        while b < n {
            let e = min(n, b + size)
            var lo = b, hi = b, deep = b
            for i in b..<e {
                if equity[i] < equity[lo] { lo = i }
                if equity[i] > equity[hi] { hi = i }
                if dd[i] > dd[deep] { deep = i }
            }
            var idx = [b, lo, hi, deep, e - 1]
            idx.sort()
            var prev = -1
            for i in idx where i != prev { out.append(point(i)); prev = i }
            b = e
        }
        return out
    }
}

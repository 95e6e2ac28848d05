/// Technical indicators over candle columns.
///
/// Every indicator returns one value per input bar, `Double.nan` until its whole
/// window exists; strategies only act on defined (non-NaN) values.
public enum Indicators {}

extension Indicators {
    /// Simple moving average: the mean of the last `period` values.
    ///
    /// Defined from index `period - 1`. A running sum is used, with the window sum
    /// recomputed from scratch every 4,096 bars to keep rounding drift negligible.
    public static func sma(_ x: [Double], period: Int) -> [Double] {
        precondition(period >= 1, "sma period must be >= 1")
        let n = x.count
        var out = [Double](repeating: .nan, count: n)
        guard n >= period else { return out }
        x.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { o in
                let p = Double(period)
                var sum = 0.0
                for i in 0..<period { sum += xs[i] }
                o[period - 1] = sum / p
                var i = period
                while i < n {
                    if i & 4095 == 0 {
                        sum = 0
                        for j in (i - period + 1)...i { sum += xs[j] }
                    } else {
                        sum += xs[i] - xs[i - period]
                    }
                    o[i] = sum / p
                    i += 1
                }
            }
        }
        return out
    }
}

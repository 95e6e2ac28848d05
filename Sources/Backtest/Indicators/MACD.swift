extension Indicators {
    /// MACD line and its signal line.
    public struct MACDLines: Sendable, Equatable {
        /// EMA(fast) - EMA(slow) of closes; defined from index `slow - 1`.
        public var macd: [Double]
        /// EMA(signal) of the MACD line; defined from index `slow + signal - 2`.
        public var signal: [Double]
    }

    /// Computes MACD(fast, slow, signal) over `x` (usually closes).
    public static func macd(_ x: [Double], fast: Int, slow: Int, signal: Int) -> MACDLines {
        let f = ema(x, period: fast), s = ema(x, period: slow)
        var line = [Double](repeating: .nan, count: x.count)
        for i in 0..<x.count where !f[i].isNaN && !s[i].isNaN { line[i] = f[i] - s[i] }
        return MACDLines(macd: line, signal: ema(line, period: signal))
    }
}

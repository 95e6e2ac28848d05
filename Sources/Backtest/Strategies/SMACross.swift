// Rules of the moving-average and MACD crossover engines (flags built by `Signal.crosses`).
//
// - `sma_cross(fast, slow)`: SMA(fast) of closes crossing above SMA(slow) is bullish (go long,
//   or cover a short and go long); crossing below is bearish (exit the long; go short when
//   `allow_short`).
// - `ema_cross(fast, slow)`: the same with EMAs.
// - `macd_cross(fast, slow, signal)`: the MACD line (EMA(fast) - EMA(slow)) crossing above its
//   signal line (EMA(signal) of the MACD line) is bullish, crossing below is bearish.
//
// Crosses are strict two-bar rules: a crosses above b at t when a(t-1) < b(t-1) and a(t) > b(t).

extension Signal {
    /// Flags of `sma_cross(fast, slow)` from precomputed SMAs (see file comment for the rule).
    public static func smaCross(fastSMA: [Double], slowSMA: [Double]) -> [UInt8] {
        crosses(fastSMA, slowSMA)
    }
}

extension Signal {
    /// Flags of `donchian_breakout(entry, exit)`, channels of the bars before the current one:
    ///
    /// - close(t) > highest high of bars t-entry...t-1: enter long (and exit a short).
    /// - close(t) < lowest low of bars t-exit...t-1: exit long.
    /// - close(t) < lowest low of bars t-entry...t-1: enter short (when `allow_short`; exits a long).
    /// - close(t) > highest high of bars t-exit...t-1: exit short.
    ///
    /// The channel arrays hold each bar's own window (current bar included), so bar t reads
    /// index t-1.
    public static func donchianBreakout(close: [Double], entryUpper: [Double], entryLower: [Double],
                                        exitUpper: [Double], exitLower: [Double]) -> [UInt8] {
        let n = close.count
        var out = [UInt8](repeating: 0, count: n)
        guard n >= 2 else { return out }
        for t in 1..<n {
            let c = close[t]
            var f: UInt8 = 0
            if c > entryUpper[t - 1] { f |= enterLong | exitShort }
            if c < exitLower[t - 1] { f |= exitLong }
            if c < entryLower[t - 1] { f |= enterShort | exitLong }
            if c > exitUpper[t - 1] { f |= exitShort }
            out[t] = f
        }
        return out
    }
}

/// Candle columns for one instrument and bar size, oldest first.
///
/// Every column has the same count; `time` is each candle's open time in Unix
/// milliseconds (UTC), strictly ascending. The engine reads the columns directly,
/// so keep them contiguous `[Double]`/`[Int64]` arrays.
public struct Candles: Sendable, Equatable {
    /// Open time of each candle, Unix milliseconds, strictly ascending.
    public let time: [Int64]
    public let open: [Double]
    public let high: [Double]
    public let low: [Double]
    public let close: [Double]
    public let volume: [Double]

    /// Number of candles.
    public var count: Int { time.count }

    /// Builds candle columns, checking equal lengths, ascending time and finite, positive prices.
    ///
    /// - Throws: `BacktestError.invalidCandles` naming the first problem found.
    public init(time: [Int64], open: [Double], high: [Double], low: [Double],
                close: [Double], volume: [Double]) throws {
        let n = time.count
        for (name, c) in [("open", open.count), ("high", high.count), ("low", low.count),
                          ("close", close.count), ("volume", volume.count)] where c != n {
            throw BacktestError.invalidCandles("column \(name) has \(c) values, time has \(n)")
        }
        for i in 0..<n {
            if i > 0 && time[i] <= time[i - 1] {
                throw BacktestError.invalidCandles("time must be strictly ascending; index \(i) is \(time[i]) after \(time[i - 1])")
            }
            let o = open[i], h = high[i], l = low[i], c = close[i]
            guard o.isFinite, h.isFinite, l.isFinite, c.isFinite, o > 0, h > 0, l > 0, c > 0 else {
                throw BacktestError.invalidCandles("prices must be finite and > 0; index \(i) is not")
            }
            guard h >= max(o, c), l <= min(o, c) else {
                throw BacktestError.invalidCandles("need low <= open, close <= high; index \(i) is not")
            }
        }
        self.init(unchecked: time, open: open, high: high, low: low, close: close, volume: volume)
    }

    /// Builds candle columns without checks (the caller guarantees the invariants).
    public init(unchecked time: [Int64], open: [Double], high: [Double], low: [Double],
                close: [Double], volume: [Double]) {
        self.time = time
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }

    /// The candles in `range` (indices), as new contiguous columns.
    public func slice(_ range: Range<Int>) -> Candles {
        Candles(unchecked: Array(time[range]), open: Array(open[range]), high: Array(high[range]),
                low: Array(low[range]), close: Array(close[range]), volume: Array(volume[range]))
    }

    /// Index of the first candle whose time is >= `t` (binary search); `count` if none.
    public func firstIndex(atOrAfter t: Int64) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if time[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

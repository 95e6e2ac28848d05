extension Indicators {
    /// Donchian channel: highest high and lowest low of the last `period` bars,
    /// the current bar included. Defined from index `period - 1`. O(n) with monotonic deques.
    public struct Channel: Sendable, Equatable {
        public var upper: [Double]
        public var lower: [Double]
    }

    /// Computes the Donchian channel of `high` and `low`.
    public static func donchian(high: [Double], low: [Double], period: Int) -> Channel {
        Channel(upper: rollingExtreme(high, period: period, max: true),
                lower: rollingExtreme(low, period: period, max: false))
    }

    /// Rolling maximum (or minimum) over a window of `period` values.
    static func rollingExtreme(_ x: [Double], period: Int, max isMax: Bool) -> [Double] {
        precondition(period >= 1, "donchian period must be >= 1")
        let n = x.count
        var out = [Double](repeating: .nan, count: n)
        var dq = [Int](repeating: 0, count: n)  // ring-free deque: indices in dq[head..<tail]
        var head = 0, tail = 0
        for i in 0..<n {
            let v = x[i]
            while tail > head && (isMax ? x[dq[tail - 1]] <= v : x[dq[tail - 1]] >= v) { tail -= 1 }
            dq[tail] = i
            tail += 1
            if dq[head] <= i - period { head += 1 }
            if i >= period - 1 { out[i] = x[dq[head]] }
        }
        return out
    }
}

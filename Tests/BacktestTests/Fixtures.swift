@testable import Backtest

/// SplitMix64: a small seeded generator, so every test is deterministic.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

enum Fixtures {
    static let t0: Int64 = 1_704_067_200_000  // 2024-01-01T00:00Z
    static let minute: Int64 = 60_000
    static let day: Int64 = 86_400_000

    /// Seeded random walk of `n` candles, `step` ms apart, starting at `price`.
    static func randomWalk(_ n: Int, seed: UInt64, step: Int64 = minute, price: Double = 100,
                           start: Int64 = t0) -> Candles {
        var rng = SplitMix64(seed: seed)
        var time = [Int64](), open = [Double](), high = [Double](), low = [Double](), close = [Double](), vol = [Double]()
        var p = price
        for i in 0..<n {
            let o = p
            let c = o * (1 + (rng.unit() - 0.5) * 0.01)
            time.append(start + Int64(i) * step)
            open.append(o); close.append(c)
            high.append(max(o, c) * (1 + rng.unit() * 0.003))
            low.append(min(o, c) * (1 - rng.unit() * 0.003))
            vol.append(rng.unit())
            p = c
        }
        return Candles(unchecked: time, open: open, high: high, low: low, close: close, volume: vol)
    }

    /// Candles from (open, high, low, close) rows, `step` ms apart.
    static func bars(_ rows: [(Double, Double, Double, Double)], step: Int64 = minute, start: Int64 = t0) -> Candles {
        Candles(unchecked: rows.indices.map { start + Int64($0) * step }, open: rows.map(\.0), high: rows.map(\.1),
                low: rows.map(\.2), close: rows.map(\.3), volume: rows.map { _ in 1 })
    }

    /// Candles whose every price is `p` for bar i (o = h = l = c).
    static func flat(_ prices: [Double], step: Int64 = minute) -> Candles {
        bars(prices.map { ($0, $0, $0, $0) }, step: step)
    }

    static func spec(_ e: Engine, _ p: [String: Double] = [:], sl: Double? = nil, tp: Double? = nil,
                     short: Bool = false) -> StrategySpec {
        try! StrategySpec(engine: e, params: p, stopLossPct: sl, takeProfitPct: tp, allowShort: short)
    }

    /// Runs the simulator on hand-made signal flags.
    static func simulate(_ c: Candles, _ signals: [UInt8], spec s: StrategySpec = spec(.buyHold),
                         settings: RunSettings) -> SimulationOutput {
        Simulator.run(candles: c, signals: signals, spec: s, settings: settings)
    }
}

/// |a - b| <= tol × max(1, |a|, |b|).
func close(_ a: Double, _ b: Double, _ tol: Double = 1e-9) -> Bool {
    abs(a - b) <= tol * max(1, abs(a), abs(b))
}
func close(_ a: Double?, _ b: Double?, _ tol: Double = 1e-9) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case let (x?, y?): return close(x, y, tol)
    default: return false
    }
}

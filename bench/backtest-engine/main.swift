// Engine benchmark (prints figures; not a test).
// Run: swift run -c release --scratch-path .build-bt bench-backtest-engine
import Backtest
import Foundation

/// SplitMix64: small, seeded, deterministic.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// Seeded random walk of `n` one-minute candles.
func randomWalk(_ n: Int, seed: UInt64) -> Candles {
    var rng = SplitMix64(state: seed)
    var time = [Int64](), open = [Double](), high = [Double](), low = [Double](), close = [Double](), volume = [Double]()
    time.reserveCapacity(n); open.reserveCapacity(n); high.reserveCapacity(n)
    low.reserveCapacity(n); close.reserveCapacity(n); volume.reserveCapacity(n)
    var price = 30_000.0
    let t0: Int64 = 1_704_067_200_000
    for i in 0..<n {
        let o = price
        let c = o * (1 + (rng.unit() - 0.5) * 0.004)
        let h = max(o, c) * (1 + rng.unit() * 0.001)
        let l = min(o, c) * (1 - rng.unit() * 0.001)
        time.append(t0 + Int64(i) * 60_000)
        open.append(o); high.append(h); low.append(l); close.append(c); volume.append(rng.unit() * 10)
        price = c
    }
    return Candles(unchecked: time, open: open, high: high, low: low, close: close, volume: volume)
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func peakRSSKiB() -> Int {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }
    return -1
}

let n = 1_000_000
print("command: swift run -c release --scratch-path .build-bt bench-backtest-engine")
print("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
let candles = randomWalk(n, seed: 42)
let settings = RunSettings()
let spec = try StrategySpec(engine: .smaCross, params: ["fast": 10, "slow": 30])

// 1. Engine alone: precomputed SMAs, signal flags + simulation loop (best of 7).
let fastSMA = Indicators.sma(candles.close, period: 10)
let slowSMA = Indicators.sma(candles.close, period: 30)
var bestLoop = Double.infinity, bestSignalsAndLoop = Double.infinity
var trades = 0
for _ in 0..<7 {
    let t0 = now()
    let signals = Signal.smaCross(fastSMA: fastSMA, slowSMA: slowSMA)
    let t1 = now()
    let r = Backtester.simulate(candles: candles, signals: signals, spec: spec, settings: settings)
    let t2 = now()
    trades = r.trades
    bestLoop = min(bestLoop, t2 - t1)
    bestSignalsAndLoop = min(bestSignalsAndLoop, t2 - t0)
}
print(String(format: "sma_cross(10,30) engine alone, %d bars, %d trades: signals+loop %.2f ms = %.1f M bars/s (loop only %.2f ms = %.1f M bars/s); target >= 50 M bars/s/core",
             n, trades, bestSignalsAndLoop * 1e3, Double(n) / bestSignalsAndLoop / 1e6, bestLoop * 1e3, Double(n) / bestLoop / 1e6))

// 2. Full single run with indicators from scratch, metrics and downsampled curve.
var bestRun = Double.infinity
for _ in 0..<3 {
    let t0 = now()
    let r = try Backtester.run(candles: candles, spec: spec, settings: settings)
    bestRun = min(bestRun, now() - t0)
    precondition(r.curve.count <= 2000)
}
print(String(format: "sma_cross(10,30) full run (indicators, metrics, equity column, curve): %.1f ms", bestRun * 1e3))

// 3. Grid of 100 SMA pairs, all cores.
let fasts = stride(from: 5.0, through: 50, by: 5).map { $0 }
let slows = stride(from: 60.0, through: 240, by: 20).map { $0 }
let t0 = now()
let opt = try Optimizer.run(candles: candles, engine: .smaCross, grid: ["fast": fasts, "slow": slows],
                            settings: settings, objective: "sharpe", minTrades: 1)
let gridTime = now() - t0
print(String(format: "grid of %d SMA pairs on %d candles: %.2f s wall (target < 3 s), skipped %d, best %@",
             opt.rows.count, n, gridTime, opt.skipped, opt.best.map { "\($0.params)" } ?? "none"))
print("peak RSS (VmHWM): \(peakRSSKiB() / 1024) MiB")

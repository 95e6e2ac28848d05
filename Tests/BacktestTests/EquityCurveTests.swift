import Testing
@testable import Backtest

@Suite struct EquityCurveTests {
    @Test func shortCurvesAreKeptWholeWithDrawdown() {
        let p = EquityCurve.downsample(time: [1, 2, 3], equity: [100, 80, 120], capital: 100)
        #expect(p.map(\.drawdownPct) == [0, 20, 0])
        #expect(p.map(\.time) == [1, 2, 3])
    }

    @Test func longCurvesKeepEveryExtremeWithinTheBound() {
        var rng = SplitMix64(seed: 7)
        var e = 10_000.0
        var eq = [Double](), time = [Int64]()
        for i in 0..<100_000 { e *= 1 + (rng.unit() - 0.5) * 0.01; eq.append(e); time.append(Int64(i)) }
        let p = EquityCurve.downsample(time: time, equity: eq, capital: 10_000, maxPoints: 2000)
        #expect(p.count <= 2000 && p.count > 1000)
        #expect(p.first!.time == 0 && p.last!.time == 99_999)
        #expect(p.map(\.equity).max() == eq.max())
        #expect(p.map(\.equity).min() == eq.min())
        var peak = 10_000.0, maxDD = 0.0
        for x in eq { peak = max(peak, x); maxDD = max(maxDD, (peak - x) / peak * 100) }
        #expect(close(p.map(\.drawdownPct).max()!, maxDD))
        #expect(zip(p, p.dropFirst()).allSatisfy { $0.time < $1.time })
    }
}

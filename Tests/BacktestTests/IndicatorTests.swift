import Testing
@testable import Backtest

@Suite struct IndicatorTests {
    let x: [Double] = [1, 2, 3, 4, 5, 6]

    @Test func smaIsUndefinedUntilItsWindowThenTheMean() {
        let s = Indicators.sma(x, period: 3)
        #expect(s[0].isNaN && s[1].isNaN)
        #expect(Array(s[2...]) == [2, 3, 4, 5])
        #expect(Indicators.sma([1, 2], period: 3).allSatisfy { $0.isNaN })
        #expect(Indicators.sma(x, period: 1) == x)
    }

    @Test func emaSeedsWithTheMeanThenSmooths() {
        let e = Indicators.ema(x, period: 3)  // alpha = 0.5
        #expect(e[0].isNaN && e[1].isNaN)
        #expect(e[2] == 2)            // mean of 1, 2, 3
        #expect(e[3] == 3)            // 0.5*4 + 0.5*2
        #expect(e[4] == 4)            // 0.5*5 + 0.5*3
        #expect(e[5] == 5)
        let g = Indicators.ema([.nan, .nan, 2, 4, 6], period: 2)  // alpha 2/3, seed at index 3
        #expect(g[2].isNaN && g[3] == 3 && close(g[4], 2.0 / 3 * 6 + 1.0 / 3 * 3))
    }

    @Test func rsiUsesWilderSmoothing() {
        let c: [Double] = [10, 11, 10, 12, 13]  // changes +1, -1, +2, +1
        let r = Indicators.rsi(c, period: 2)
        #expect(r[0].isNaN && r[1].isNaN)
        #expect(r[2] == 50)                            // gains 0.5, losses 0.5
        // avgGain = (0.5*1 + 2)/2 = 1.25, avgLoss = (0.5*1 + 0)/2 = 0.25 -> RS 5
        #expect(close(r[3], 100 - 100 / 6.0))
        // avgGain = (1.25 + 1)/2 = 1.125, avgLoss = 0.125 -> RS 9
        #expect(close(r[4], 90))
        #expect(Indicators.rsi([1, 2, 3, 4], period: 2)[3] == 100)
        #expect(Indicators.rsi([5, 5, 5], period: 2)[2] == 50)
    }

    @Test func bollingerUsesPopulationSigma() {
        let b = Indicators.bollinger([2, 4, 4, 4, 5, 5, 7, 9], period: 8, k: 2)  // mean 5, σ 2
        #expect(b.middle[7] == 5)
        #expect(close(b.upper[7], 9) && close(b.lower[7], 1))
        #expect(b.upper[6].isNaN)
        let c = Indicators.bollinger([1, 3, 5], period: 2, k: 1)
        #expect(close(c.upper[1], 3) && close(c.lower[2], 3) && close(c.upper[2], 5))
    }

    @Test func macdIsTheEMADifferenceAndItsSignal() {
        let m = Indicators.macd(x, fast: 1, slow: 3, signal: 2)
        // EMA1 = x; EMA3 from index 2: 2, 3, 4, 5 -> macd 1, 1, 1, 1
        #expect(m.macd[1].isNaN)
        #expect(Array(m.macd[2...]) == [1, 1, 1, 1])
        #expect(m.signal[2].isNaN && m.signal[3] == 1 && m.signal[5] == 1)
    }

    @Test func donchianIsTheRollingHighAndLow() {
        let h: [Double] = [3, 5, 4, 2, 6, 1]
        let l: [Double] = [1, 2, 0.5, 1, 3, 0.2]
        let d = Indicators.donchian(high: h, low: l, period: 3)
        #expect(d.upper[1].isNaN)
        #expect(Array(d.upper[2...]) == [5, 5, 6, 6])
        #expect(Array(d.lower[2...]) == [0.5, 0.5, 0.5, 0.2])
    }

    @Test func atrIsWilderSmoothedTrueRange() {
        let h: [Double] = [10, 12, 11, 15]
        let l: [Double] = [9, 10, 8, 12]
        let c: [Double] = [9.5, 11, 9, 14]
        // TR1 = max(2, 2.5, 0.5) = 2.5; TR2 = max(3, 0, 3) = 3; TR3 = max(3, 6, 3) = 6
        let a = Indicators.atr(high: h, low: l, close: c, period: 2)
        #expect(a[1].isNaN)
        #expect(a[2] == 2.75)
        #expect(a[3] == (2.75 + 6) / 2)
    }

    @Test func cacheComputesEachSeriesOnce() {
        let c = Fixtures.randomWalk(100, seed: 1)
        let cache = IndicatorCache(candles: c)
        let a = cache.series(.sma(5))
        _ = cache.series(.sma(5))
        _ = cache.series(.ema(5))
        #expect(cache.count == 2)
        #expect(a.count == 100 && a[4] == Indicators.sma(c.close, period: 5)[4])
    }

    @Test func smaStaysExactOverLongSeries() {
        let c = Fixtures.randomWalk(20_000, seed: 3).close
        let s = Indicators.sma(c, period: 37)
        for i in stride(from: 36, to: c.count, by: 997) {
            let naive = c[(i - 36)...i].reduce(0, +) / 37
            #expect(close(s[i], naive, 1e-12))
        }
    }
}

@Suite struct IndicatorCacheBoundTests {
    @Test func theCacheDropsItsOldestSeriesBeyondItsBound() {
        let c = Fixtures.randomWalk(1000, seed: 4)
        let cache = IndicatorCache(candles: c, maxBytes: 2 * 1000 * 8)
        let a = cache.series(.sma(3))
        _ = cache.series(.sma(4))
        _ = cache.series(.sma(5))
        #expect(cache.count == 2)
        #expect(Array(cache.series(.sma(3)).dropFirst(2)) == Array(a.dropFirst(2)))  // recomputed, same values
    }
}

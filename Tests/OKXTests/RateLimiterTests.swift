// WindowRateLimiter with a virtual clock: bursts, pacing, never more than N per window+margin.

import Testing
@testable import OKX

@Suite struct RateLimiterTests {
    /// Acquires `count` grants one after another and returns the virtual time of each.
    func grants(_ limiter: WindowRateLimiter, _ clock: VirtualClock, _ endpoint: OKXEndpoint, _ count: Int,
                gapMs: Int64 = 0) async throws -> [Int64] {
        var times: [Int64] = []
        for _ in 0..<count {
            try await limiter.acquire(endpoint)
            times.append(clock.nowMs())
            clock.advance(gapMs)
        }
        return times
    }

    func maxInAnySpan(_ times: [Int64], span: Int64) -> Int {
        var best = 0
        for (i, t) in times.enumerated() {
            best = max(best, times[i...].prefix { $0 < t + span }.count)
        }
        return best
    }

    @Test(arguments: OKXEndpoint.allCases)
    func burstThenPacedAtThePublishedLimit(endpoint: OKXEndpoint) async throws {
        let clock = VirtualClock(startMs: 1_000_000)
        let limiter = WindowRateLimiter(clock: clock)
        let n = endpoint.publishedLimit.requests
        let span = endpoint.publishedLimit.windowMs + 100
        let times = try await grants(limiter, clock, endpoint, 5 * n + 3)
        #expect(times.prefix(n).allSatisfy { $0 == 1_000_000 }, "a full window goes at once")
        #expect(times[n] == 1_000_000 + span, "then the next waits for the window plus margin")
        #expect(maxInAnySpan(times, span: span) == n)
        #expect(zip(times, times.dropFirst(n)).allSatisfy { $1 - $0 >= span })
    }

    @Test func publishedLimits() {
        #expect(OKXEndpoint.candles.publishedLimit == OKXRateLimit(requests: 40, windowMs: 2_000))
        #expect(OKXEndpoint.historyCandles.publishedLimit == OKXRateLimit(requests: 20, windowMs: 2_000))
        #expect(OKXEndpoint.instruments.publishedLimit == OKXRateLimit(requests: 20, windowMs: 2_000))
        #expect(OKXEndpoint.tickers.publishedLimit == OKXRateLimit(requests: 20, windowMs: 2_000))
        #expect(OKXEndpoint.time.publishedLimit == OKXRateLimit(requests: 10, windowMs: 2_000))
    }

    @Test func configurableLimitAndMargin() async throws {
        let clock = VirtualClock()
        let limiter = WindowRateLimiter(limits: [.historyCandles: OKXRateLimit(requests: 2, windowMs: 1_000)],
                                        safetyMarginMs: 250, clock: clock)
        let times = try await grants(limiter, clock, .historyCandles, 6)
        #expect(times == [0, 0, 1_250, 1_250, 2_500, 2_500])
        #expect(clock.sleeps.allSatisfy { $0 > 0 })
    }

    @Test func spreadOutRequestsNeverWait() async throws {
        let clock = VirtualClock()
        let limiter = WindowRateLimiter(limits: [.time: OKXRateLimit(requests: 2, windowMs: 1_000)],
                                        safetyMarginMs: 0, clock: clock)
        // One request every 500 ms: at most 2 in any 1000 ms, so nobody waits.
        let times = try await grants(limiter, clock, .time, 10, gapMs: 500)
        #expect(times == stride(from: 0, to: 5_000, by: 500).map { Int64($0) })
        #expect(clock.sleeps.isEmpty)
    }

    @Test func irregularArrivalsNeverExceedTheLimit() async throws {
        let clock = VirtualClock()
        let limiter = WindowRateLimiter(limits: [.candles: OKXRateLimit(requests: 5, windowMs: 2_000)],
                                        safetyMarginMs: 100, clock: clock)
        var times: [Int64] = []
        var x: UInt64 = 42
        for _ in 0..<200 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            clock.advance(Int64(x >> 33) % 900)
            try await limiter.acquire(.candles)
            times.append(clock.nowMs())
        }
        #expect(maxInAnySpan(times, span: 2_100) <= 5)
    }

    @Test func endpointsAreIndependent() async throws {
        let clock = VirtualClock()
        let limiter = WindowRateLimiter(clock: clock)
        _ = try await grants(limiter, clock, .time, 10)
        #expect(clock.nowMs() == 0)
        _ = try await grants(limiter, clock, .candles, 40)
        #expect(clock.nowMs() == 0, "time's full window does not slow candles")
        _ = try await grants(limiter, clock, .time, 1)
        #expect(clock.nowMs() == 2_100)
    }

    @Test func concurrentCallersNeverExceedTheLimit() async throws {
        let clock = VirtualClock()
        let limiter = WindowRateLimiter(clock: clock)
        await limiter.keepHistory()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<130 { group.addTask { try await limiter.acquire(.candles) } }
            for _ in 0..<50 { group.addTask { try await limiter.acquire(.historyCandles) } }
            try await group.waitForAll()
        }
        let candles = await limiter.history?[.candles] ?? []
        let history = await limiter.history?[.historyCandles] ?? []
        #expect(candles.count == 130 && history.count == 50)
        #expect(maxInAnySpan(candles.sorted(), span: 2_100) <= 40)
        #expect(maxInAnySpan(history.sorted(), span: 2_100) <= 20)
    }

    @Test func cancellationStopsTheWait() async throws {
        let limiter = WindowRateLimiter(limits: [.time: OKXRateLimit(requests: 1, windowMs: 60_000)])
        try await limiter.acquire(.time)
        let task = Task { try await limiter.acquire(.time) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}

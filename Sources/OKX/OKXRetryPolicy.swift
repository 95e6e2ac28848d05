// OKXRetryPolicy: which failures are retried, how long to wait, and the budget.

/// Exponential backoff with jitter, bounded by attempts and total time.
public struct OKXRetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included (1 = never retry).
    public var maxAttempts: Int
    /// Total time budget from the first attempt; a retry whose wait would cross it is not made.
    public var maxTotalMs: Int64
    /// Wait before the first retry, doubled at each further retry...
    public var baseDelayMs: Int64
    /// ...up to this.
    public var maxDelayMs: Int64
    /// Fraction of each wait that is random: the wait is d * (1 - jitter * u), u in [0, 1).
    public var jitter: Double

    /// OKX codes that mean "try again later".
    public static let retryableCodes: Set<String> = ["50011", "50013", "50001", "50004", "50026"]
    /// OKX codes (or HTTP 429) counted as refusals by the rate limit.
    public static let rateLimitCodes: Set<String> = ["50011"]
    /// OKX's "no market data found": an empty result, not an error.
    public static let noDataCode = "52000"

    public init(maxAttempts: Int = 6, maxTotalMs: Int64 = 60_000, baseDelayMs: Int64 = 250,
                maxDelayMs: Int64 = 10_000, jitter: Double = 0.5) {
        precondition(maxAttempts >= 1, "maxAttempts must be >= 1")
        precondition(baseDelayMs >= 0 && maxDelayMs >= baseDelayMs, "need 0 <= baseDelayMs <= maxDelayMs")
        precondition(jitter >= 0 && jitter <= 1, "jitter must be in 0...1")
        self.maxAttempts = maxAttempts
        self.maxTotalMs = maxTotalMs
        self.baseDelayMs = baseDelayMs
        self.maxDelayMs = maxDelayMs
        self.jitter = jitter
    }

    /// No retries at all.
    public static let none = OKXRetryPolicy(maxAttempts: 1)

    /// The wait after failed attempt `attempt` (1-based), given a random number in [0, 1).
    public func delayMs(afterAttempt attempt: Int, random u: Double) -> Int64 {
        let exponent = min(max(attempt - 1, 0), 40)
        let raw = Double(baseDelayMs) * pow2(exponent)
        let capped = min(raw, Double(maxDelayMs))
        let jittered = capped * (1 - jitter * min(max(u, 0), 1))
        return Int64(jittered.rounded())
    }

    /// True when an HTTP status alone calls for a retry (429 and 5xx).
    public static func isRetryable(httpStatus: Int) -> Bool { httpStatus == 429 || (500...599).contains(httpStatus) }

    private func pow2(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<n { r *= 2 }
        return r
    }
}

// OKXRateLimiter: the client asks before every request. WindowRateLimiter is the in-process
// implementation; a database-backed limiter shared across processes can implement the same
// protocol.

/// Grants permission to send one request to `endpoint`, waiting as long as needed.
public protocol OKXRateLimiter: Sendable {
    /// Returns when one request to `endpoint` may be sent; throws when cancelled.
    func acquire(_ endpoint: OKXEndpoint) async throws
}

/// A limiter that never waits (tests, or a caller that limits elsewhere).
public struct UnlimitedRateLimiter: OKXRateLimiter {
    public init() {}
    public func acquire(_ endpoint: OKXEndpoint) async throws { try Task.checkCancellation() }
}

/// Sliding-window limiter: it remembers the times of the last N grants per endpoint and grants
/// a request only when fewer than N grants happened in the last (window + safety margin).
/// A full window's worth goes at once; after that requests are paced by the oldest grant.
public actor WindowRateLimiter: OKXRateLimiter {
    public let limits: [OKXEndpoint: OKXRateLimit]
    public let safetyMarginMs: Int64
    private let clock: any OKXClock
    private var grants: [OKXEndpoint: [Int64]] = [:]
    /// Every grant time, kept only when tests ask for it (`keepHistory()`).
    private(set) var history: [OKXEndpoint: [Int64]]? = nil

    /// - Parameters:
    ///   - limits: per-endpoint overrides; endpoints not named use OKX's published limit.
    ///   - safetyMarginMs: added to each window (default 100 ms) to absorb clock skew and latency.
    ///   - clock: time source and sleeper (injected in tests).
    public init(limits: [OKXEndpoint: OKXRateLimit] = [:], safetyMarginMs: Int64 = 100,
                clock: any OKXClock = SystemOKXClock()) {
        precondition(safetyMarginMs >= 0, "safety margin must be >= 0")
        var all: [OKXEndpoint: OKXRateLimit] = [:]
        for e in OKXEndpoint.allCases { all[e] = limits[e] ?? e.publishedLimit }
        self.limits = all
        self.safetyMarginMs = safetyMarginMs
        self.clock = clock
    }

    public func acquire(_ endpoint: OKXEndpoint) async throws {
        let limit = limits[endpoint] ?? endpoint.publishedLimit
        let span = limit.windowMs + safetyMarginMs
        while true {
            try Task.checkCancellation()
            let now = clock.nowMs()
            var recent = grants[endpoint] ?? []
            // A grant at g still counts while now - g < span.
            if let firstLive = recent.firstIndex(where: { now - $0 < span }) {
                if firstLive > 0 { recent.removeFirst(firstLive) }
            } else {
                recent.removeAll()
            }
            if recent.count < limit.requests {
                recent.append(now)
                grants[endpoint] = recent
                if history != nil { history![endpoint, default: []].append(now) }
                return
            }
            grants[endpoint] = recent
            // The oldest remembered grant leaves the window at recent[count - N] + span.
            let wait = recent[recent.count - limit.requests] + span - now
            try await clock.sleep(ms: max(wait, 1))
        }
    }

    /// Starts keeping every grant time (tests).
    func keepHistory() { if history == nil { history = [:] } }

    /// Grant times currently remembered for `endpoint` (for tests and diagnostics).
    public func recentGrants(_ endpoint: OKXEndpoint) -> [Int64] { grants[endpoint] ?? [] }
}

// OKXStats: per-endpoint request counters, thread-safe, for metrics.

import Foundation

/// Counts requests, refusals (HTTP 429 or code 50011), retries and failures per endpoint.
/// Safe to read from any thread while the client runs.
public final class OKXStats: @unchecked Sendable {
    public struct Counters: Sendable, Equatable {
        /// HTTP requests sent (every attempt).
        public var requests: Int = 0
        /// Answers that were rate-limit refusals (HTTP 429 or code 50011).
        public var refusals: Int = 0
        /// Retries made after a retryable failure.
        public var retries: Int = 0
        /// Calls that finally failed (after retries, if any).
        public var failures: Int = 0
        /// Calls that succeeded.
        public var successes: Int = 0

        public init() {}
    }

    private let lock = NSLock()
    private var counters: [OKXEndpoint: Counters] = [:]

    public init() {}

    /// Counters of one endpoint.
    public func counters(_ endpoint: OKXEndpoint) -> Counters {
        lock.lock(); defer { lock.unlock() }
        return counters[endpoint] ?? Counters()
    }

    /// Counters of every endpoint (all endpoints present, zeros included).
    public func snapshot() -> [OKXEndpoint: Counters] {
        lock.lock(); defer { lock.unlock() }
        var out: [OKXEndpoint: Counters] = [:]
        for e in OKXEndpoint.allCases { out[e] = counters[e] ?? Counters() }
        return out
    }

    func update(_ endpoint: OKXEndpoint, _ change: (inout Counters) -> Void) {
        lock.lock(); defer { lock.unlock() }
        var c = counters[endpoint] ?? Counters()
        change(&c)
        counters[endpoint] = c
    }
}

// DatabaseRateLimiter: the OKX request budget shared by every worker process that leaves through
// one IP, taken from market.okx_rate_limits with market.okx_rate_acquire (one upsert per try).

import Foundation
import Logging
import OKX
import Postgres

/// An `OKXRateLimiter` whose window lives in the database, so that all slots of all worker
/// processes with the same `rateKey` (one per outgoing IP) share OKX's per-IP limits.
public final class DatabaseRateLimiter: OKXRateLimiter {
    public let database: Database
    public let rateKey: String
    public let limits: [OKXEndpoint: OKXRateLimit]
    public let marginMs: Int
    private let logger: Logger

    /// - Parameters:
    ///   - rateKey: names the IP's share (default in the CLI: the host name).
    ///   - limits: per-endpoint overrides; endpoints not named use OKX's published limit.
    ///   - scale: multiplies the request counts (to match okx-sim's --rate-limit-scale in tests).
    ///   - marginMs: added to each window (default 100 ms) for latency and clock skew.
    public init(database: Database, rateKey: String, limits: [OKXEndpoint: OKXRateLimit] = [:],
                scale: Double = 1, marginMs: Int = 100, logger: Logger) {
        precondition(!rateKey.isEmpty, "rate key must not be empty")
        precondition(scale > 0, "scale must be > 0")
        var all: [OKXEndpoint: OKXRateLimit] = [:]
        for e in OKXEndpoint.allCases {
            let base = limits[e] ?? e.publishedLimit
            all[e] = OKXRateLimit(requests: max(1, Int((Double(base.requests) * scale).rounded(.down))), windowMs: base.windowMs)
        }
        self.database = database
        self.rateKey = rateKey
        self.limits = all
        self.marginMs = marginMs
        self.logger = logger
    }

    public func acquire(_ endpoint: OKXEndpoint) async throws {
        let limit = limits[endpoint] ?? endpoint.publishedLimit
        while true {
            try Task.checkCancellation()
            let result = try await database.query(
                "select market.okx_rate_acquire($1, $2, $3, $4, $5) as wait_ms",
                [rateKey, endpoint.rawValue, limit.requests, Int(limit.windowMs), marginMs])
            let wait = try result.first?.int("wait_ms") ?? 0
            if wait <= 0 { return }
            logger.trace("okx rate limit: waiting", metadata: [
                "okx.endpoint": "\(endpoint.rawValue)", "okx.rate_key": "\(rateKey)", "okx.wait_ms": "\(wait)"])
            try await Task.sleep(for: .milliseconds(wait))
        }
    }
}

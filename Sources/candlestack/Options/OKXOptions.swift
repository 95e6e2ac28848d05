import ArgumentParser
import Foundation
import Logging
import OKX
import Worker

/// Where OKX is and whose rate budget to draw from; shared by `worker` and `fetch`.
struct OKXOptions: ParsableArguments {
    @Option(name: .customLong("okx-base-url"),
            help: "OKX REST base URL (default: $OKX_BASE_URL, else https://www.okx.com); okx-sim's http://127.0.0.1:PORT in tests.")
    var okxBaseURL: String?

    @Option(name: .customLong("rate-key"),
            help: "Names the outgoing IP whose OKX budget this process shares with others through the database (default: the host name).")
    var rateKey: String?

    @Option(name: .customLong("okx-rate-limit-scale"),
            help: "Multiplies OKX's published request limits (match okx-sim's --rate-limit-scale; 1 for the real OKX).")
    var okxRateLimitScale: Double = 1

    @Option(name: .customLong("okx-rate-margin-ms"),
            help: "Added to each 2 s rate window for latency between a grant and OKX receiving the request.")
    var okxRateMarginMs: Int = 100

    func validate() throws {
        if let okxBaseURL {
            guard let url = URL(string: okxBaseURL), let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", url.host != nil else {
                throw ValidationError("--okx-base-url must be an http(s) URL such as https://www.okx.com; got \(okxBaseURL)")
            }
        }
        if let rateKey, rateKey.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--rate-key must not be empty")
        }
        guard (0...10_000).contains(okxRateMarginMs) else {
            throw ValidationError("--okx-rate-margin-ms must be 0...10000; got \(okxRateMarginMs)")
        }
        guard okxRateLimitScale > 0, okxRateLimitScale <= 1000 else {
            throw ValidationError("--okx-rate-limit-scale must be > 0 and <= 1000; got \(okxRateLimitScale)")
        }
    }

    /// --okx-base-url, else $OKX_BASE_URL, else https://www.okx.com.
    func baseURL() throws -> URL {
        if let okxBaseURL, let url = URL(string: okxBaseURL) { return url }
        do { return try OKXConfiguration.baseURL(fromEnvironment: ProcessInfo.processInfo.environment) } catch {
            throw CLIError("\(error)")
        }
    }

    /// --rate-key, else the host name.
    var resolvedRateKey: String {
        if let rateKey, !rateKey.isEmpty { return rateKey }
        let host = ProcessInfo.processInfo.hostName
        return host.isEmpty ? "localhost" : host
    }

    /// A client whose rate limiter lives in the database (market.okx_rate_acquire), shared by
    /// every process with the same rate key: what workers use.
    func makeClient(database: Database, logger: Logger) throws -> OKXClient {
        let limiter = DatabaseRateLimiter(database: database, rateKey: resolvedRateKey, scale: okxRateLimitScale,
                                          marginMs: okxRateMarginMs, logger: logger)
        return OKXClient(configuration: OKXConfiguration(baseURL: try baseURL(), rateLimiter: limiter), logger: logger)
    }

    /// A client paced in this process only (no database): for one-off commands such as fetch.
    func makeLocalClient(logger: Logger) throws -> OKXClient {
        var limits: [OKXEndpoint: OKXRateLimit] = [:]
        for e in OKXEndpoint.allCases {
            limits[e] = OKXRateLimit(requests: max(1, Int(Double(e.publishedLimit.requests) * okxRateLimitScale)),
                                     windowMs: e.publishedLimit.windowMs)
        }
        return OKXClient(configuration: OKXConfiguration(baseURL: try baseURL(), rateLimiter: WindowRateLimiter(limits: limits, safetyMarginMs: Int64(okxRateMarginMs))),
                         logger: logger)
    }
}

// OKXConfiguration: where OKX is, how long to wait, how to retry, how to pace.

import Foundation

public struct OKXConfiguration: Sendable {
    public static let defaultBaseURL = URL(string: "https://www.okx.com")!
    /// The environment variable that overrides the base URL.
    public static let baseURLEnvironmentKey = "OKX_BASE_URL"

    /// e.g. https://www.okx.com, or okx-sim's http://127.0.0.1:PORT. A path prefix is kept.
    public var baseURL: URL
    /// Per-request timeout.
    public var requestTimeout: Duration
    public var retryPolicy: OKXRetryPolicy
    public var rateLimiter: any OKXRateLimiter

    public init(baseURL: URL = OKXConfiguration.defaultBaseURL,
                requestTimeout: Duration = .seconds(10),
                retryPolicy: OKXRetryPolicy = OKXRetryPolicy(),
                rateLimiter: any OKXRateLimiter = WindowRateLimiter()) {
        self.baseURL = baseURL
        self.requestTimeout = requestTimeout
        self.retryPolicy = retryPolicy
        self.rateLimiter = rateLimiter
    }

    /// The base URL from `OKX_BASE_URL`, or the default when it is unset or empty.
    /// Throws `OKXError.invalidArgument` when it is set but not an http(s) URL.
    public static func baseURL(fromEnvironment environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        guard let value = environment[baseURLEnvironmentKey]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            return defaultBaseURL
        }
        guard let url = URL(string: value), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", url.host != nil else {
            throw OKXError.invalidArgument("\(baseURLEnvironmentKey) is not an http(s) URL: \"\(value)\"")
        }
        return url
    }

    /// A configuration with the base URL from the environment and the other settings as given.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       requestTimeout: Duration = .seconds(10),
                                       retryPolicy: OKXRetryPolicy = OKXRetryPolicy(),
                                       rateLimiter: any OKXRateLimiter = WindowRateLimiter()) throws -> OKXConfiguration {
        OKXConfiguration(baseURL: try baseURL(fromEnvironment: environment), requestTimeout: requestTimeout,
                         retryPolicy: retryPolicy, rateLimiter: rateLimiter)
    }

    var requestTimeoutMs: Int64 {
        let c = requestTimeout.components
        return c.seconds * 1_000 + c.attoseconds / 1_000_000_000_000_000
    }
}

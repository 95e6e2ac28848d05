// OKXEndpoint: the public endpoints the client calls, with OKX's published rate limits.

/// A request budget: at most `requests` requests in any `windowMs` milliseconds.
public struct OKXRateLimit: Sendable, Hashable {
    public var requests: Int
    public var windowMs: Int64

    public init(requests: Int, windowMs: Int64) {
        precondition(requests > 0 && windowMs > 0, "a rate limit needs requests > 0 and window > 0")
        self.requests = requests
        self.windowMs = windowMs
    }
}

/// Each rate-limited OKX endpoint the client calls.
public enum OKXEndpoint: String, CaseIterable, Sendable, Hashable {
    case instruments
    case tickers
    case candles
    case historyCandles = "history-candles"
    case time
    case fundingRateHistory = "funding-rate-history"
    case fundingRate = "funding-rate"
    case markPriceCandles = "mark-price-candles"
    case historyMarkPriceCandles = "history-mark-price-candles"
    case indexCandles = "index-candles"
    case historyIndexCandles = "history-index-candles"

    /// Request path, e.g. `/api/v5/market/candles`.
    public var path: String {
        switch self {
        case .instruments: return "/api/v5/public/instruments"
        case .tickers: return "/api/v5/market/tickers"
        case .candles: return "/api/v5/market/candles"
        case .historyCandles: return "/api/v5/market/history-candles"
        case .time: return "/api/v5/public/time"
        case .fundingRateHistory: return "/api/v5/public/funding-rate-history"
        case .fundingRate: return "/api/v5/public/funding-rate"
        case .markPriceCandles: return "/api/v5/market/mark-price-candles"
        case .historyMarkPriceCandles: return "/api/v5/market/history-mark-price-candles"
        case .indexCandles: return "/api/v5/market/index-candles"
        case .historyIndexCandles: return "/api/v5/market/history-index-candles"
        }
    }

    /// OKX's published per-IP limit for this endpoint.
    public var publishedLimit: OKXRateLimit {
        switch self {
        case .candles: return OKXRateLimit(requests: 40, windowMs: 2_000)
        case .historyCandles: return OKXRateLimit(requests: 20, windowMs: 2_000)
        case .instruments: return OKXRateLimit(requests: 20, windowMs: 2_000)
        case .tickers: return OKXRateLimit(requests: 20, windowMs: 2_000)
        case .time: return OKXRateLimit(requests: 10, windowMs: 2_000)
        // docs/swaps.md gives the sources of these (OKX's docs and ccxt's cost table)
        case .fundingRateHistory: return OKXRateLimit(requests: 10, windowMs: 2_000)
        case .fundingRate: return OKXRateLimit(requests: 20, windowMs: 2_000)
        case .markPriceCandles, .indexCandles: return OKXRateLimit(requests: 20, windowMs: 2_000)
        case .historyMarkPriceCandles, .historyIndexCandles: return OKXRateLimit(requests: 10, windowMs: 2_000)
        }
    }
}

// The OKX endpoints okx-sim serves, their per-IP limits, and the answer type handlers return.

/// OKX endpoints the simulator serves, with their per-IP limits (requests per 2 s).
enum Endpoint: String, CaseIterable {
    case time = "/api/v5/public/time"
    case instruments = "/api/v5/public/instruments"
    case tickers = "/api/v5/market/tickers"
    case ticker = "/api/v5/market/ticker"
    case candles = "/api/v5/market/candles"
    case historyCandles = "/api/v5/market/history-candles"
    case fundingRateHistory = "/api/v5/public/funding-rate-history"
    case fundingRate = "/api/v5/public/funding-rate"
    case markPriceCandles = "/api/v5/market/mark-price-candles"
    case historyMarkPriceCandles = "/api/v5/market/history-mark-price-candles"
    case indexCandles = "/api/v5/market/index-candles"
    case historyIndexCandles = "/api/v5/market/history-index-candles"

    var limit: Int {
        switch self {
        case .time: return 10
        case .instruments, .tickers, .ticker, .historyCandles: return 20
        case .candles: return 40
        case .fundingRate, .markPriceCandles, .indexCandles: return 20
        case .fundingRateHistory, .historyMarkPriceCandles, .historyIndexCandles: return 10
        }
    }
    var isCandles: Bool { self == .candles || self == .historyCandles || isMarkIndex }
    var isMarkIndex: Bool {
        self == .markPriceCandles || self == .historyMarkPriceCandles || self == .indexCandles || self == .historyIndexCandles
    }
}

/// An HTTP answer before it becomes an HTTPResponse.
struct Answer {
    var status: Int
    var body: [UInt8]
    /// Send only this many bytes of `body` (announcing all of it), then close the connection.
    var closeAfter: Int? = nil
    init(_ status: Int, _ body: [UInt8]) { self.status = status; self.body = body }
    init(_ status: Int, _ body: String) { self.status = status; self.body = Array(body.utf8) }
}

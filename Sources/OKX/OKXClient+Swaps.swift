// OKXClient+Swaps: the perpetual-swap endpoints: funding rates, mark-price and index candles.
// Same pacing, retries and strict decoding as the candle endpoints (OKXClient.swift).

extension OKXClient {
    /// Maximum `limit` of /public/funding-rate-history.
    public static let maxFundingLimit = 400
    /// Maximum `limit` of the mark-price and index candle endpoints.
    public static let maxPriceCandleLimit = 100

    /// GET /api/v5/public/funding-rate-history: settled rates, newest first, about three months
    /// back. `after`: rows older than this fundingTime (exclusive); `before`: newer (exclusive).
    public func fundingRateHistory(instId: String, after: Int64? = nil, before: Int64? = nil, limit: Int? = nil) async throws -> [OKXFundingRate] {
        let params = try pagedParams(.fundingRateHistory, instId: instId, bar: nil, after: after, before: before,
                                     limit: limit, maxLimit: OKXClient.maxFundingLimit)
        return try await request(.fundingRateHistory, params) { rows, body in
            try OKXObjectRow.rows(rows, body: body, endpoint: .fundingRateHistory).map(OKXFundingRate.init(row:))
        }
    }

    /// GET /api/v5/public/funding-rate: the current period's rate (settled at fundingTime) and
    /// nextFundingTime.
    public func fundingRate(instId: String) async throws -> [OKXFundingRate] {
        guard !instId.isEmpty else { throw OKXError.invalidArgument("funding-rate: instId is empty") }
        return try await request(.fundingRate, [("instId", instId)]) { rows, body in
            try OKXObjectRow.rows(rows, body: body, endpoint: .fundingRate).map(OKXFundingRate.init(row:))
        }
    }

    /// GET /api/v5/market/mark-price-candles (recent bars) or history-mark-price-candles (`history`).
    public func markPriceCandles(instId: String, bar: Bar, history: Bool = false, after: Int64? = nil,
                                 before: Int64? = nil, limit: Int? = nil) async throws -> [PriceCandle] {
        try await priceCandleRequest(history ? .historyMarkPriceCandles : .markPriceCandles, instId: instId, bar: bar,
                                     after: after, before: before, limit: limit)
    }

    /// GET /api/v5/market/index-candles (recent bars) or history-index-candles (`history`).
    /// `instId` is the index, e.g. BTC-USDT.
    public func indexCandles(instId: String, bar: Bar, history: Bool = false, after: Int64? = nil,
                             before: Int64? = nil, limit: Int? = nil) async throws -> [PriceCandle] {
        try await priceCandleRequest(history ? .historyIndexCandles : .indexCandles, instId: instId, bar: bar,
                                     after: after, before: before, limit: limit)
    }

    /// The endpoint that serves `type` candles (recent or history).
    public static func priceCandleEndpoint(_ type: PriceType, history: Bool) -> OKXEndpoint {
        switch (type, history) {
        case (.mark, false): return .markPriceCandles
        case (.mark, true): return .historyMarkPriceCandles
        case (.index, false): return .indexCandles
        case (.index, true): return .historyIndexCandles
        }
    }

    /// Mark or index candles by type.
    public func priceCandles(_ type: PriceType, instId: String, bar: Bar, history: Bool, after: Int64? = nil,
                             before: Int64? = nil, limit: Int? = nil) async throws -> [PriceCandle] {
        try await priceCandleRequest(OKXClient.priceCandleEndpoint(type, history: history), instId: instId, bar: bar,
                                     after: after, before: before, limit: limit)
    }

    private func priceCandleRequest(_ endpoint: OKXEndpoint, instId: String, bar: Bar, after: Int64?, before: Int64?,
                                    limit: Int?) async throws -> [PriceCandle] {
        let params = try pagedParams(endpoint, instId: instId, bar: bar, after: after, before: before,
                                     limit: limit, maxLimit: OKXClient.maxPriceCandleLimit)
        return try await request(endpoint, params) { rows, _ in
            try PriceCandle.decodeRows(rows, bar: bar, endpoint: endpoint)
        }
    }

    private func pagedParams(_ endpoint: OKXEndpoint, instId: String, bar: Bar?, after: Int64?, before: Int64?,
                             limit: Int?, maxLimit: Int) throws -> [(String, String)] {
        guard !instId.isEmpty else { throw OKXError.invalidArgument("\(endpoint.rawValue): instId is empty") }
        if let limit, !(1...maxLimit).contains(limit) {
            throw OKXError.invalidArgument("\(endpoint.rawValue): limit must be 1...\(maxLimit), got \(limit)")
        }
        if let after, after < 0 { throw OKXError.invalidArgument("\(endpoint.rawValue): after must be >= 0, got \(after)") }
        if let before, before < 0 { throw OKXError.invalidArgument("\(endpoint.rawValue): before must be >= 0, got \(before)") }
        var params = [("instId", instId)]
        if let bar { params.append(("bar", bar.rawValue)) }
        if let after { params.append(("after", String(after))) }
        if let before { params.append(("before", String(before))) }
        if let limit { params.append(("limit", String(limit))) }
        return params
    }
}

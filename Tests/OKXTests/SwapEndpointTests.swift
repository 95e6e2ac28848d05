// The perpetual-swap endpoints: funding rates and mark/index candles are decoded strictly (a bad
// row rejects the page, naming row and field), requests carry OKX's parameters, limits are checked.

import Foundation
import Testing
@testable import OKX

@Suite struct SwapEndpointTests {
    /// The shape of OKX's funding-rate-history answer (OKX v5 docs, "Get funding rate history").
    static let history = #"""
    {"code":"0","data":[{"formulaType":"noRate","fundingRate":"0.0000746572157558","fundingTime":"1703059200000","instId":"BTC-USDT-SWAP","instType":"SWAP","method":"next_period","realizedRate":"0.0000746572157558"},{"formulaType":"noRate","fundingRate":"-0.0000123","fundingTime":"1703030400000","instId":"BTC-USDT-SWAP","instType":"SWAP","method":"next_period","realizedRate":"-0.0000123","someNewKey":7}],"msg":""}
    """#

    @Test func fundingHistoryDecodesExactly() async throws {
        let (client, transport, _) = makeClient([StubTransport.body(200, Self.history)])
        let rows = try await client.fundingRateHistory(instId: "BTC-USDT-SWAP", after: 1703100000000, limit: 400)
        #expect(rows.count == 2)
        #expect(rows[0].fundingRate == "0.0000746572157558" && rows[0].realizedRate == "0.0000746572157558")
        #expect(rows[1].fundingRate == "-0.0000123" && rows[1].fundingTime == 1703030400000)
        #expect(rows[0].method == "next_period" && rows[0].formulaType == "noRate")
        #expect(rows[1].rawJSON.contains("someNewKey"), "the raw object is kept verbatim, unknown keys included")
        let url = try #require(transport.requestedURLs.first).absoluteString
        #expect(url.contains("/api/v5/public/funding-rate-history?instId=BTC-USDT-SWAP&after=1703100000000&limit=400"), "\(url)")
    }

    @Test func currentFundingRateKeepsNextFundingTime() async throws {
        let body = #"{"code":"0","data":[{"fundingRate":"0.0001","fundingTime":"1703088000000","instId":"BTC-USDT-SWAP","instType":"SWAP","method":"current_period","formulaType":"withRate","nextFundingRate":"","nextFundingTime":"1703116800000","premium":"-0.0002","settFundingRate":"","ts":"1703070000000"}],"msg":""}"#
        let (client, _, _) = makeClient([StubTransport.body(200, body)])
        let r = try #require(try await client.fundingRate(instId: "BTC-USDT-SWAP").first)
        #expect(r.fundingTime == 1703088000000 && r.nextFundingTime == 1703116800000 && r.realizedRate == nil)
    }

    @Test(arguments: [
        ("fundingRate", #""NaN""#), ("fundingRate", #""Infinity""#), ("fundingRate", #""-Infinity""#),
        ("fundingRate", #""1e-4""#), ("fundingRate", #""--0.1""#), ("fundingRate", #""""#), ("fundingRate", "0.0001"),
        ("realizedRate", #""nan""#), ("fundingTime", #""soon""#), ("method", #""hourly""#), ("formulaType", #""x""#),
        ("instId", #""btc-usdt-swap""#),
    ])
    func badFundingRowIsRejectedNamingTheField(field: String, token: String) async throws {
        var object: [String: String] = ["fundingRate": #""0.0001""#, "fundingTime": #""1703059200000""#, "instId": #""BTC-USDT-SWAP""#,
                                        "instType": #""SWAP""#, "method": #""next_period""#, "realizedRate": #""0.0001""#,
                                        "formulaType": #""noRate""#]
        object[field] = token
        let row = "{" + object.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
        let body = #"{"code":"0","msg":"","data":[{"fundingRate":"0.0001","fundingTime":"1703088000000","instId":"BTC-USDT-SWAP"},"# + row + "]}"
        let (client, _, _) = makeClient([StubTransport.body(200, body)])
        let error = await okxError { try await client.fundingRateHistory(instId: "BTC-USDT-SWAP") }
        guard case let .malformed(endpoint, row: index, field: named, reason: _)? = error else {
            Issue.record("expected malformed, got \(String(describing: error))"); return
        }
        #expect(endpoint == .fundingRateHistory && index == 1 && named == field)
    }

    @Test func markAndIndexCandlesDecode() async throws {
        let body = #"{"code":"0","msg":"","data":[["1706637600000","43398.6","43450.1","43380","43401.2","0"],["1706634000000","43495.9","43591.7","43300","43398.6","1"]]}"#
        let (client, transport, _) = makeClient([StubTransport.body(200, body)])
        let rows = try await client.markPriceCandles(instId: "BTC-USDT-SWAP", bar: .h1, history: true, after: 1706640000000, limit: 100)
        #expect(rows.map(\.ts) == [1706637600000, 1706634000000] && rows.map(\.confirmed) == [false, true])
        #expect(rows[1].open == "43495.9" && rows[1].high == "43591.7" && rows[1].low == "43300" && rows[1].close == "43398.6")
        let url = try #require(transport.requestedURLs.first).absoluteString
        #expect(url.contains("/api/v5/market/history-mark-price-candles?instId=BTC-USDT-SWAP&bar=1H&after=1706640000000&limit=100"), "\(url)")
        _ = try await client.indexCandles(instId: "BTC-USDT", bar: .h1)
        #expect(transport.requestedURLs.last?.path == "/api/v5/market/index-candles")
    }

    @Test(arguments: [
        (#"["1706634000000","43495.9","43591.7","43300","43398.6","4492.9","1","1","1"]"#, nil as String?),   // a trade-candle row
        (#"["1706634000000","43495.9","43591.7","43300","43398.6"]"#, nil),
        (#"["1706634000001","43495.9","43591.7","43300","43398.6","1"]"#, "ts"),
        (#"["1706634000000","43495.9","43591.7","43300","NaN","1"]"#, "c"),
        (#"["1706634000000","43495.9","43000","43300","43398.6","1"]"#, "h"),
        (#"["1706634000000","43495.9","43591.7","43500","43398.6","1"]"#, "l"),
        (#"["1706634000000","0","43591.7","0","43398.6","1"]"#, "o"),
        (#"["1706634000000","43495.9","43591.7","43300","43398.6","yes"]"#, "confirm"),
    ])
    func badPriceCandleRowIsRejected(row: String, field: String?) async throws {
        let body = #"{"code":"0","msg":"","data":[["1706637600000","43398.6","43450.1","43380","43401.2","1"],"# + row + "]}"
        let (client, _, _) = makeClient([StubTransport.body(200, body)])
        let error = await okxError { try await client.indexCandles(instId: "BTC-USDT", bar: .h1, history: true) }
        guard case let .malformed(endpoint, row: index, field: named, reason: _)? = error else {
            Issue.record("expected malformed, got \(String(describing: error))"); return
        }
        #expect(endpoint == .historyIndexCandles && index == 1 && named == field)
    }

    @Test func limitsAreOKXs() async throws {
        let (client, _, _) = makeClient([StubTransport.body(200, #"{"code":"0","msg":"","data":[]}"#)])
        #expect(await okxError { try await client.markPriceCandles(instId: "BTC-USDT-SWAP", bar: .m1, limit: 101) } != nil)
        #expect(await okxError { try await client.fundingRateHistory(instId: "BTC-USDT-SWAP", limit: 401) } != nil)
        _ = try await client.fundingRateHistory(instId: "BTC-USDT-SWAP", limit: 400)
        #expect(OKXEndpoint.fundingRateHistory.publishedLimit == OKXRateLimit(requests: 10, windowMs: 2_000))
        #expect(OKXEndpoint.historyMarkPriceCandles.publishedLimit == OKXRateLimit(requests: 10, windowMs: 2_000))
        #expect(OKXEndpoint.historyIndexCandles.publishedLimit == OKXRateLimit(requests: 10, windowMs: 2_000))
        #expect(OKXEndpoint.markPriceCandles.publishedLimit == OKXRateLimit(requests: 20, windowMs: 2_000))
        #expect(OKXEndpoint.indexCandles.publishedLimit == OKXRateLimit(requests: 20, windowMs: 2_000))
    }
}

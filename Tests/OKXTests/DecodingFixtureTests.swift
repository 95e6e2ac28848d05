// Decodes every real OKX answer in Fixtures/ through the client (stub transport).

import Foundation
import Testing
@testable import OKX

@Suite struct DecodingFixtureTests {
    @Test func everyFixtureIsCoveredByATest() throws {
        let known: Set<String> = [
            "candles-1H-spot.json", "candles-1m-swap.json", "error-50011.json", "error-51001.json",
            "instruments-spot.json", "instruments-swap.json", "ticker-spot.json", "time.json",
        ]
        #expect(Set(try Fixture.allJSONNames()) == known)
    }

    @Test func candles1HSpot() async throws {
        let (client, transport, _) = makeClient([try StubTransport.fixture(200, "candles-1H-spot.json")])
        let rows = try await client.candles(instId: "BTC-USDT", bar: .h1, limit: 3)
        #expect(rows.count == 3)
        #expect(rows[0] == Candle(ts: 1706637600000, open: "43398.6", high: "43493.9", low: "43279.9", close: "43373.9",
                                  vol: "5070.79611732", volCcy: "220057933.233687634", volCcyQuote: "220057933.233687634",
                                  confirmed: true))
        #expect(rows.map(\.ts) == [1706637600000, 1706634000000, 1706630400000]) // newest first
        #expect(rows[2].high == "43500")
        let url = try #require(transport.requestedURLs.first)
        #expect(url.absoluteString == "https://www.okx.com/api/v5/market/candles?instId=BTC-USDT&bar=1H&limit=3")
    }

    @Test func candles1mSwap() async throws {
        let (client, _, _) = makeClient([try StubTransport.fixture(200, "candles-1m-swap.json")])
        let rows = try await client.candles(instId: "BTC-USDT-SWAP", bar: .m1)
        #expect(rows.count >= 2)
        #expect(rows[0].ts == 1747094040000)
        #expect(rows[0].vol == "1040.37" && rows[0].volCcy == "10.4037" && rows[0].volCcyQuote == "1069603.34883")
        #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.ts > $1.ts })
    }

    @Test func historyCandlesUseTheirPath() async throws {
        let (client, transport, _) = makeClient([try StubTransport.fixture(200, "candles-1m-swap.json")])
        _ = try await client.historyCandles(instId: "BTC-USDT-SWAP", bar: .m1, after: 1747094100000, limit: 300)
        let url = try #require(transport.requestedURLs.first)
        #expect(url.absoluteString == "https://www.okx.com/api/v5/market/history-candles?instId=BTC-USDT-SWAP&bar=1m&after=1747094100000&limit=300")
    }

    @Test func instrumentsSpot() async throws {
        let (client, transport, _) = makeClient([try StubTransport.fixture(200, "instruments-spot.json")])
        let list = try await client.instruments(type: .spot)
        #expect(!list.isEmpty)
        let btc = try #require(list.first { $0.instId == "BTC-USD" })
        #expect(btc.instType == "SPOT" && btc.baseCcy == "BTC" && btc.quoteCcy == "USD")
        #expect(btc.ctVal == nil && btc.ctMult == nil && btc.ctType == nil && btc.settleCcy == nil)
        #expect(btc.expTime == nil && btc.instFamily == nil && btc.uly == nil)
        #expect(btc.tickSz == "0.1" && btc.lotSz == "0.00000001" && btc.minSz == "0.00001" && btc.state == "live")
        #expect(btc.listTimeMs == 1733454000000)
        // The raw object is OKX's own bytes, and parses back to an object with the same instId.
        #expect(btc.rawJSON.hasPrefix("{") && btc.rawJSON.hasSuffix("}"))
        #expect(btc.rawJSON.contains("\"maxIcebergSz\": \"9999999999.0000000000000000\""))
        let reparsed = try JSONSerialization.jsonObject(with: Data(btc.rawJSON.utf8)) as? [String: Any]
        #expect(reparsed?["instId"] as? String == "BTC-USD")
        #expect(transport.requestedURLs.first?.absoluteString == "https://www.okx.com/api/v5/public/instruments?instType=SPOT")
    }

    @Test func instrumentsSwapTolerateNonStringFields() async throws {
        let (client, _, _) = makeClient([try StubTransport.fixture(200, "instruments-swap.json")])
        let list = try await client.instruments(type: .swap, instId: "BTC-USD-SWAP")
        let inverse = try #require(list.first { $0.instId == "BTC-USD-SWAP" })
        #expect(inverse.instType == "SWAP" && inverse.ctType == "inverse" && inverse.ctVal == "100")
        #expect(inverse.ctMult == "1" && inverse.ctValCcy == "USD" && inverse.settleCcy == "BTC")
        #expect(inverse.baseCcy == nil && inverse.quoteCcy == nil)
        #expect(inverse.uly == "BTC-USD" && inverse.instFamily == "BTC-USD")
        #expect(inverse.rawJSON.contains("\"instIdCode\": 10458"))
        #expect(inverse.rawJSON.contains("\"futureSettlement\": false"))
        #expect(inverse.rawJSON.contains("\"tradeQuoteCcyList\": []"))
        let linear = try #require(list.first { $0.instId == "ETH-USDT-SWAP" })
        #expect(linear.ctType == "linear" && linear.ctVal == "0.1" && linear.ctValCcy == "ETH")
        // Raw JSON of every row is a complete object.
        for i in list {
            let o = try JSONSerialization.jsonObject(with: Data(i.rawJSON.utf8)) as? [String: Any]
            #expect(o?["instId"] as? String == i.instId)
        }
    }

    @Test func tickerSpot() async throws {
        let (client, _, _) = makeClient([try StubTransport.fixture(200, "ticker-spot.json")])
        let tickers = try await client.tickers(type: .spot)
        let t = try #require(tickers.first)
        #expect(t.instType == "SPOT" && t.instId == "BTC-USDT")
        #expect(t.last == "73384.8" && t.lastSz == "0.00007722" && t.askPx == "73384.8" && t.askSz == "0.40193728")
        #expect(t.bidPx == "73384.7" && t.bidSz == "0.0655768" && t.open24h == "72166.8" && t.high24h == "73625.6")
        #expect(t.low24h == "68600" && t.volCcy24h == "1519926359.597266598" && t.vol24h == "21266.19145051")
        #expect(t.sodUtc0 == "71450" && t.sodUtc8 == "71702" && t.ts == 1710328243709)
        #expect(t.rawJSON.contains("\"sodUtc8\": \"71702\""))
    }

    @Test func tickerEmptyStringsBecomeNil() async throws {
        let body = #"{"code":"0","msg":"","data":[{"instType":"SPOT","instId":"X-USDT","last":"1","lastSz":"","askPx":"","askSz":"","bidPx":"","bidSz":"","open24h":"1","high24h":"1","low24h":"1","vol24h":"0","volCcy24h":"0","sodUtc0":"","sodUtc8":"","ts":"1710328243709","extra":[1,{"a":2}]}]}"#
        let (client, _, _) = makeClient([StubTransport.body(200, body)])
        let t = try #require(try await client.tickers(type: .spot).first)
        #expect(t.askPx == nil && t.bidSz == nil && t.sodUtc0 == nil && t.last == "1" && t.vol24h == "0")
        #expect(t.rawJSON.hasSuffix(#""extra":[1,{"a":2}]}"#))
    }

    @Test func serverTime() async throws {
        let (client, transport, _) = makeClient([try StubTransport.fixture(200, "time.json")])
        #expect(try await client.serverTime() == 1712250348676)
        #expect(transport.requestedURLs.first?.absoluteString == "https://www.okx.com/api/v5/public/time")
    }

    @Test func error51001FailsNamingTheInstrument() async throws {
        let (client, transport, _) = makeClient([try StubTransport.fixture(200, "error-51001.json")])
        let error = await okxError { try await client.candles(instId: "NOPE-USDT", bar: .m1) }
        #expect(error == .api(endpoint: .candles, code: "51001",
                              msg: "Instrument ID, Instrument ID code, or Spread ID doesn't exist.",
                              httpStatus: 200, params: ["instId": "NOPE-USDT", "bar": "1m"]))
        #expect(error?.isUnknownInstrument == true)
        #expect(error?.description.contains("NOPE-USDT") == true)
        #expect(transport.requestedURLs.count == 1) // no retry
    }

    @Test func error50011WithoutDataIsARetryableRefusal() async throws {
        let (client, transport, _) = makeClient([try StubTransport.fixture(429, "error-50011.json")],
                                                retry: OKXRetryPolicy(maxAttempts: 2))
        let error = await okxError { try await client.serverTime() }
        guard case let .retriesExhausted(endpoint, attempts, _, last) = error else {
            Issue.record("expected retriesExhausted, got \(String(describing: error))"); return
        }
        #expect(endpoint == .time && attempts == 2)
        #expect(last == .api(endpoint: .time, code: "50011", msg: "Too Many Requests", httpStatus: 429, params: [:]))
        #expect(transport.requestedURLs.count == 2)
        #expect(client.stats.counters(.time).refusals == 2)
    }
}

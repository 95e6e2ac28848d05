// Retries through a stub transport and a virtual clock: what is retried, what fails at once,
// how the budget ends it, and what the stats count.

import Foundation
import Testing
@testable import OKX

@Suite struct RetryTests {
    static let okCandles = #"{"code":"0","msg":"","data":[["1706637600000","1","2","1","2","3","4","5","1"]]}"#
    static let rateLimited = #"{"msg":"Too Many Requests","code":"50011"}"#

    @Test func http429ThenSuccess() async throws {
        let (client, transport, clock) = makeClient([StubTransport.body(429, Self.rateLimited), StubTransport.body(200, Self.okCandles)])
        let rows = try await client.candles(instId: "BTC-USDT", bar: .h1)
        #expect(rows.count == 1)
        #expect(transport.requestedURLs.count == 2)
        #expect(clock.sleeps == [250], "one backoff at the base delay (jitter source returns 0)")
        let c = client.stats.counters(.candles)
        #expect(c.requests == 2 && c.refusals == 1 && c.retries == 1 && c.successes == 1 && c.failures == 0)
    }

    @Test(arguments: ["50011", "50013", "50001", "50004", "50026"])
    func retryableCodesOnHTTP200(code: String) async throws {
        let body = #"{"code":"\#(code)","msg":"busy","data":[]}"#
        let (client, transport, _) = makeClient([StubTransport.body(200, body), StubTransport.body(200, Self.okCandles)])
        _ = try await client.historyCandles(instId: "BTC-USDT", bar: .h1)
        #expect(transport.requestedURLs.count == 2)
        #expect(client.stats.counters(.historyCandles).refusals == (code == "50011" ? 1 : 0))
    }

    @Test(arguments: [500, 502, 503, 504])
    func serverErrorsAreRetried(status: Int) async throws {
        let (client, transport, _) = makeClient([StubTransport.body(status, "<html>oops</html>"), StubTransport.body(200, Self.okCandles)])
        _ = try await client.candles(instId: "BTC-USDT", bar: .h1)
        #expect(transport.requestedURLs.count == 2)
    }

    @Test func timeoutsAndConnectionErrorsAreRetried() async throws {
        let (client, transport, _) = makeClient([.fail(.timeout), .fail(.connection("refused")),
                                                 StubTransport.body(200, Self.okCandles)])
        _ = try await client.candles(instId: "BTC-USDT", bar: .h1)
        #expect(transport.requestedURLs.count == 3)
        #expect(client.stats.counters(.candles).retries == 2)
    }

    @Test func unknownInstrumentFailsAtOnce() async throws {
        let body = #"{"code":"51001","msg":"Instrument ID, Instrument ID code, or Spread ID doesn't exist.","data":[]}"#
        let (client, transport, clock) = makeClient([StubTransport.body(200, body)])
        let error = await okxError { try await client.historyCandles(instId: "FOO-BAR", bar: .d1, after: 1706630400000, limit: 100) }
        let e = try #require(error)
        #expect(e.code == "51001" && e.isUnknownInstrument)
        guard case let .api(endpoint, _, msg, status, params) = e else { Issue.record("got \(e)"); return }
        #expect(endpoint == .historyCandles && status == 200 && msg.contains("doesn't exist"))
        #expect(params == ["instId": "FOO-BAR", "bar": "1D", "after": "1706630400000", "limit": "100"])
        #expect(e.description.contains("FOO-BAR") && e.description.contains("51001") && e.description.contains("history-candles"))
        #expect(transport.requestedURLs.count == 1 && clock.sleeps.isEmpty)
        #expect(client.stats.counters(.historyCandles).failures == 1)
    }

    @Test func parameterErrorFailsWithOKXsMessage() async throws {
        let body = #"{"code":"51000","msg":"Parameter bar error","data":[]}"#
        let (client, transport, _) = makeClient([StubTransport.body(400, body)])
        let error = await okxError { try await client.candles(instId: "BTC-USDT", bar: .s1) }
        #expect(error == .api(endpoint: .candles, code: "51000", msg: "Parameter bar error", httpStatus: 400,
                              params: ["instId": "BTC-USDT", "bar": "1s"]))
        #expect(transport.requestedURLs.count == 1)
    }

    @Test func notFoundWithoutEnvelopeIsAnHTTPError() async throws {
        let (client, transport, _) = makeClient([StubTransport.body(404, "<html>not found</html>")])
        let error = await okxError { try await client.serverTime() }
        #expect(error == .http(endpoint: .time, status: 404, body: "<html>not found</html>", params: [:]))
        #expect(transport.requestedURLs.count == 1)
    }

    @Test func otherTransportErrorsAreNotRetried() async throws {
        let (client, transport, _) = makeClient([.fail(.other("unsupported URL"))])
        let error = await okxError { try await client.serverTime() }
        guard case let .transport(_, reason, retryable, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(reason == "unsupported URL" && !retryable)
        #expect(transport.requestedURLs.count == 1)
    }

    @Test func noDataIsAnEmptyResult() async throws {
        let body = #"{"code":"52000","msg":"No market data found","data":[]}"#
        let (client, _, _) = makeClient([StubTransport.body(200, body)])
        #expect(try await client.historyCandles(instId: "BTC-USDT", bar: .m1, after: 1_000).isEmpty)
        let (client2, _, _) = makeClient([StubTransport.body(200, #"{"code":"0","msg":"","data":[]}"#)])
        #expect(try await client2.historyCandles(instId: "BTC-USDT", bar: .m1, after: 1_000).isEmpty)
    }

    @Test func attemptBudgetExhausted() async throws {
        let policy = OKXRetryPolicy(maxAttempts: 4, maxTotalMs: 600_000, baseDelayMs: 100, maxDelayMs: 300, jitter: 0.5)
        let (client, transport, clock) = makeClient([StubTransport.body(503, #"{"code":"50001","msg":"Service temporarily unavailable"}"#)],
                                                    retry: policy)
        let error = await okxError { try await client.candles(instId: "BTC-USDT", bar: .h1) }
        guard case let .retriesExhausted(endpoint, attempts, _, last)? = error else {
            Issue.record("expected retriesExhausted, got \(String(describing: error))"); return
        }
        #expect(endpoint == .candles && attempts == 4)
        #expect(last == .api(endpoint: .candles, code: "50001", msg: "Service temporarily unavailable", httpStatus: 503,
                             params: ["instId": "BTC-USDT", "bar": "1H"]))
        #expect(error?.description.contains("retry budget exhausted after 4 attempts") == true)
        #expect(transport.requestedURLs.count == 4)
        #expect(clock.sleeps == [100, 200, 300], "exponential, capped at maxDelayMs")
        let c = client.stats.counters(.candles)
        #expect(c.requests == 4 && c.retries == 3 && c.failures == 1 && c.successes == 0)
    }

    @Test func timeBudgetExhausted() async throws {
        // Each request takes 4 s and each wait 1 s: after the second failure (at 9 s) a third
        // attempt would start at 10 s, past the 9.5 s budget, so it is not made.
        let policy = OKXRetryPolicy(maxAttempts: 100, maxTotalMs: 9_500, baseDelayMs: 1_000, maxDelayMs: 1_000, jitter: 0)
        let (client, transport, _) = makeClient([.fail(.timeout)], retry: policy, latencyMs: 4_000)
        let error = await okxError { try await client.tickers(type: .spot) }
        guard case let .retriesExhausted(_, attempts, elapsed, last)? = error else {
            Issue.record("expected retriesExhausted, got \(String(describing: error))"); return
        }
        #expect(attempts == 2 && elapsed == 9_000)
        guard case .transport(.tickers, _, true, _) = last else { Issue.record("last: \(last)"); return }
        #expect(transport.requestedURLs.count == 2)
    }

    @Test func jitterShortensTheWait() {
        let p = OKXRetryPolicy(baseDelayMs: 1_000, maxDelayMs: 8_000, jitter: 0.5)
        #expect(p.delayMs(afterAttempt: 1, random: 0) == 1_000)
        #expect(p.delayMs(afterAttempt: 1, random: 0.999_999) == 500)
        #expect(p.delayMs(afterAttempt: 3, random: 0.5) == 3_000)
        #expect(p.delayMs(afterAttempt: 10, random: 0) == 8_000)
        #expect(p.delayMs(afterAttempt: 1_000, random: 0) == 8_000)
    }

    @Test func rateLimiterIsAskedBeforeEveryAttempt() async throws {
        let clock = VirtualClock()
        let limiter = WindowRateLimiter(limits: [.time: OKXRateLimit(requests: 1, windowMs: 1_000)], safetyMarginMs: 0, clock: clock)
        let transport = StubTransport([StubTransport.body(200, #"{"code":"0","msg":"","data":[{"ts":"1712250348676"}]}"#)])
        let client = OKXClient(configuration: OKXConfiguration(rateLimiter: limiter), logger: quietLogger(),
                               transport: transport, clock: clock)
        for _ in 0..<3 { _ = try await client.serverTime() }
        #expect(clock.nowMs() == 2_000)
        #expect(client.stats.snapshot()[.time]?.requests == 3)
        #expect(client.stats.snapshot()[.candles] == OKXStats.Counters())
    }

    @Test func cancellationIsNotRetried() async throws {
        struct CancellingTransport: HTTPTransport {
            func get(_ url: URL, timeoutMs: Int64) async throws -> HTTPResponse { throw CancellationError() }
        }
        let client = OKXClient(configuration: OKXConfiguration(rateLimiter: UnlimitedRateLimiter()), logger: quietLogger(),
                               transport: CancellingTransport(), clock: VirtualClock())
        await #expect(throws: CancellationError.self) { try await client.serverTime() }
        #expect(client.stats.counters(.time).retries == 0)
    }

    @Test func invalidArgumentsSendNothing() async throws {
        let (client, transport, _) = makeClient([StubTransport.body(200, Self.okCandles)])
        for limit in [0, 301, -1] {
            let error = await okxError { try await client.candles(instId: "BTC-USDT", bar: .h1, limit: limit) }
            guard case .invalidArgument? = error else { Issue.record("limit \(limit): \(String(describing: error))"); continue }
        }
        let e2 = await okxError { try await client.candles(instId: "", bar: .h1) }
        guard case .invalidArgument? = e2 else { Issue.record("empty instId: \(String(describing: e2))"); return }
        #expect(transport.requestedURLs.isEmpty)
    }
}

@Suite struct ConfigurationTests {
    @Test func baseURLFromEnvironment() throws {
        #expect(try OKXConfiguration.baseURL(fromEnvironment: [:]) == URL(string: "https://www.okx.com")!)
        #expect(try OKXConfiguration.baseURL(fromEnvironment: ["OKX_BASE_URL": ""]) == OKXConfiguration.defaultBaseURL)
        #expect(try OKXConfiguration.baseURL(fromEnvironment: ["OKX_BASE_URL": "http://127.0.0.1:8089"]) == URL(string: "http://127.0.0.1:8089")!)
        #expect(throws: OKXError.self) { try OKXConfiguration.baseURL(fromEnvironment: ["OKX_BASE_URL": "not a url"]) }
        #expect(throws: OKXError.self) { try OKXConfiguration.baseURL(fromEnvironment: ["OKX_BASE_URL": "ftp://x"]) }
        let c = try OKXConfiguration.fromEnvironment(["OKX_BASE_URL": "https://eea.okx.com"])
        #expect(c.baseURL.host == "eea.okx.com")
    }

    @Test func urlsKeepAPathPrefixAndEncodeParameters() async throws {
        let (client, transport, _) = makeClient([StubTransport.body(200, #"{"code":"0","msg":"","data":[]}"#)],
                                                baseURL: URL(string: "http://127.0.0.1:8089/okx/")!)
        _ = try await client.instruments(type: .option, instId: "BTC-USD-240628-60000-C", instFamily: "BTC-USD")
        #expect(transport.requestedURLs.first?.absoluteString ==
                "http://127.0.0.1:8089/okx/api/v5/public/instruments?instType=OPTION&instFamily=BTC-USD&instId=BTC-USD-240628-60000-C")
    }
}

// OKXClient: the public market-data endpoints, paced by a rate limiter, retried with backoff,
// decoded strictly.

import Foundation
import Logging

/// Client for OKX's public REST v5 market data.
public final class OKXClient: Sendable {
    public let configuration: OKXConfiguration
    /// Per-endpoint counters (requests, refusals, retries...), for metrics.
    public let stats: OKXStats
    private let transport: any HTTPTransport
    private let clock: any OKXClock
    private let random: @Sendable () -> Double
    private let logger: Logger

    /// - Parameters:
    ///   - logger: the caller's logger (the client never makes one); metadata keys `okx.*`.
    ///   - transport: HTTP; URLSession by default, a stub in tests.
    ///   - clock: time and sleeping for retry backoff; a virtual clock in tests.
    ///   - random: source of jitter in [0, 1).
    public init(configuration: OKXConfiguration = OKXConfiguration(),
                logger: Logger,
                transport: any HTTPTransport = URLSessionTransport(),
                clock: any OKXClock = SystemOKXClock(),
                stats: OKXStats = OKXStats(),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.configuration = configuration
        self.logger = logger
        self.transport = transport
        self.clock = clock
        self.stats = stats
        self.random = random
    }

    /// Maximum `limit` of the candle endpoints.
    public static let maxCandleLimit = 300

    // MARK: - endpoints

    /// GET /api/v5/public/instruments.
    public func instruments(type: OKXInstrumentType, instId: String? = nil, instFamily: String? = nil) async throws -> [OKXInstrument] {
        var params = [("instType", type.rawValue)]
        if let instFamily { params.append(("instFamily", instFamily)) }
        if let instId { params.append(("instId", instId)) }
        return try await request(.instruments, params) { rows, body in
            try OKXObjectRow.rows(rows, body: body, endpoint: .instruments).map(OKXInstrument.init(row:))
        }
    }

    /// GET /api/v5/market/tickers.
    public func tickers(type: OKXInstrumentType) async throws -> [OKXTicker] {
        try await request(.tickers, [("instType", type.rawValue)]) { rows, body in
            try OKXObjectRow.rows(rows, body: body, endpoint: .tickers).map(OKXTicker.init(row:))
        }
    }

    /// GET /api/v5/market/candles (recent bars only). Rows newest first, as OKX sends them.
    /// `after`: rows older than this ts (exclusive); `before`: rows newer than this ts (exclusive).
    public func candles(instId: String, bar: Bar, after: Int64? = nil, before: Int64? = nil, limit: Int? = nil) async throws -> [Candle] {
        try await candleRequest(.candles, instId: instId, bar: bar, after: after, before: before, limit: limit)
    }

    /// GET /api/v5/market/history-candles (years of history). Rows newest first. An empty
    /// answer means there is nothing older.
    public func historyCandles(instId: String, bar: Bar, after: Int64? = nil, before: Int64? = nil, limit: Int? = nil) async throws -> [Candle] {
        try await candleRequest(.historyCandles, instId: instId, bar: bar, after: after, before: before, limit: limit)
    }

    /// GET /api/v5/public/time: OKX's clock, Unix ms.
    public func serverTime() async throws -> Int64 {
        try await request(.time, []) { rows, _ in try OKXClient.decodeTime(rows) }
    }

    static func decodeTime(_ rows: [Any]) throws -> Int64 {
        guard let first = rows.first else {
            throw OKXError.malformed(endpoint: .time, row: nil, field: "data", reason: "empty")
        }
        guard let object = first as? [String: Any] else {
            throw OKXError.malformed(endpoint: .time, row: 0, field: nil, reason: "row is not a JSON object")
        }
        guard let s = object["ts"] as? String, let ts = OKXDecimal.parseMs(s) else {
            throw OKXError.malformed(endpoint: .time, row: 0, field: "ts", reason: "not a Unix millisecond timestamp string")
        }
        return ts
    }

    private func candleRequest(_ endpoint: OKXEndpoint, instId: String, bar: Bar, after: Int64?, before: Int64?, limit: Int?) async throws -> [Candle] {
        guard !instId.isEmpty else { throw OKXError.invalidArgument("\(endpoint.rawValue): instId is empty") }
        if let limit, !(1...OKXClient.maxCandleLimit).contains(limit) {
            throw OKXError.invalidArgument("\(endpoint.rawValue): limit must be 1...\(OKXClient.maxCandleLimit), got \(limit)")
        }
        if let after, after < 0 { throw OKXError.invalidArgument("\(endpoint.rawValue): after must be >= 0, got \(after)") }
        if let before, before < 0 { throw OKXError.invalidArgument("\(endpoint.rawValue): before must be >= 0, got \(before)") }
        var params = [("instId", instId), ("bar", bar.rawValue)]
        if let after { params.append(("after", String(after))) }
        if let before { params.append(("before", String(before))) }
        if let limit { params.append(("limit", String(limit))) }
        return try await request(endpoint, params) { rows, _ in
            try Candle.decodeRows(rows, bar: bar, endpoint: endpoint)
        }
    }

    // MARK: - request, retry, classify

    func url(_ endpoint: OKXEndpoint, _ params: [(String, String)]) throws -> URL {
        var base = configuration.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        guard var components = URLComponents(string: base + endpoint.path) else {
            throw OKXError.invalidArgument("bad base URL \(configuration.baseURL)")
        }
        if !params.isEmpty { components.queryItems = params.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let url = components.url else { throw OKXError.invalidArgument("cannot build URL for \(endpoint.path)") }
        return url
    }

    enum Outcome {
        case success([Any], Data)
        case failure(OKXError, retryable: Bool)
    }

    /// Sends the request until it succeeds, fails for good, or the retry budget is spent.
    /// `decode` gets the `data` array (empty for 52000) and the body; its errors are final
    /// (a malformed answer is not retried) and counted as failures.
    func request<T>(_ endpoint: OKXEndpoint, _ params: [(String, String)],
                    decode: ([Any], Data) throws -> T) async throws -> T {
        let url = try url(endpoint, params)
        var paramDict: [String: String] = [:]
        for (k, v) in params { paramDict[k] = v }
        let policy = configuration.retryPolicy
        var log = logger
        log[metadataKey: "okx.endpoint"] = "\(endpoint.rawValue)"
        for (k, v) in params { log[metadataKey: "okx.\(k)"] = "\(v)" }
        let started = clock.nowMs()
        var attempt = 0
        while true {
            attempt += 1
            try await configuration.rateLimiter.acquire(endpoint)
            stats.update(endpoint) { $0.requests += 1 }
            log.trace("OKX request", metadata: ["okx.attempt": "\(attempt)", "okx.url": "\(url.absoluteString)"])
            let outcome = try await attemptOnce(endpoint, url: url, params: paramDict)
            switch outcome {
            case let .success(rows, body):
                let value: T
                do {
                    value = try decode(rows, body)
                } catch {
                    stats.update(endpoint) { $0.failures += 1 }
                    log.debug("OKX answer rejected", metadata: ["okx.attempt": "\(attempt)", "okx.error": "\(error)"])
                    throw error
                }
                stats.update(endpoint) { $0.successes += 1 }
                return value
            case let .failure(error, retryable):
                guard retryable else {
                    stats.update(endpoint) { $0.failures += 1 }
                    log.debug("OKX request failed", metadata: ["okx.attempt": "\(attempt)", "okx.error": "\(error)"])
                    throw error
                }
                let elapsed = clock.nowMs() - started
                let delay = policy.delayMs(afterAttempt: attempt, random: random())
                if attempt >= policy.maxAttempts || elapsed + delay > policy.maxTotalMs {
                    stats.update(endpoint) { $0.failures += 1 }
                    let final = OKXError.retriesExhausted(endpoint: endpoint, attempts: attempt, elapsedMs: elapsed, last: error)
                    log.warning("OKX retry budget exhausted", metadata: ["okx.attempts": "\(attempt)", "okx.error": "\(error)"])
                    throw final
                }
                stats.update(endpoint) { $0.retries += 1 }
                log.notice("OKX request will be retried", metadata: [
                    "okx.attempt": "\(attempt)", "okx.delay_ms": "\(delay)", "okx.error": "\(error)",
                ])
                try await clock.sleep(ms: delay)
            }
        }
    }

    /// One HTTP exchange, classified. Only cancellation is thrown.
    private func attemptOnce(_ endpoint: OKXEndpoint, url: URL, params: [String: String]) async throws -> Outcome {
        let response: HTTPResponse
        do {
            response = try await transport.get(url, timeoutMs: configuration.requestTimeoutMs)
        } catch let e as HTTPTransportError {
            let reason: String
            switch e {
            case .timeout: reason = "timeout after \(configuration.requestTimeoutMs) ms"
            case .connection(let s): reason = "connection error: \(s)"
            case .other(let s): reason = s
            }
            return .failure(.transport(endpoint: endpoint, reason: reason, retryable: e.isRetryable, params: params), retryable: e.isRetryable)
        } catch let error as CancellationError {
            throw error
        } catch {
            return .failure(.transport(endpoint: endpoint, reason: String(describing: error), retryable: false, params: params), retryable: false)
        }
        return classify(endpoint, response, params: params)
    }

    /// Turns an HTTP answer into rows or a failure; decides whether it is worth a retry.
    func classify(_ endpoint: OKXEndpoint, _ response: HTTPResponse, params: [String: String]) -> Outcome {
        let status = response.status
        let statusRetryable = OKXRetryPolicy.isRetryable(httpStatus: status)
        let envelope: OKXEnvelope
        do {
            envelope = try OKXEnvelope.parse(response.body, endpoint: endpoint)
        } catch let error as OKXError {
            if status == 429 { stats.update(endpoint) { $0.refusals += 1 } }
            if (200...299).contains(status) { return .failure(error, retryable: false) }
            return .failure(.http(endpoint: endpoint, status: status, body: OKXEnvelope.prefix(response.body), params: params),
                            retryable: statusRetryable)
        } catch {
            return .failure(.malformed(endpoint: endpoint, row: nil, field: nil, reason: "\(error)"), retryable: false)
        }
        let code = envelope.code
        if status == 429 || OKXRetryPolicy.rateLimitCodes.contains(code) { stats.update(endpoint) { $0.refusals += 1 } }
        if code == "0" && (200...299).contains(status) {
            guard let rows = envelope.data else {
                return .failure(.malformed(endpoint: endpoint, row: nil, field: "data", reason: "missing on a successful answer"), retryable: false)
            }
            return .success(rows, response.body)
        }
        if code == OKXRetryPolicy.noDataCode && (200...299).contains(status) {
            return .success([], response.body)
        }
        let error = OKXError.api(endpoint: endpoint, code: code, msg: envelope.msg, httpStatus: status, params: params)
        return .failure(error, retryable: statusRetryable || OKXRetryPolicy.retryableCodes.contains(code))
    }
}

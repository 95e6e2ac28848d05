// okx-sim's HTTP front: settings, the simulator object, and the dispatch every request goes through
// (rate limit, fault draw, endpoint). The endpoint families live in OKXSimulator+<Family>.swift.
import FlyingFox
import FlyingSocks
import CivilTime
import Foundation
import enum OKX.Bar

/// Settings of a simulator instance (the okx-sim command line).
public struct SimConfig: Sendable {
    public var host: String = "127.0.0.1"
    public var port: UInt16 = 0
    public var seed: UInt64 = 1
    /// Start of the history in Unix ms; nil: 400 days before now, at 00:00 UTC.
    public var fromMs: Int64? = nil
    public var faults: FaultConfig = FaultConfig()
    /// Multiplies OKX's rate limits; 0 disables limiting.
    public var rateLimitScale: Double = 1
    /// Frozen clock (Unix ms); nil: real time.
    public var nowMs: Int64? = nil
    /// Length of the rate limiter's sliding window (OKX: 2 s). Tests shorten it to pace quickly.
    public var rateLimitWindowSeconds: Double = 2
    /// Synthetic spot instruments SIM0001-USDT ... added to the named ones (okx-sim --extra-spot N,
    /// for scale benchmarks); 0: only the named instruments.
    public var extraSpot: Int = 0

    public init(host: String = "127.0.0.1", port: UInt16 = 0, seed: UInt64 = 1, fromMs: Int64? = nil,
                faults: FaultConfig = FaultConfig(), rateLimitScale: Double = 1, nowMs: Int64? = nil) {
        self.host = host; self.port = port; self.seed = seed; self.fromMs = fromMs
        self.faults = faults; self.rateLimitScale = rateLimitScale; self.nowMs = nowMs
    }
}

/// Parses a date or an ISO 8601 time (UTC when it has no offset; CivilTime's reader) or Unix ms.
public func parseSimDate(_ s: String) -> Int64? {
    if let ms = Int64(s) { return ms }
    return UTCTime.parseMs(s)
}

/// The simulator: market, limiter, faults, stats, and the HTTP server in front of them.
public final class OKXSimulator: @unchecked Sendable {
    public let config: SimConfig
    public let market: Market
    let limiter: RateLimiter
    let faults: FaultInjector
    let stats = SimStats()
    let streams = StreamHub()
    private var server: HTTPServer?
    private var runTask: Task<Void, any Error>?

    public init(config: SimConfig) {
        self.config = config
        let frozen = config.nowMs
        let clock: @Sendable () -> Int64 = {
            if let frozen { return frozen }
            return Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        }
        let now = clock()
        let from = config.fromMs ?? (floorDiv(now, Bar.dayMs) - 400) * Bar.dayMs
        self.market = Market(seed: config.seed, fromMs: from, clock: clock, extraSpot: config.extraSpot)
        self.limiter = RateLimiter(scale: config.rateLimitScale, windowSeconds: config.rateLimitWindowSeconds)
        self.faults = FaultInjector(config: config.faults, seed: config.seed)
    }

    /// Starts listening and returns the bound port (useful with port 0).
    @discardableResult
    public func start() async throws -> UInt16 {
        let address = try sockaddr_in.inet(ip4: config.host, port: config.port)
        let server = HTTPServer(address: address, timeout: 60, pool: NoDelayPool(inner: HTTPServer.defaultPool()),
                                logger: .disabled, handler: SimHandler(sim: self))
        self.server = server
        runTask = Task { try await server.run() }
        try await server.waitUntilListening(timeout: 120)
        guard case let .ip4(_, port)? = await server.listeningAddress else { return config.port }
        return port
    }

    /// Waits until the server stops.
    public func wait() async throws { try await runTask?.value }

    public func stop() async {
        await server?.stop(timeout: 1)
        runTask?.cancel()
    }

    // MARK: - Request handling

    func handle(_ req: HTTPRequest) async -> HTTPResponse {
        let a = await answer(req)
        var headers: HTTPHeaders = [:]
        headers[.contentType] = "application/json"
        // One body chunk: FlyingFox would otherwise write 4 KB at a time.
        var body = HTTPBodySequence(data: Data(a.body), suggestedBufferSize: max(4096, a.body.count))
        if let n = a.closeAfter {
            body = HTTPBodySequence(from: ClosingBody(bytes: Array(a.body.prefix(n))), count: a.body.count,
                                    suggestedBufferSize: max(4096, a.body.count))
        }
        return HTTPResponse(statusCode: HTTPStatusCode(a.status, phrase: phrase(a.status)), headers: headers, body: body)
    }

    private func phrase(_ s: Int) -> String {
        switch s {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 429: return "Too Many Requests"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }

    func answer(_ req: HTTPRequest) async -> Answer {
        let path = req.path
        if path.hasPrefix("/sim/") { return await simAnswer(req) }
        guard let endpoint = Endpoint(rawValue: path) else {
            return Answer(404, #"{"code":"50000","msg":"Not Found","data":[]}"#)
        }
        let ip: String
        switch req.remoteAddress {
        case let .ip4(a, _)?, let .ip6(a, _)?: ip = a
        case let .unix(p)?: ip = p
        case nil: ip = "-"
        }
        guard limiter.allow(ip: ip, endpoint: endpoint.rawValue, baseLimit: endpoint.limit) else {
            stats.refused(endpoint)
            return Errors.rateLimit
        }
        stats.accepted(endpoint)

        var fault: FaultKind? = nil
        if let forced = req.query["simFault"] {
            fault = FaultKind(rawValue: forced)
            if fault == nil { return Answer(400, #"{"code":"51000","msg":"unknown simFault"# + #"","data":[]}"#) }
        } else {
            fault = faults.draw(candleEndpoint: endpoint.isCandles)
        }
        if fault != nil { stats.faulted(endpoint) }
        switch fault {
        case .rateLimit?: return Errors.rateLimit
        case .busy?: return Answer(429, #"{"code":"50013","msg":"Systems are busy. Please try again later.","data":[]}"#)
        case .http5xx?: return Answer(503, #"{"code":"50001","msg":"Service temporarily unavailable. Please try again later.","data":[]}"#)
        case .slow?:
            let ms = faults.current.slowMs
            try? await Task.sleep(nanoseconds: UInt64(ms) * 1_000_000)
        default: break
        }

        var a: Answer
        switch endpoint {
        case .time:
            a = Answer(200, #"{"code":"0","msg":"","data":[{"ts":""# + String(market.nowMs) + #""}]}"#)
        case .instruments: a = instrumentsAnswer(req)
        case .tickers: a = tickersAnswer(req)
        case .ticker: a = tickerAnswer(req)
        case .candles, .historyCandles:
            a = candlesAnswer(req, endpoint: endpoint, fault: fault?.isDataFault == true ? fault : nil)
        case .markPriceCandles, .historyMarkPriceCandles, .indexCandles, .historyIndexCandles:
            a = markIndexAnswer(req, endpoint: endpoint, fault: fault?.isDataFault == true ? fault : nil)
        case .fundingRateHistory: a = fundingHistoryAnswer(req)
        case .fundingRate: a = fundingRateAnswer(req)
        }
        switch fault {
        case .invalidJSON?:
            a.body = Array(#"{"code":"0","msg":"","data":[[oops, "1", }"#.utf8)
        case .truncated?:
            a.body = Array(a.body.prefix(max(1, a.body.count / 2)))
        case .closed?:
            a.closeAfter = max(1, a.body.count / 2)
        default: break
        }
        return a
    }

    enum Errors {
        static let rateLimit = Answer(429, #"{"msg":"Too Many Requests","code":"50011"}"#)
        static func empty(_ name: String) -> Answer {
            Answer(400, #"{"code":"50014","msg":"Parameter "# + name + #" can not be empty.","data":[]}"#)
        }
        static func param(_ name: String) -> Answer {
            Answer(400, #"{"code":"51000","msg":"Parameter "# + name + #" error","data":[]}"#)
        }
        static let unknownInstrument = Answer(200,
            #"{"code":"51001","msg":"Instrument ID, Instrument ID code, or Spread ID doesn't exist.","data":[]}"#)
    }
}

/// FlyingFox writes the response header and body in two writes; with Nagle's algorithm and
/// delayed ACKs the body then waits ~40 ms on every keep-alive request. This pool wrapper sets
/// TCP_NODELAY on each socket it is asked to wait on (the listener too: Linux passes the flag
/// on to accepted sockets).
struct NoDelayPool: AsyncSocketPool {
    let inner: any AsyncSocketPool
    func prepare() async throws { try await inner.prepare() }
    func run() async throws { try await inner.run() }
    func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        try? socket.setValue(true, for: BoolSocketOption(level: Int32(IPPROTO_TCP), name: Int32(TCP_NODELAY)))
        try await inner.suspendSocket(socket, untilReadyFor: events)
    }
}

/// A body that yields its bytes once and then fails, so that FlyingFox closes the connection in
/// the middle of an answer whose Content-Length announced more (the `closed` fault).
struct ClosingBody: AsyncBufferedSequence, AsyncBufferedIteratorProtocol, Sendable {
    typealias Element = UInt8
    struct ClosedMidAnswer: Error {}
    var bytes: [UInt8]
    var sent = 0

    func makeAsyncIterator() -> ClosingBody { self }

    mutating func next() async throws -> UInt8? { try await nextBuffer(suggested: 1)?.first }

    mutating func nextBuffer(suggested count: Int) async throws -> ArraySlice<UInt8>? {
        if sent >= bytes.count { throw ClosedMidAnswer() }
        let end = Swift.min(bytes.count, sent + Swift.max(1, count))
        defer { sent = end }
        return bytes[sent..<end]
    }
}

struct SimHandler: HTTPHandler {
    let sim: OKXSimulator
    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        if let r = try await sim.streamRoute(request) { return r }   // StreamSocket.swift
        return await sim.handle(request)
    }
}

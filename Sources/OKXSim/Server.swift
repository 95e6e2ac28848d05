// okx-sim's HTTP front: OKX REST v5 market-data endpoints plus /sim/* introspection.
import FlyingFox
import FlyingSocks
import Foundation

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

    public init(host: String = "127.0.0.1", port: UInt16 = 0, seed: UInt64 = 1, fromMs: Int64? = nil,
                faults: FaultConfig = FaultConfig(), rateLimitScale: Double = 1, nowMs: Int64? = nil) {
        self.host = host; self.port = port; self.seed = seed; self.fromMs = fromMs
        self.faults = faults; self.rateLimitScale = rateLimitScale; self.nowMs = nowMs
    }
}

/// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]Z` (UTC) or Unix ms.
public func parseSimDate(_ s: String) -> Int64? {
    if let ms = Int64(s) { return ms }
    let parts = s.replacingOccurrences(of: "Z", with: "").split(separator: "T")
    let ymd = parts.first?.split(separator: "-").compactMap { Int64($0) } ?? []
    guard ymd.count == 3 else { return nil }
    var ms = days(fromCivil: ymd[0], ymd[1], ymd[2]) * Bar.day
    if parts.count == 2 {
        let hms = parts[1].split(separator: ":").compactMap { Int64($0) }
        guard (2...3).contains(hms.count) else { return nil }
        ms += hms[0] * 3_600_000 + hms[1] * 60_000 + (hms.count == 3 ? hms[2] * 1000 : 0)
    }
    return ms
}

/// OKX endpoints the simulator serves, with their per-IP limits (requests per 2 s).
enum Endpoint: String, CaseIterable {
    case time = "/api/v5/public/time"
    case instruments = "/api/v5/public/instruments"
    case tickers = "/api/v5/market/tickers"
    case ticker = "/api/v5/market/ticker"
    case candles = "/api/v5/market/candles"
    case historyCandles = "/api/v5/market/history-candles"

    var limit: Int {
        switch self {
        case .time: return 10
        case .instruments, .tickers, .ticker, .historyCandles: return 20
        case .candles: return 40
        }
    }
    var isCandles: Bool { self == .candles || self == .historyCandles }
}

/// Request counters for /sim/stats.
final class SimStats: @unchecked Sendable {
    struct Counts { var accepted = 0, refused = 0, faulted = 0 }
    struct CandleRequest { let endpoint, instId, bar: String; let after, before: Int64?; let limit, rows: Int }
    private let lock = NSLock()
    private var counts: [String: Counts] = [:]
    private var rowsByInst: [String: Int] = [:]
    private var requestsByInstBar: [String: Int] = [:]
    /// Ring buffer of the latest candle requests (`recentStart` is the oldest).
    private var recent: [CandleRequest] = []
    private var recentStart = 0
    private var recentDropped = 0
    static let maxRecent = 10_000

    func accepted(_ e: Endpoint) { lock.lock(); counts[e.rawValue, default: Counts()].accepted += 1; lock.unlock() }
    func refused(_ e: Endpoint) { lock.lock(); counts[e.rawValue, default: Counts()].refused += 1; lock.unlock() }
    func faulted(_ e: Endpoint) { lock.lock(); counts[e.rawValue, default: Counts()].faulted += 1; lock.unlock() }

    func served(_ r: CandleRequest) {
        lock.lock(); defer { lock.unlock() }
        rowsByInst[r.instId, default: 0] += r.rows
        requestsByInstBar[r.instId + " " + r.bar, default: 0] += 1
        if recent.count >= SimStats.maxRecent {
            recent[recentStart] = r
            recentStart = (recentStart + 1) % SimStats.maxRecent
            recentDropped += 1
        } else {
            recent.append(r)
        }
    }

    func reset() {
        lock.lock(); defer { lock.unlock() }
        counts = [:]; rowsByInst = [:]; requestsByInstBar = [:]; recent = []; recentStart = 0; recentDropped = 0
    }

    var json: [String: Any] {
        lock.lock(); defer { lock.unlock() }
        var endpoints: [String: Any] = [:]
        for e in Endpoint.allCases {
            let c = counts[e.rawValue] ?? Counts()
            endpoints[e.rawValue] = ["accepted": c.accepted, "refused": c.refused, "faulted": c.faulted]
        }
        let ordered = recent[recentStart...] + recent[..<recentStart]
        let reqs: [[String: Any]] = ordered.map { r in
            var d: [String: Any] = ["endpoint": r.endpoint, "instId": r.instId, "bar": r.bar, "limit": r.limit, "rows": r.rows]
            d["after"] = r.after.map { NSNumber(value: $0) } ?? NSNull()
            d["before"] = r.before.map { NSNumber(value: $0) } ?? NSNull()
            return d
        }
        return [
            "endpoints": endpoints,
            "rowsServedByInstId": rowsByInst,
            "rowsServedTotal": rowsByInst.values.reduce(0, +),
            "candleRequestsByInstIdBar": requestsByInstBar,
            "candleRequests": reqs,
            "candleRequestsDropped": recentDropped,
        ]
    }
}

/// An HTTP answer before it becomes an HTTPResponse.
struct Answer {
    var status: Int
    var body: [UInt8]
    init(_ status: Int, _ body: [UInt8]) { self.status = status; self.body = body }
    init(_ status: Int, _ body: String) { self.status = status; self.body = Array(body.utf8) }
}

/// The simulator: market, limiter, faults, stats, and the HTTP server in front of them.
public final class OKXSimulator: @unchecked Sendable {
    public let config: SimConfig
    public let market: Market
    let limiter: RateLimiter
    let faults: FaultInjector
    let stats = SimStats()
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
        let from = config.fromMs ?? (floorDiv(now, Bar.day) - 400) * Bar.day
        self.market = Market(seed: config.seed, fromMs: from, clock: clock)
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
        let body = HTTPBodySequence(data: Data(a.body), suggestedBufferSize: max(4096, a.body.count))
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
        }
        switch fault {
        case .invalidJSON?:
            a.body = Array(#"{"code":"0","msg":"","data":[[oops, "1", }"#.utf8)
        case .truncated?:
            a.body = Array(a.body.prefix(max(1, a.body.count / 2)))
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

    // MARK: - /api/v5 endpoints

    func instrumentsAnswer(_ req: HTTPRequest) -> Answer {
        guard let type = req.query["instType"], !type.isEmpty else { return Errors.empty("instType") }
        guard ["SPOT", "MARGIN", "SWAP", "FUTURES", "OPTION"].contains(type) else { return Errors.param("instType") }
        var list = market.instruments.filter { $0.instType == type }
        if let id = req.query["instId"], !id.isEmpty {
            list = list.filter { $0.instId == id }
            if list.isEmpty { return Errors.unknownInstrument }
        }
        var o = JSONOut(capacity: 1024 * max(1, list.count))
        o.raw(#"{"code":"0","msg":"","data":["#)
        for (n, s) in list.enumerated() {
            if n > 0 { o.byte(0x2C) }
            writeInstrument(s, &o)
        }
        o.raw("]}")
        return Answer(200, o.bytes)
    }

    /// Field sets and order as OKX's answers in okx-real/instruments-{spot,swap}.json.
    func writeInstrument(_ s: InstrumentSpec, _ o: inout JSONOut) {
        var first = true
        func kv(_ k: String, _ v: String) {
            if !first { o.byte(0x2C) }
            first = false
            o.string(k); o.byte(0x3A); o.string(v)
        }
        func kraw(_ k: String, _ v: String) {
            if !first { o.byte(0x2C) }
            first = false
            o.string(k); o.byte(0x3A); o.raw(v)
        }
        o.byte(0x7B)
        if s.isSwap {
            let family = s.baseCcy + "-" + s.quoteCcy
            kv("alias", ""); kv("auctionEndTime", ""); kv("baseCcy", ""); kv("category", "1")
            kv("contTdSwTime", ""); kv("ctMult", "1"); kv("ctType", "linear"); kv("ctVal", s.ctVal)
            kv("ctValCcy", s.baseCcy); kv("expTime", ""); kraw("futureSettlement", "false")
            kv("instFamily", family); kv("instId", s.instId); kraw("instIdCode", String(s.instIdCode))
            kv("instType", "SWAP"); kv("lever", "100"); kv("listTime", s.listTime); kv("lotSz", s.lotSz)
            kv("maxIcebergSz", "100000000.0000000000000000"); kv("maxLmtAmt", "20000000")
            kv("maxLmtSz", "100000000"); kv("maxMktAmt", ""); kv("maxMktSz", "20000"); kv("maxPlatOILmt", "")
            kv("maxStopSz", "20000"); kv("maxTriggerSz", "100000000.0000000000000000")
            kv("maxTwapSz", "100000000.0000000000000000"); kv("minSz", s.minSz); kv("openType", "")
            kv("optType", ""); kv("posLmtAmt", ""); kv("posLmtPct", ""); kv("preMktSwTime", "")
            kv("quoteCcy", ""); kv("ruleType", "normal"); kv("settleCcy", s.quoteCcy); kv("state", "live")
            kv("stk", ""); kv("tickSz", s.tickSz); kraw("tradeQuoteCcyList", "[]"); kv("uly", family)
        } else {
            kv("alias", ""); kv("auctionEndTime", ""); kv("baseCcy", s.baseCcy); kv("category", "1")
            kv("ctMult", ""); kv("ctType", ""); kv("ctVal", ""); kv("ctValCcy", ""); kv("expTime", "")
            kv("instFamily", ""); kv("instId", s.instId); kv("instType", "SPOT"); kv("lever", "")
            kv("listTime", s.listTime); kv("lotSz", s.lotSz); kv("maxIcebergSz", "9999999999.0000000000000000")
            kv("maxLmtAmt", "20000000"); kv("maxLmtSz", "9999999999"); kv("maxMktAmt", "1000000")
            kv("maxMktSz", "1000000"); kv("maxStopSz", "1000000"); kv("maxTriggerSz", "9999999999.0000000000000000")
            kv("maxTwapSz", "9999999999.0000000000000000"); kv("minSz", s.minSz); kv("optType", "")
            kv("quoteCcy", s.quoteCcy); kv("ruleType", "normal"); kv("settleCcy", ""); kv("state", "live")
            kv("stk", ""); kv("tickSz", s.tickSz); kv("uly", "")
        }
        o.byte(0x7D)
    }

    func tickersAnswer(_ req: HTTPRequest) -> Answer {
        guard let type = req.query["instType"], !type.isEmpty else { return Errors.empty("instType") }
        guard ["SPOT", "MARGIN", "SWAP", "FUTURES", "OPTION"].contains(type) else { return Errors.param("instType") }
        let list = market.instruments.filter { $0.instType == type }
        var o = JSONOut(capacity: 512 * max(1, list.count))
        o.raw(#"{"code":"0","msg":"","data":["#)
        var n = 0
        for s in list {
            if n > 0 { o.byte(0x2C) }
            if writeTicker(s, &o) { n += 1 }
        }
        o.raw("]}")
        return Answer(200, o.bytes)
    }

    func tickerAnswer(_ req: HTTPRequest) -> Answer {
        guard let id = req.query["instId"], !id.isEmpty else { return Errors.empty("instId") }
        guard let s = market.spec(id) else { return Errors.unknownInstrument }
        var o = JSONOut(capacity: 512)
        o.raw(#"{"code":"0","msg":"","data":["#)
        _ = writeTicker(s, &o)
        o.raw("]}")
        return Answer(200, o.bytes)
    }

    /// Ticker consistent with the candles: last = the current 1m close; 24h figures from the
    /// last 1,440 1m candles (the current one included); sodUtc0/sodUtc8 = open of the current
    /// 1Dutc / 1D candle; bid = last, ask = last + 1 tick.
    func writeTicker(_ s: InstrumentSpec, _ o: inout JSONOut) -> Bool {
        let now = market.nowMs
        let m1 = floorDiv(now, 60_000) + 1
        guard let day = market.aggregate(s.instId, minutes: m1 - 1440, m1),
              let cur = market.aggregate(s.instId, minutes: m1 - 1, m1) else { return false }
        let d0 = market.aggregate(s.instId, minutes: floorDiv(Bar.named("1Dutc")!.start(of: now), 60_000), m1) ?? cur
        let d8 = market.aggregate(s.instId, minutes: floorDiv(Bar.named("1D")!.start(of: now), 60_000), m1) ?? cur
        var h = SplitMix64(market.seed ^ stableHash("ticker:" + s.instId) &+ UInt64(bitPattern: m1))
        let minUnits = units(s.minSz) * pow10(s.lotScale - scale(of: s.minSz))
        let ts = s.tickScale
        var first = true
        func kv(_ k: String, _ write: (inout JSONOut) -> Void) {
            if !first { o.byte(0x2C) }
            first = false
            o.string(k); o.byte(0x3A); write(&o)
        }
        o.byte(0x7B)
        kv("instType") { $0.string(s.instType) }
        kv("instId") { $0.string(s.instId) }
        kv("last") { $0.decimal(cur.c, scale: ts) }
        kv("lastSz") { $0.decimal(minUnits * Int64(1 + h.next() % 40), scale: s.lotScale) }
        kv("askPx") { $0.decimal(cur.c + 1, scale: ts) }
        kv("askSz") { $0.decimal(minUnits * Int64(1 + h.next() % 400), scale: s.lotScale) }
        kv("bidPx") { $0.decimal(cur.c, scale: ts) }
        kv("bidSz") { $0.decimal(minUnits * Int64(1 + h.next() % 400), scale: s.lotScale) }
        kv("open24h") { $0.decimal(day.o, scale: ts) }
        kv("high24h") { $0.decimal(day.h, scale: ts) }
        kv("low24h") { $0.decimal(day.l, scale: ts) }
        kv("volCcy24h") { $0.decimal(day.volCcy, scale: s.volCcyScale) }
        kv("vol24h") { $0.decimal(day.vol, scale: s.volScale) }
        kv("ts") { $0.string(String(now)) }
        kv("sodUtc0") { $0.decimal(d0.o, scale: ts) }
        kv("sodUtc8") { $0.decimal(d8.o, scale: ts) }
        o.byte(0x7D)
        return true
    }

    func candlesAnswer(_ req: HTTPRequest, endpoint: Endpoint, fault: FaultKind?) -> Answer {
        let q = req.query
        guard let instId = q["instId"], !instId.isEmpty else { return Errors.empty("instId") }
        let barName = q["bar"].flatMap { $0.isEmpty ? nil : $0 } ?? "1m"
        guard let bar = Bar.named(barName) else { return Errors.param("bar") }
        var limit = 100
        if let l = q["limit"], !l.isEmpty {
            guard let v = Int(l), v > 0 else { return Errors.param("limit") }
            limit = min(v, 300)
        }
        var after: Int64? = nil, before: Int64? = nil
        if let s = q["after"], !s.isEmpty {
            guard let v = Int64(s) else { return Errors.param("after") }
            after = v
        }
        if let s = q["before"], !s.isEmpty {
            guard let v = Int64(s) else { return Errors.param("before") }
            before = v
        }
        guard let spec = market.spec(instId) else { return Errors.unknownInstrument }
        let rows = market.page(instId, bar, after: after, before: before, limit: limit,
                               recentOnly: endpoint == .candles)
        stats.served(.init(endpoint: endpoint == .candles ? "candles" : "history-candles", instId: instId,
                           bar: barName, after: after, before: before, limit: limit, rows: rows.count))
        if let fault { return Answer(200, faultedCandles(rows, spec, bar, fault)) }
        return Answer(200, candleBody(rows, spec))
    }

    /// Decimal scales of an instrument's candle fields, computed once per page.
    struct Scales {
        let tick, vol, volCcy, quote: Int
        init(_ s: InstrumentSpec) { tick = s.tickScale; vol = s.volScale; volCcy = s.volCcyScale; quote = s.quoteScale }
    }

    func candleBody(_ rows: [Market.Candle], _ spec: InstrumentSpec) -> [UInt8] {
        let s = Scales(spec)
        var o = JSONOut(capacity: 40 + rows.count * 130)
        o.raw(#"{"code":"0","msg":"","data":["#)
        for (n, c) in rows.enumerated() {
            if n > 0 { o.byte(0x2C) }
            writeRow(c, s, &o)
        }
        o.raw("]}")
        return o.bytes
    }

    func writeRow(_ c: Market.Candle, _ s: Scales, _ o: inout JSONOut) {
        let ts = s.tick
        o.byte(0x5B)
        o.byte(0x22); o.appendDecimal(c.ts, scale: 0); o.byte(0x22); o.byte(0x2C)
        o.decimal(c.agg.o, scale: ts); o.byte(0x2C)
        o.decimal(c.agg.h, scale: ts); o.byte(0x2C)
        o.decimal(c.agg.l, scale: ts); o.byte(0x2C)
        o.decimal(c.agg.c, scale: ts); o.byte(0x2C)
        o.decimal(c.agg.vol, scale: s.vol); o.byte(0x2C)
        o.decimal(c.agg.volCcy, scale: s.volCcy); o.byte(0x2C)
        o.decimal(c.agg.quote, scale: s.quote); o.byte(0x2C)
        o.raw(c.confirmed ? #""1""# : #""0""#)
        o.byte(0x5D)
    }

    /// String rows for the data faults (the slow path; only faulted pages take it).
    func rowStrings(_ c: Market.Candle, _ s: InstrumentSpec) -> [String] {
        [String(c.ts), formatDecimal(c.agg.o, scale: s.tickScale), formatDecimal(c.agg.h, scale: s.tickScale),
         formatDecimal(c.agg.l, scale: s.tickScale), formatDecimal(c.agg.c, scale: s.tickScale),
         formatDecimal(c.agg.vol, scale: s.volScale), formatDecimal(c.agg.volCcy, scale: s.volCcyScale),
         formatDecimal(c.agg.quote, scale: s.quoteScale), c.confirmed ? "1" : "0"]
    }

    func faultedCandles(_ candles: [Market.Candle], _ s: InstrumentSpec, _ bar: Bar, _ fault: FaultKind) -> [UInt8] {
        var rows = candles.map { rowStrings($0, s) }
        if !rows.isEmpty {
            let k = faults.pick(rows.count)
            switch fault {
            case .duplicateRows: rows.insert(rows[k], at: k + 1)
            case .unorderedRows:
                let original = rows
                faults.shuffle(&rows)
                if rows == original && rows.count > 1 { rows.swapAt(0, rows.count - 1) }
            case .badHighLow:
                let c = candles[k].agg
                rows[k][2] = formatDecimal(c.l, scale: s.tickScale)
                rows[k][3] = formatDecimal(c.h + 1, scale: s.tickScale)
            case .misalignedTs: rows[k][0] = String(candles[k].ts + 1000)
            case .negativeVolume: rows[k][5] = "-" + formatDecimal(max(candles[k].agg.vol, 1), scale: s.volScale)
            case .nanPrice: rows[k][4] = "NaN"
            case .longNumber: rows[k][5] = String(repeating: "9", count: 400)
            case .shortRow: rows[k].removeLast()
            default: break
            }
        }
        var o = JSONOut(capacity: 40 + rows.count * 140)
        o.raw(#"{"code":"0","msg":"","data":["#)
        for (n, r) in rows.enumerated() {
            if n > 0 { o.byte(0x2C) }
            o.byte(0x5B)
            for (i, f) in r.enumerated() {
                if i > 0 { o.byte(0x2C) }
                o.string(f)
            }
            o.byte(0x5D)
        }
        o.raw("]}")
        return o.bytes
    }

    // MARK: - /sim/*

    func simAnswer(_ req: HTTPRequest) async -> Answer {
        func json(_ obj: Any, _ status: Int = 200) -> Answer {
            let data = (try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])) ?? Data("{}".utf8)
            return Answer(status, [UInt8](data))
        }
        switch (req.method, req.path) {
        case (.GET, "/sim/stats"):
            return json(stats.json)
        case (.POST, "/sim/stats/reset"):
            stats.reset()
            return json(["ok": true])
        case (.GET, "/sim/faults"):
            return json(faults.current.json)
        case (.POST, "/sim/faults"):
            let body = (try? await req.bodyData) ?? Data()
            var pairs: [String: Double] = [:]
            if !body.isEmpty {
                guard let obj = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                    return json(["error": "body must be a JSON object {\"kind\": rate, ...}"], 400)
                }
                for (k, v) in obj {
                    guard let n = v as? NSNumber else { return json(["error": "\(k): rate must be a number"], 400) }
                    pairs[k] = n.doubleValue
                }
            }
            do {
                let c = try FaultConfig.from(pairs)
                faults.set(c)
                return json(c.json)
            } catch {
                return json(["error": "\(error)"], 400)
            }
        case (.GET, "/sim/candles"):
            let q = req.query
            guard let instId = q["instId"], let spec = market.spec(instId) else {
                return json(["error": "instId: unknown or missing"], 400)
            }
            guard let bar = Bar.named(q["bar"] ?? "1m") else { return json(["error": "bar: unknown"], 400) }
            guard let from = q["from"].flatMap(parseSimDate), let to = q["to"].flatMap(parseSimDate) else {
                return json(["error": "from and to (Unix ms or YYYY-MM-DD) are required"], 400)
            }
            return Answer(200, candleBody(market.range(instId, bar, fromMs: from, toMs: to), spec))
        case (.GET, "/sim/info"):
            return json(["seed": NSNumber(value: market.seed), "fromMs": NSNumber(value: market.firstMinute * 60_000),
                         "nowMs": NSNumber(value: market.nowMs), "instruments": market.instruments.map(\.instId),
                         "bars": Bar.all.map(\.name)])
        default:
            return json(["error": "not found"], 404)
        }
    }
}

func pow10(_ n: Int) -> Int64 {
    var v: Int64 = 1
    for _ in 0..<max(0, n) { v *= 10 }
    return v
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

struct SimHandler: HTTPHandler {
    let sim: OKXSimulator
    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        await sim.handle(request)
    }
}

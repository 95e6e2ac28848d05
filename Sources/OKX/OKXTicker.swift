// OKXTicker: one row of GET /api/v5/market/tickers (24-hour snapshot).

/// A ticker. Numbers are OKX's exact strings, validated as decimals; "" becomes nil.
/// `vol24h`/`volCcy24h` use the units of candle `vol`/`volCcy` (for SPOT, `volCcy24h` is the
/// 24-hour quote volume).
public struct OKXTicker: Sendable, Hashable {
    public var instType: String
    public var instId: String
    public var last: String?
    public var lastSz: String?
    public var askPx: String?
    public var askSz: String?
    public var bidPx: String?
    public var bidSz: String?
    public var open24h: String?
    public var high24h: String?
    public var low24h: String?
    public var vol24h: String?
    public var volCcy24h: String?
    public var sodUtc0: String?
    public var sodUtc8: String?
    /// Snapshot time, Unix ms.
    public var ts: Int64
    /// The ticker's JSON object exactly as OKX sent it.
    public var rawJSON: String

    public init(instType: String, instId: String, last: String? = nil, lastSz: String? = nil,
                askPx: String? = nil, askSz: String? = nil, bidPx: String? = nil, bidSz: String? = nil,
                open24h: String? = nil, high24h: String? = nil, low24h: String? = nil, vol24h: String? = nil,
                volCcy24h: String? = nil, sodUtc0: String? = nil, sodUtc8: String? = nil, ts: Int64, rawJSON: String) {
        self.instType = instType; self.instId = instId; self.last = last; self.lastSz = lastSz
        self.askPx = askPx; self.askSz = askSz; self.bidPx = bidPx; self.bidSz = bidSz
        self.open24h = open24h; self.high24h = high24h; self.low24h = low24h; self.vol24h = vol24h
        self.volCcy24h = volCcy24h; self.sodUtc0 = sodUtc0; self.sodUtc8 = sodUtc8; self.ts = ts
        self.rawJSON = rawJSON
    }

    init(row r: OKXObjectRow) throws {
        guard let tsString = try r.optionalMs("ts"), let ts = Int64(tsString) else {
            throw OKXError.malformed(endpoint: r.endpoint, row: r.index, field: "ts", reason: "missing or empty")
        }
        self.init(
            instType: try r.requiredString("instType"), instId: try r.requiredString("instId"),
            last: try r.optionalDecimal("last"), lastSz: try r.optionalDecimal("lastSz"),
            askPx: try r.optionalDecimal("askPx"), askSz: try r.optionalDecimal("askSz"),
            bidPx: try r.optionalDecimal("bidPx"), bidSz: try r.optionalDecimal("bidSz"),
            open24h: try r.optionalDecimal("open24h"), high24h: try r.optionalDecimal("high24h"),
            low24h: try r.optionalDecimal("low24h"), vol24h: try r.optionalDecimal("vol24h"),
            volCcy24h: try r.optionalDecimal("volCcy24h"), sodUtc0: try r.optionalDecimal("sodUtc0"),
            sodUtc8: try r.optionalDecimal("sodUtc8"), ts: ts, rawJSON: r.raw)
    }
}

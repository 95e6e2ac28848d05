// OKXInstrument: the fields of GET /api/v5/public/instruments that Candlestack uses.

/// OKX instrument types (`instType`).
public enum OKXInstrumentType: String, CaseIterable, Sendable, Hashable {
    case spot = "SPOT", margin = "MARGIN", swap = "SWAP", futures = "FUTURES", option = "OPTION"
}

/// One instrument. Every field but `instType` and `instId` is optional: OKX sends "" for fields
/// that do not apply, and those become nil (never 0). Numbers stay OKX's exact strings.
public struct OKXInstrument: Sendable, Hashable {
    public var instType: String
    public var instId: String
    public var baseCcy: String?
    public var quoteCcy: String?
    public var settleCcy: String?
    public var ctVal: String?
    public var ctMult: String?
    public var ctValCcy: String?
    /// "linear" or "inverse" for derivatives.
    public var ctType: String?
    public var tickSz: String?
    public var lotSz: String?
    public var minSz: String?
    /// live, suspend, preopen, test.
    public var state: String?
    /// Unix ms as a string.
    public var listTime: String?
    /// Unix ms as a string (futures and options).
    public var expTime: String?
    public var uly: String?
    public var instFamily: String?
    /// The instrument's JSON object exactly as OKX sent it (for a jsonb column).
    public var rawJSON: String

    public init(instType: String, instId: String, baseCcy: String? = nil, quoteCcy: String? = nil,
                settleCcy: String? = nil, ctVal: String? = nil, ctMult: String? = nil, ctValCcy: String? = nil,
                ctType: String? = nil, tickSz: String? = nil, lotSz: String? = nil, minSz: String? = nil,
                state: String? = nil, listTime: String? = nil, expTime: String? = nil, uly: String? = nil,
                instFamily: String? = nil, rawJSON: String) {
        self.instType = instType; self.instId = instId; self.baseCcy = baseCcy; self.quoteCcy = quoteCcy
        self.settleCcy = settleCcy; self.ctVal = ctVal; self.ctMult = ctMult; self.ctValCcy = ctValCcy
        self.ctType = ctType; self.tickSz = tickSz; self.lotSz = lotSz; self.minSz = minSz
        self.state = state; self.listTime = listTime; self.expTime = expTime; self.uly = uly
        self.instFamily = instFamily; self.rawJSON = rawJSON
    }

    /// `listTime` as Unix ms.
    public var listTimeMs: Int64? { listTime.flatMap { Int64($0) } }
    /// `expTime` as Unix ms.
    public var expTimeMs: Int64? { expTime.flatMap { Int64($0) } }

    init(row r: OKXObjectRow) throws {
        self.init(
            instType: try r.requiredString("instType"), instId: try r.requiredString("instId"),
            baseCcy: try r.optionalString("baseCcy"), quoteCcy: try r.optionalString("quoteCcy"),
            settleCcy: try r.optionalString("settleCcy"), ctVal: try r.optionalDecimal("ctVal"),
            ctMult: try r.optionalDecimal("ctMult"), ctValCcy: try r.optionalString("ctValCcy"),
            ctType: try r.optionalString("ctType"), tickSz: try r.optionalDecimal("tickSz"),
            lotSz: try r.optionalDecimal("lotSz"), minSz: try r.optionalDecimal("minSz"),
            state: try r.optionalString("state"), listTime: try r.optionalMs("listTime"),
            expTime: try r.optionalMs("expTime"), uly: try r.optionalString("uly"),
            instFamily: try r.optionalString("instFamily"), rawJSON: r.raw)
    }
}

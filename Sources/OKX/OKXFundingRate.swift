// OKXFundingRate: one row of GET /api/v5/public/funding-rate-history or /public/funding-rate.

/// A funding rate of a perpetual swap. Rates are OKX's exact signed decimal strings (validated:
/// an optional "-" then what OKXDecimal accepts, so never NaN, Infinity or an exponent); "" is nil.
public struct OKXFundingRate: Sendable, Hashable {
    public var instType: String
    public var instId: String
    /// Settlement time of the interval the rate belongs to, Unix ms (OKX fundingTime).
    public var fundingTime: Int64
    /// The rate as a fraction per interval (OKX fundingRate), e.g. "0.0001" or "-0.0000123".
    public var fundingRate: String
    /// The rate actually charged (history only; nil on /public/funding-rate).
    public var realizedRate: String?
    /// current_period or next_period.
    public var method: String?
    /// noRate or withRate.
    public var formulaType: String?
    /// /public/funding-rate only: the settlement after fundingTime.
    public var nextFundingTime: Int64?
    /// The row's JSON object exactly as OKX sent it.
    public var rawJSON: String

    public init(instType: String, instId: String, fundingTime: Int64, fundingRate: String, realizedRate: String? = nil,
                method: String? = nil, formulaType: String? = nil, nextFundingTime: Int64? = nil, rawJSON: String) {
        self.instType = instType; self.instId = instId; self.fundingTime = fundingTime; self.fundingRate = fundingRate
        self.realizedRate = realizedRate; self.method = method; self.formulaType = formulaType
        self.nextFundingTime = nextFundingTime; self.rawJSON = rawJSON
    }

    /// Why `s` is not an acceptable signed decimal, or nil when it is.
    public static func signedDecimalProblem(_ s: String) -> String? {
        if s.hasPrefix("-") {
            let rest = String(s.dropFirst())
            if rest.hasPrefix("-") { return "not a decimal number: \"\(s)\"" }
            return OKXDecimal.problem(rest)
        }
        return OKXDecimal.problem(s)
    }

    init(row r: OKXObjectRow) throws {
        func rate(_ key: String, required: Bool) throws -> String? {
            guard let s = try r.optionalString(key) else {
                if required { throw OKXError.malformed(endpoint: r.endpoint, row: r.index, field: key, reason: "missing or empty") }
                return nil
            }
            if let p = OKXFundingRate.signedDecimalProblem(s) {
                throw OKXError.malformed(endpoint: r.endpoint, row: r.index, field: key, reason: "rate \(p)")
            }
            return s
        }
        guard let timeString = try r.optionalMs("fundingTime"), let time = Int64(timeString) else {
            throw OKXError.malformed(endpoint: r.endpoint, row: r.index, field: "fundingTime", reason: "missing or empty")
        }
        let method = try r.optionalString("method")
        if let method, method != "current_period" && method != "next_period" {
            throw OKXError.malformed(endpoint: r.endpoint, row: r.index, field: "method",
                                     reason: "expected current_period or next_period, got \"\(method)\"")
        }
        let formula = try r.optionalString("formulaType")
        if let formula, formula != "noRate" && formula != "withRate" {
            throw OKXError.malformed(endpoint: r.endpoint, row: r.index, field: "formulaType",
                                     reason: "expected noRate or withRate, got \"\(formula)\"")
        }
        let instId = try r.requiredString("instId")
        guard InstrumentID.isWellFormed(instId) else {
            throw OKXError.malformed(endpoint: r.endpoint, row: r.index, field: "instId", reason: "not an instId: \"\(instId)\"")
        }
        self.init(instType: try r.optionalString("instType") ?? "SWAP", instId: instId, fundingTime: time,
                  fundingRate: try rate("fundingRate", required: true) ?? "",
                  realizedRate: try rate("realizedRate", required: false),
                  method: method, formulaType: formula,
                  nextFundingTime: try r.optionalMs("nextFundingTime").flatMap { Int64($0) }, rawJSON: r.raw)
    }
}

/// The strategy engines, by their exact names (the `engine` column in SQL).
public enum Engine: String, Sendable, CaseIterable, Codable {
    case buyHold = "buy_hold"
    case smaCross = "sma_cross"
    case emaCross = "ema_cross"
    case rsiReversion = "rsi_reversion"
    case bollingerBreakout = "bollinger_breakout"
    case macdCross = "macd_cross"
    case donchianBreakout = "donchian_breakout"

    /// The engine called `name`; throws `BacktestError.invalidParameter` naming the allowed names.
    public static func parse(_ name: String) throws -> Engine {
        guard let e = Engine(rawValue: name) else {
            let allowed = Engine.allCases.map(\.rawValue).joined(separator: ", ")
            throw BacktestError.invalidParameter(name: "engine", message: "must be one of \(allowed), got \"\(name)\"")
        }
        return e
    }

    /// The parameter names the engine requires (besides the stop/take/short options).
    public var parameterNames: [String] {
        switch self {
        case .buyHold: return []
        case .smaCross, .emaCross: return ["fast", "slow"]
        case .rsiReversion: return ["period", "lower", "upper"]
        case .bollingerBreakout: return ["period", "k"]
        case .macdCross: return ["fast", "slow", "signal"]
        case .donchianBreakout: return ["entry", "exit"]
        }
    }
}

/// A validated strategy: engine, its parameters and the options every engine takes.
///
/// The initializer checks everything (SQL checks the same at INSERT, but the engine
/// does not trust its input) and throws `BacktestError.invalidParameter` naming the
/// parameter and what is allowed.
public struct StrategySpec: Sendable, Equatable, Hashable {
    /// Option keys accepted in a flat parameter dictionary (see `init(engine:parameters:)`).
    public static let stopLossKey = "stop_loss_pct"
    public static let takeProfitKey = "take_profit_pct"
    public static let allowShortKey = "allow_short"

    public let engine: Engine
    /// Engine parameters by name (e.g. `["fast": 10, "slow": 30]`); periods are whole numbers.
    public let params: [String: Double]
    /// Stop-loss distance in percent of the entry price (2 = 2%), or nil for none.
    public let stopLossPct: Double?
    /// Take-profit distance in percent of the entry price, or nil for none.
    public let takeProfitPct: Double?
    /// Whether bearish signals open shorts (default false: long/flat).
    public let allowShort: Bool

    /// Validates and builds a spec.
    public init(engine: Engine, params: [String: Double] = [:], stopLossPct: Double? = nil,
                takeProfitPct: Double? = nil, allowShort: Bool = false) throws {
        let name = engine.rawValue
        for key in params.keys where !engine.parameterNames.contains(key) {
            let allowed = engine.parameterNames.isEmpty ? "none" : engine.parameterNames.joined(separator: ", ")
            throw BacktestError.invalidParameter(name: key, message: "\(name) takes no parameter \"\(key)\"; allowed: \(allowed)")
        }
        for key in engine.parameterNames {
            guard let v = params[key] else {
                throw BacktestError.invalidParameter(name: key, message: "\(name) requires \"\(key)\"")
            }
            guard v.isFinite else {
                throw BacktestError.invalidParameter(name: key, message: "must be a finite number, got \(v)")
            }
        }
        func period(_ key: String) throws {
            let v = params[key]!
            guard v >= 1, v == v.rounded(), v <= 1_000_000 else {
                throw BacktestError.invalidParameter(name: key, message: "\(name): must be a whole number >= 1, got \(v)")
            }
        }
        func less(_ a: String, _ b: String) throws {
            guard params[a]! < params[b]! else {
                throw BacktestError.invalidParameter(name: a, message: "\(name): \(a) must be < \(b), got \(a)=\(params[a]!) \(b)=\(params[b]!)")
            }
        }
        switch engine {
        case .buyHold: break
        case .smaCross, .emaCross:
            try period("fast"); try period("slow"); try less("fast", "slow")
        case .rsiReversion:
            try period("period")
            let lo = params["lower"]!, up = params["upper"]!
            guard lo > 0, lo < up, up < 100 else {
                throw BacktestError.invalidParameter(name: "lower", message: "\(name): need 0 < lower < upper < 100, got lower=\(lo) upper=\(up)")
            }
        case .bollingerBreakout:
            try period("period")
            guard params["k"]! > 0 else {
                throw BacktestError.invalidParameter(name: "k", message: "\(name): k must be > 0, got \(params["k"]!)")
            }
        case .macdCross:
            try period("fast"); try period("slow"); try period("signal"); try less("fast", "slow")
        case .donchianBreakout:
            try period("entry"); try period("exit")
        }
        if let s = stopLossPct, !(s.isFinite && s > 0 && s < 100) {
            throw BacktestError.invalidParameter(name: Self.stopLossKey, message: "must be > 0 and < 100 (percent), got \(s)")
        }
        if let t = takeProfitPct, !(t.isFinite && t > 0) {
            throw BacktestError.invalidParameter(name: Self.takeProfitKey, message: "must be > 0 (percent), got \(t)")
        }
        self.engine = engine
        self.params = params
        self.stopLossPct = stopLossPct
        self.takeProfitPct = takeProfitPct
        self.allowShort = allowShort
    }

    /// Builds a spec from one flat dictionary, as stored in a job payload or an optimizer
    /// combination: engine parameters plus optional `stop_loss_pct`, `take_profit_pct`
    /// and `allow_short` (0 or 1).
    public init(engine: Engine, parameters: [String: Double]) throws {
        var p = parameters
        let sl = p.removeValue(forKey: Self.stopLossKey)
        let tp = p.removeValue(forKey: Self.takeProfitKey)
        let shortValue = p.removeValue(forKey: Self.allowShortKey) ?? 0
        guard shortValue == 0 || shortValue == 1 else {
            throw BacktestError.invalidParameter(name: Self.allowShortKey, message: "must be 0 or 1, got \(shortValue)")
        }
        try self.init(engine: engine, params: p, stopLossPct: sl, takeProfitPct: tp, allowShort: shortValue == 1)
    }

    /// Engine parameters plus the options, flat (the inverse of `init(engine:parameters:)`):
    /// `stop_loss_pct` and `take_profit_pct` when set, `allow_short` = 1 when true.
    public var flatParameters: [String: Double] {
        var p = params
        if let s = stopLossPct { p[Self.stopLossKey] = s }
        if let t = takeProfitPct { p[Self.takeProfitKey] = t }
        if allowShort { p[Self.allowShortKey] = 1 }
        return p
    }

    /// Integer value of a period parameter (validated at init).
    func int(_ key: String) -> Int { Int(params[key]!) }
}

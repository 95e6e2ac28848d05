import Backtest
import Foundation

/// A parameter value in JSON: a number, or a boolean (allow_short).
enum ParamValue: Decodable, Sendable, Equatable {
    case number(Double)
    case bool(Bool)

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        self = .number(try c.decode(Double.self))
    }

    /// The engine's flat form: booleans as 1/0.
    var double: Double {
        switch self {
        case .number(let d): return d
        case .bool(let b): return b ? 1 : 0
        }
    }
}

/// The normalized payload of backtest, optimize and walk_forward jobs (see sql/0410).
///
/// Decoded with explicit snake_case keys: JSONDecoder's convertFromSnakeCase would also rename
/// the keys of the params and grid dictionaries.
struct BacktestPayload: Decodable, Sendable {
    var instID: String
    var bar: String
    var from: String
    var to: String
    var feeRate: Double
    var slippageBps: Double
    var capital: Double
    var lotSize: Double
    var strategy: String?
    var engine: String?
    var params: [String: ParamValue]?
    var grid: [String: [ParamValue]]?
    var objective: String?
    var minTrades: Int?
    var train: String?
    var test: String?
    var trainMs: Int64?
    var testMs: Int64?
    var mode: String?
    /// Swap and future fields (sql/0430, backtest.payload_contract); nil for spot.
    var contract: ContractPayload?
    var leverage: Double?
    var maintenanceMarginRatio: Double?
    /// "charge" or "ignore".
    var funding: String?

    enum CodingKeys: String, CodingKey {
        case instID = "inst_id", bar, from, to, feeRate = "fee_rate", slippageBps = "slippage_bps", capital
        case lotSize = "lot_size", strategy, engine, params, grid, objective, minTrades = "min_trades"
        case train, test, trainMs = "train_ms", testMs = "test_ms", mode
        case contract, leverage, maintenanceMarginRatio = "maintenance_margin_ratio", funding
    }

    static func decode(_ job: Job) throws -> BacktestPayload {
        do {
            return try JSONDecoder().decode(BacktestPayload.self, from: Data(job.payloadJSON.utf8))
        } catch {
            throw JobFailure.permanent("job \(job.id) (\(job.kind)): payload does not match what the handler expects: \(error)")
        }
    }

    var settings: RunSettings {
        RunSettings(feeRate: feeRate, slippageBps: slippageBps, capital: capital, lotSize: lotSize, contract: terms)
    }

    /// The engine's contract terms of a swap or future payload.
    var terms: ContractTerms? {
        guard let c = contract else { return nil }
        return ContractTerms(settlement: c.ctType == "inverse" ? .inverse : .linear, contractValue: c.ctVal,
                             leverage: leverage ?? 1,
                             maintenanceMarginRatio: maintenanceMarginRatio ?? ContractTerms.defaultMaintenanceMarginRatio)
    }

    /// True when a contract payload charges funding (the default).
    var chargesFunding: Bool { contract != nil && funding != "ignore" }

    /// The grid in the engine's flat form.
    var flatGrid: [String: [Double]] { (grid ?? [:]).mapValues { $0.map(\.double) } }
    var flatParams: [String: Double] { (params ?? [:]).mapValues(\.double) }
}

/// The instrument's contract terms as backtest.payload_contract copies them into the payload.
struct ContractPayload: Decodable, Sendable {
    var instType: String
    var ctType: String
    var ctVal: Double
    var settleCcy: String?
    var lever: Double?

    enum CodingKeys: String, CodingKey {
        case instType = "inst_type", ctType = "ct_type", ctVal = "ct_val", settleCcy = "settle_ccy", lever
    }
}

enum BacktestJSON {
    /// Flat engine parameters as a JSON object for SQL: allow_short as a boolean, whole numbers without ".0".
    static func params(_ flat: [String: Double]) -> [String: Any] {
        var out: [String: Any] = [:]
        for (k, v) in flat {
            if k == StrategySpec.allowShortKey { out[k] = v == 1 } else { out[k] = number(v) }
        }
        return out
    }

    static func number(_ v: Double) -> Any {
        if v == v.rounded(), abs(v) < 1e15 { return Int64(v) }
        return v
    }

    /// Every metric by its docs/metrics.md name (null when undefined).
    static func metrics(_ m: Metrics) -> [String: Any] {
        var out: [String: Any] = [:]
        for (name, value) in m.rows {
            if name == "annualised_reliable" { out[name] = m.annualisedReliable; continue }
            out[name] = value.map { name == "n_trades" || name == "max_drawdown_duration" ? Int64($0) as Any : $0 as Any } ?? NSNull()
        }
        out["bars"] = m.bars
        return out
    }

    static func text(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses a JSON object of parameters (as stored in backtest.strategies.params).
    static func decodeParams(_ text: String) throws -> [String: Double] {
        try JSONDecoder().decode([String: ParamValue].self, from: Data(text.utf8)).mapValues(\.double)
    }
}

/// Contract terms of a perpetual swap or future, and the arithmetic of its positions.
///
/// Spot runs have no terms (`RunSettings.contract == nil`) and never reach this code.
/// Linear contracts (`ct_type` linear) settle in the quote currency: `contracts × ctVal` is a
/// quantity of the base coin. Inverse contracts settle in the base coin: `ctVal` is a value in
/// the quote currency per contract, and cash, PnL, fees, funding and equity are in the coin.
/// Every formula is written out in docs/metrics.md ("Contracts, margin, funding and liquidation").
public struct ContractTerms: Sendable, Equatable, Hashable {
    public enum Settlement: String, Sendable, Codable { case linear, inverse }

    public var settlement: Settlement
    /// OKX `ct_val`: base coin per contract (linear) or quote currency per contract (inverse).
    public var contractValue: Double
    /// Position leverage, >= 1 (isolated margin: margin = entry notional / leverage).
    public var leverage: Double
    /// Maintenance margin as a fraction of the position's notional at the mark price, in (0, 1/leverage).
    public var maintenanceMarginRatio: Double

    /// Default maintenance margin ratio when the payload gives none: 0.5% of notional
    /// (OKX's first tier for the large USDT swaps is 0.4% to 0.5%; set yours from your tier).
    public static let defaultMaintenanceMarginRatio = 0.005

    public init(settlement: Settlement, contractValue: Double, leverage: Double = 1,
                maintenanceMarginRatio: Double = ContractTerms.defaultMaintenanceMarginRatio) {
        self.settlement = settlement
        self.contractValue = contractValue
        self.leverage = leverage
        self.maintenanceMarginRatio = maintenanceMarginRatio
    }

    /// Throws `BacktestError.invalidSetting` naming the first bad field.
    public func validate() throws {
        guard contractValue.isFinite, contractValue > 0 else {
            throw BacktestError.invalidSetting(name: "ct_val", message: "must be > 0, got \(contractValue)")
        }
        guard leverage.isFinite, leverage >= 1 else {
            throw BacktestError.invalidSetting(name: "leverage", message: "must be >= 1, got \(leverage)")
        }
        guard maintenanceMarginRatio.isFinite, maintenanceMarginRatio > 0, maintenanceMarginRatio < 1 else {
            throw BacktestError.invalidSetting(name: "maintenance_margin_ratio",
                                               message: "must be > 0 and < 1, got \(maintenanceMarginRatio)")
        }
        guard maintenanceMarginRatio < 1 / leverage else {
            throw BacktestError.invalidSetting(name: "maintenance_margin_ratio",
                                               message: "must be below 1 / leverage = \(1 / leverage) (a position would be liquidated at entry), got \(maintenanceMarginRatio)")
        }
    }

    var isInverse: Bool { settlement == .inverse }

    /// Notional of `contracts` (>= 0) at `price`, in the settlement currency.
    @inline(__always) func notional(_ contracts: Double, _ price: Double) -> Double {
        isInverse ? contracts * contractValue / price : contracts * contractValue * price
    }

    /// Unrealised PnL of signed `q` contracts entered at `entry`, marked at `price` (settlement currency).
    @inline(__always) func pnl(_ q: Double, entry: Double, price: Double) -> Double {
        isInverse ? q * contractValue * (1 / entry - 1 / price) : q * contractValue * (price - entry)
    }

    /// Funding of signed `q` contracts at mark price `mark` and `rate`: positive when paid.
    @inline(__always) func funding(_ q: Double, mark: Double, rate: Double) -> Double {
        isInverse ? q * contractValue / mark * rate : q * contractValue * mark * rate
    }

    /// Isolated margin of `contracts` entered at `entry`: entry notional / leverage.
    func margin(_ contracts: Double, entry: Double) -> Double { notional(contracts, entry) / leverage }

    /// The mark price at which a position entered at `entry` is liquidated: where its margin
    /// plus unrealised PnL falls to `maintenanceMarginRatio × notional at the mark`.
    ///
    /// Linear long `P(1 - 1/L)/(1 - m)`, short `P(1 + 1/L)/(1 + m)`; inverse long
    /// `P(1 + m)/(1 + 1/L)`, short `P(1 - m)/(1 - 1/L)` (infinite at 1x: never).
    public func liquidationPrice(entry p: Double, long: Bool) -> Double {
        let l = 1 / leverage, m = maintenanceMarginRatio
        switch (settlement, long) {
        case (.linear, true): return p * (1 - l) / (1 - m)
        case (.linear, false): return p * (1 + l) / (1 + m)
        case (.inverse, true): return p * (1 + m) / (1 + l)
        case (.inverse, false): return l >= 1 ? .infinity : p * (1 - m) / (1 - l)
        }
    }

    /// Largest number of contracts, a multiple of `lot` (0 = any), whose margin plus entry fee
    /// fits in `cash`: `notional(N, price) × (1/leverage + feeRate) <= cash`.
    func contracts(cash: Double, price: Double, feeRate: Double, lot: Double) -> Double {
        guard cash > 0, price > 0 else { return 0 }
        let unit = notional(1, price) * (1 / leverage + feeRate)
        let raw = cash / unit
        guard lot > 0 else { return raw }
        var k = (raw / lot + 1e-7).rounded(.down)
        if k * lot * unit > cash * (1 + 1e-12) { k -= 1 }
        return max(0, k * lot)
    }
}

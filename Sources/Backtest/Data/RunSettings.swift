/// Trading costs, starting capital and lot size of a run.
public struct RunSettings: Sendable, Equatable, Hashable {
    /// Fee as a fraction of each fill's notional (0.001 = 0.1%), charged on entry and exit.
    public var feeRate: Double
    /// Slippage in basis points, moving every fill price against the trader.
    public var slippageBps: Double
    /// Starting cash in quote currency.
    public var capital: Double
    /// Quantity step; sizes are rounded down to a multiple of it (0 = no rounding).
    public var lotSize: Double
    /// Contract terms of a swap or future (sizes in contracts, see ContractTerms); nil for spot.
    public var contract: ContractTerms?

    /// Settings with the project defaults: 0.1% fee, no slippage, 10,000 quote, 1e-8 lot.
    public init(feeRate: Double = 0.001, slippageBps: Double = 0, capital: Double = 10_000,
                lotSize: Double = 0.000_000_01, contract: ContractTerms? = nil) {
        self.feeRate = feeRate
        self.slippageBps = slippageBps
        self.capital = capital
        self.lotSize = lotSize
        self.contract = contract
    }

    /// Checks every field; throws `BacktestError.invalidSetting` naming the first bad one.
    public func validate() throws {
        guard feeRate.isFinite, feeRate >= 0, feeRate < 1 else {
            throw BacktestError.invalidSetting(name: "fee_rate", message: "must be >= 0 and < 1, got \(feeRate)")
        }
        guard slippageBps.isFinite, slippageBps >= 0, slippageBps < 10_000 else {
            throw BacktestError.invalidSetting(name: "slippage_bps", message: "must be >= 0 and < 10000, got \(slippageBps)")
        }
        guard capital.isFinite, capital > 0 else {
            throw BacktestError.invalidSetting(name: "capital", message: "must be > 0, got \(capital)")
        }
        guard lotSize.isFinite, lotSize >= 0 else {
            throw BacktestError.invalidSetting(name: "lot_size", message: "must be >= 0, got \(lotSize)")
        }
        try contract?.validate()
    }
}

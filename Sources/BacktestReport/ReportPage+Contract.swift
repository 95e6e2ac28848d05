import Foundation

/// The contract side of a swap or future run (backtest.run_contracts and its metrics), as the
/// report's "Contract" section shows it. Spot runs have none.
public struct ContractReport: Sendable, Equatable {
    /// SWAP or FUTURES.
    public var instType: String
    /// linear (settled in the quote currency) or inverse (settled in the base coin).
    public var ctType: String
    /// Base coin per contract (linear) or quote currency per contract (inverse).
    public var ctVal: Double
    /// Currency of cash, PnL, fees, funding and equity; nil when the instrument did not say.
    public var settleCcy: String?
    public var leverage: Double
    public var maintenanceMarginRatio: Double
    /// charged or ignore.
    public var funding: String
    /// Sum of the funding payments (settlement currency, positive when paid); nil without metrics.
    public var fundingPaid: Double?
    public var fundingPayments: Int
    /// Trades ended by liquidation; nil without metrics.
    public var liquidations: Int?
    /// Final equity in the quote currency (inverse runs: coin equity x last close).
    public var finalEquityQuote: Double?

    public init(instType: String, ctType: String, ctVal: Double, settleCcy: String?, leverage: Double,
                maintenanceMarginRatio: Double, funding: String, fundingPaid: Double?, fundingPayments: Int,
                liquidations: Int?, finalEquityQuote: Double?) {
        self.instType = instType; self.ctType = ctType; self.ctVal = ctVal; self.settleCcy = settleCcy
        self.leverage = leverage; self.maintenanceMarginRatio = maintenanceMarginRatio; self.funding = funding
        self.fundingPaid = fundingPaid; self.fundingPayments = fundingPayments; self.liquidations = liquidations
        self.finalEquityQuote = finalEquityQuote
    }
}

extension ReportPage {
    /// The "Contract" section (`<h2>Contract</h2>` and table id `contract`) of a swap or future
    /// run; empty for spot (`contract` nil). Units as in docs/metrics.md, "Contracts, margin,
    /// funding and liquidation".
    static func contractSection(_ contract: ContractReport?) -> String {
        guard let k = contract else { return "" }
        let ccy = k.settleCcy.map { " " + $0 } ?? ""
        let unit = k.ctType == "inverse" ? "quote currency per contract" : "base coin per contract"
        var rows: [(String, String)] = [
            ("instrument type", k.instType),
            ("contract type", k.ctType == "inverse" ? "inverse (settled in the base coin)" : "\(k.ctType) (settled in the quote currency)"),
            ("contract value (ct_val)", "\(term(k.ctVal)) \(unit)"),
            ("settlement currency", k.settleCcy ?? "unknown"),
            ("leverage", "\(term(k.leverage))x, isolated margin"),
            ("maintenance margin ratio", "\(term(k.maintenanceMarginRatio)) (\(term(k.maintenanceMarginRatio * 100)) %)"),
            ("funding", k.funding == "ignore" ? "ignored (\"funding\": \"ignore\"): not charged, left out of every figure" : k.funding),
            ("funding paid", k.fundingPaid.map { "\(number($0))\(ccy)" + ($0 < 0 ? " (received)" : "") } ?? "n/a"),
            ("funding payments", "\(k.fundingPayments)"),
            ("liquidations", k.liquidations.map { "\($0)" } ?? "n/a"),
        ]
        if k.ctType == "inverse" {
            rows.append(("final equity in the quote currency", k.finalEquityQuote.map(number) ?? "n/a"))
        }
        var h = "<h2>Contract</h2>\n<table id=\"contract\"><tr><th>term</th><th>value</th></tr>\n"
        for (name, value) in rows { h += "<tr><td>\(escape(name))</td><td>\(escape(value))</td></tr>\n" }
        return h + "</table>\n"
    }

    /// A contract term as `number` shows it, without trailing zeros (0.01, not 0.010000).
    static func term(_ x: Double) -> String {
        var s = number(x)
        guard s.contains(".") else { return s }
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}

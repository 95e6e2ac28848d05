import BacktestReport
import Postgres

/// The contract side of a stored run's report: backtest.run_contracts with the metrics
/// funding_paid and liquidations and the count of backtest.funding_payments (migrations/0023).
extension RunReport {
    static let contractQuery = """
        select k.inst_type, k.ct_type, k.ct_val, k.settle_ccy, k.leverage, k.maintenance_margin_ratio, k.funding,
               m.funding_paid, m.liquidations, k.final_equity_quote,
               (select count(*) from backtest.funding_payments as f where f.run_id = k.run_id) as payments
          from backtest.run_contracts as k
          left join backtest.metrics as m on m.run_id = k.run_id
         where k.run_id = $1
        """

    /// The contract terms and figures of run `runID`; nil for a spot run (no run_contracts row).
    public static func contract(_ c: Connection, runID: Int64) throws -> ContractReport? {
        guard let r = try c.query(contractQuery, [runID]).first else { return nil }
        return ContractReport(
            instType: try r.string("inst_type") ?? "", ctType: try r.string("ct_type") ?? "",
            ctVal: try r.double("ct_val") ?? 0, settleCcy: try r.string("settle_ccy"),
            leverage: try r.double("leverage") ?? 1, maintenanceMarginRatio: try r.double("maintenance_margin_ratio") ?? 0,
            funding: try r.string("funding") ?? "", fundingPaid: try r.double("funding_paid"),
            fundingPayments: Int(try r.int64("payments") ?? 0), liquidations: try r.int64("liquidations").map { Int($0) },
            finalEquityQuote: try r.double("final_equity_quote"))
    }
}

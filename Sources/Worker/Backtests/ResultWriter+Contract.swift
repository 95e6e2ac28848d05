import Backtest
import Foundation
import Postgres

/// The rows a swap or future run adds (migrations/0023): its terms, funding payments, and the
/// metrics funding_paid and liquidations. Written in the run's transaction after ResultWriter.write.
extension ResultWriter {
    static let insertRunContract = """
        insert into backtest.run_contracts (run_id, inst_type, ct_type, ct_val, settle_ccy, leverage,
                                            maintenance_margin_ratio, funding, final_equity_quote)
        values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        """
    static let copyFundingPayments = """
        copy backtest.funding_payments (run_id, funding_time, rate, mark_price, contracts, amount) from stdin
        """
    static let setContractMetrics = "update backtest.metrics set funding_paid = $2, liquidations = $3 where run_id = $1"

    static func writeContract(_ c: Connection, runID: Int64, payload p: BacktestPayload, terms: ContractTerms,
                              summary s: ContractSummary, hasMetrics: Bool) throws {
        try c.query(insertRunContract, [
            runID, p.contract?.instType ?? "SWAP", terms.settlement.rawValue, terms.contractValue, p.contract?.settleCcy,
            terms.leverage, terms.maintenanceMarginRatio, p.chargesFunding ? "charged" : "ignore", s.finalEquityQuote,
        ])
        if !s.payments.isEmpty {
            try c.copyIn(copyFundingPayments) { w in
                for f in s.payments {
                    try w.write("\(runID)\t\(ts(f.time))\t\(f.rate)\t\(f.markPrice)\t\(f.contracts)\t\(f.amount)\n")
                }
            }
        }
        if hasMetrics { try c.query(setContractMetrics, [runID, s.fundingPaid, s.liquidations]) }
    }
}

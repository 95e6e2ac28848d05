import BacktestReport
import Foundation
import Testing
import TestSupport
import Worker

/// `candlestack report RUN` of a swap run shows its "Contract" section with the stored figures; a
/// spot run's page has none.
@Suite("swap backtest report")
struct SwapReportTests {
    /// The text of the row named `term` in the page's contract table, nil when absent.
    static func cell(_ html: String, _ term: String) -> String? {
        guard let r = html.range(of: "<tr><td>\(ReportPage.escape(term))</td><td>") else { return nil }
        let rest = html[r.upperBound...]
        return rest.range(of: "</td>").map { String(rest[..<$0.lowerBound]) }
    }

    @Test("a swap run's report shows contract terms, leverage, margin, funding and liquidations as stored")
    func swapReportHasContractSection() async throws {
        let f = try SwapFixture()
        let result = try await f.run(#""engine": "buy_hold", "leverage": 3, "maintenance_margin_ratio": 0.01, "fee_rate": 0.0005"#)
        let runID = try #require(result["run_id"] as? Int)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("swap-report-\(UUID().uuidString).html").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        try await Shell.run(Paths.executable("candlestack"), ["report", "\(runID)", "--out", out, "--database-url", f.base.conninfo])
        let html = try String(contentsOfFile: out, encoding: .utf8)
        let hasSection = html.contains("<h2>Contract</h2>") && html.contains("id=\"contract\"")
        #expect(hasSection, "the page has the Contract section")
        let paid = try #require(try f.base.scalar("select funding_paid from backtest.metrics where run_id = $1", [runID]).flatMap(Double.init))
        let payments = try f.base.scalar("select count(*) from backtest.funding_payments where run_id = $1", [runID])
        #expect(Self.cell(html, "instrument type") == "SWAP")
        #expect(Self.cell(html, "contract type") == "linear (settled in the quote currency)")
        #expect(Self.cell(html, "contract value (ct_val)") == "0.01 base coin per contract")
        #expect(Self.cell(html, "settlement currency") == "USDT")
        #expect(Self.cell(html, "leverage") == "3x, isolated margin")
        #expect(Self.cell(html, "maintenance margin ratio") == "0.01 (1 %)")
        #expect(Self.cell(html, "funding") == "charged")
        #expect(Self.cell(html, "funding paid") == "\(ReportPage.number(paid)) USDT")
        #expect(payments == "8" && Self.cell(html, "funding payments") == payments)
        #expect(Self.cell(html, "liquidations") == "0")
        #expect(Self.cell(html, "final equity in the quote currency") == nil, "a linear run's equity is already in the quote currency")
    }

    @Test("a spot run's report has no contract section")
    func spotReportHasNone() async throws {
        let f = try BacktestFixture(minutes: 3 * 1440)
        let result = try await f.run(BacktestHandler(), payload: #"{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-01-03", "engine": "buy_hold"}"#).result
        let runID = try #require(result["run_id"] as? Int)
        let c = try f.connect()
        defer { c.close() }
        let html = try RunReport.html(c, runID: Int64(runID))
        let hasMetrics = html.contains("<h2>Metrics</h2>")
        #expect(hasMetrics, "the page itself is there")
        let hasSection = html.contains("<h2>Contract</h2>") || html.contains("id=\"contract\"")
        #expect(!hasSection, "a spot page has no Contract section")
        #expect(try RunReport.contract(c, runID: Int64(runID)) == nil)
    }
}

import BacktestReport
import Testing

/// The report's "Contract" section rendered from its input alone.
@Suite("report contract section")
struct ContractReportTests {
    static func page(_ contract: ContractReport?) -> String {
        var input = ReportInput(title: "t", engine: "buy_hold", params: [:], instrument: "BTC-USD-SWAP", bar: "1m",
                                metrics: [], curve: [], trades: [])
        input.contract = contract
        return ReportPage.html(input)
    }

    @Test("an inverse run with funding ignored shows the quote-currency equity and says funding was left out")
    func inverseIgnoredFunding() {
        let html = Self.page(ContractReport(instType: "SWAP", ctType: "inverse", ctVal: 100, settleCcy: "BTC", leverage: 2,
                                            maintenanceMarginRatio: 0.005, funding: "ignore", fundingPaid: 0, fundingPayments: 0,
                                            liquidations: 1, finalEquityQuote: 41234.5))
        let missing = [
            "<h2>Contract</h2>",
            "<tr><td>contract value (ct_val)</td><td>100 quote currency per contract</td></tr>",
            "<tr><td>contract type</td><td>inverse (settled in the base coin)</td></tr>",
            "<tr><td>leverage</td><td>2x, isolated margin</td></tr>",
            "<tr><td>maintenance margin ratio</td><td>0.005 (0.5 %)</td></tr>",
            "<tr><td>final equity in the quote currency</td><td>41234.50</td></tr>",
            "<tr><td>funding</td><td>ignored (&quot;funding&quot;: &quot;ignore&quot;)",
            "<tr><td>funding paid</td><td>0 BTC</td></tr>",
            "<tr><td>liquidations</td><td>1</td></tr>",
        ].filter { !html.contains($0) }
        #expect(missing.count == 0, "rows missing from the page: \(missing)")
    }

    @Test("a received funding total is marked; a spot input has no section")
    func receivedAndSpot() {
        let html = Self.page(ContractReport(instType: "SWAP", ctType: "linear", ctVal: 0.01, settleCcy: "USDT", leverage: 5,
                                            maintenanceMarginRatio: 0.005, funding: "charged", fundingPaid: -1.25,
                                            fundingPayments: 3, liquidations: 0, finalEquityQuote: 1001))
        let received = html.contains("<tr><td>funding paid</td><td>-1.2500 USDT (received)</td></tr>")
        #expect(received, "a negative total is shown as received")
        let quoteRow = html.contains("final equity in the quote currency")
        #expect(!quoteRow, "a linear run's equity is already in the quote currency")
        let spotSection = Self.page(nil).contains("<h2>Contract</h2>")
        #expect(!spotSection, "a spot page has no contract section")
    }
}

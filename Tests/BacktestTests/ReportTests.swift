import Testing
import Backtest
import BacktestReport

@Suite struct ReportTests {
    @Test func pageHasBothChartsAndEscapesText() throws {
        let c = Fixtures.randomWalk(3000, seed: 8)
        let r = try Backtester.run(candles: c, spec: Fixtures.spec(.smaCross, ["fast": 5, "slow": 20], sl: 1))
        let page = ReportPage.html(result: r, instrument: "<script>alert('x')</script>&CO", bar: "1m")
        #expect(page.contains("id=\"equity-chart\"") && page.contains("id=\"drawdown-chart\""))
        #expect(page.contains("viewBox=\"0 0 960 300\"") && page.contains("width=\"960\""))
        #expect(!page.contains("<script"))
        #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;CO"))
        #expect(page.contains("sma_cross") && page.contains("stop_loss_pct=1"))
        #expect(page.contains("class=\"entry long\""))
        #expect(!page.contains("http://") || !page.contains("src=\"http"))
        #expect(page.components(separatedBy: "<tr>").count - 1 >= r.trades.count + 1)
        #expect(ReportPage.escape("a<b>&\"'") == "a&lt;b&gt;&amp;&quot;&#39;")
    }

    @Test func anEmptyCurveStillRenders() {
        let page = ReportPage.html(ReportInput(title: "t", engine: "buy_hold", params: [:], instrument: "X", bar: "1m",
                                               metrics: [("sharpe", nil)], curve: [], trades: []))
        #expect(page.contains("id=\"equity-chart\"") && page.contains("n/a"))
    }
}

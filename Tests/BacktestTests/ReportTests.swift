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

    @Test func candleChartOnlyWithCandlesAndIndicatorsAreTheEnginesSeries() throws {
        let c = Fixtures.randomWalk(3000, seed: 8)
        let r = try Backtester.run(candles: c, spec: Fixtures.spec(.smaCross, ["fast": 5, "slow": 20], sl: 1))
        #expect(!ReportPage.html(result: r, instrument: "X", bar: "1m").contains("candle-chart"))
        // One chart candle per 10 candles, ending at each tenth candle.
        let chart = stride(from: 9, to: c.count, by: 10).map { i in
            ChartCandle(time: c.time[i - 9], lastTime: c.time[i], open: c.open[i - 9], high: c.high[i], low: c.low[i], close: c.close[i], volume: 1)
        }
        let lines = IndicatorLines.lines(engine: "sma_cross", params: r.spec.flatParameters, candles: c, at: chart)
        try #require(lines.map(\.name) == ["SMA 5", "SMA 20"])
        let sma20 = Indicators.sma(c.close, period: 20)
        #expect(lines[1].values[5] == sma20[59] && lines[1].values[0].isNaN, "sampled at each bucket's last candle")
        var input = ReportInput(result: r, instrument: "X", bar: "1m")
        input.candles = chart
        input.indicators = lines
        let page = ReportPage.html(input)
        #expect(page.contains("id=\"candle-chart\"") && page.components(separatedBy: "class=\"candle\"").count - 1 == chart.count)
        #expect(page.contains("class=\"indicator\" data-name=\"SMA 20\""))
        #expect(IndicatorLines.lines(engine: "buy_hold", params: [:], candles: c, at: chart).count == 0)
        let rsi = IndicatorLines.lines(engine: "rsi_reversion", params: ["period": 14, "lower": 30, "upper": 70], candles: c, at: chart)
        #expect(Charts.oscillator(chart, lines: rsi).contains("id=\"indicator-chart\""))
    }
}

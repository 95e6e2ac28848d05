import Foundation
import Testing
import TestSupport
import Worker

/// `candlestack report RUN --out FILE` on a stored run, and the page rendered by headless Chromium.
@Suite("backtest report")
struct ReportCommandTests {
    static func storedRun() async throws -> (BacktestFixture, Int) {
        let f = try BacktestFixture(minutes: 10_000)
        let (_, result) = try await f.run(BacktestHandler(), payload: #"{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-01-08", "engine": "sma_cross", "params": {"fast": 20, "slow": 60}}"#)
        return (f, try #require(result["run_id"] as? Int))
    }

    static func tempPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("btj-\(UUID().uuidString)-\(name)").path
    }

    @Test("candlestack report writes a self-contained page with the equity and drawdown charts")
    func reportHasCharts() async throws {
        let (f, runID) = try await Self.storedRun()
        let out = Self.tempPath("report.html")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try await Shell.run(Paths.executable("candlestack"), ["report", "\(runID)", "--out", out, "--database-url", f.conninfo])
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("id=\"equity-chart\""))
        #expect(html.contains("id=\"drawdown-chart\""))
        #expect(html.contains("<polyline"))
        #expect(!html.contains("<script src"))
        let trades = try #require(Int(try f.scalar("select count(*) from backtest.trades where run_id = $1", [runID]) ?? ""))
        #expect(html.contains("Trades (\(trades))"))
    }

    @Test("candlestack report draws the candles of the run's range with the trades and the strategy's SMAs, with plain metric names")
    func reportHasCandleChart() async throws {
        let (f, runID) = try await Self.storedRun()
        let out = Self.tempPath("report.html")
        defer { try? FileManager.default.removeItem(atPath: out) }
        try await Shell.run(Paths.executable("candlestack"), ["report", "\(runID)", "--out", out, "--database-url", f.conninfo])
        let html = try String(contentsOfFile: out, encoding: .utf8)
        let start = html.range(of: "<svg id=\"candle-chart\"")
        try #require(start != nil, "the report has a candle chart")
        let rest = html[start!.lowerBound...]
        let candleSVG = String(rest[..<(rest.range(of: "</svg>")?.upperBound ?? rest.endIndex)])
        let candles = candleSVG.components(separatedBy: "class=\"candle\"").count - 1
        #expect(candles > 100 && candles <= 800, "candles folded per pixel: \(candles) drawn")
        let trades = try #require(Int(try f.scalar("select count(*) from backtest.trades where run_id = $1", [runID]) ?? ""))
        #expect(trades > 0, "the run traded")
        // One path per kind, each counting the trades it marks (TradeMarkers).
        func marked(_ prefix: String) -> Int {
            candleSVG.components(separatedBy: "class=\"\(prefix)").dropFirst()
                .compactMap { $0.components(separatedBy: "data-trades=\"").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) } }
                .reduce(0, +)
        }
        #expect(marked("entry ") == trades, "every entry marked on the candles")
        #expect(marked("exit ") == trades, "every exit marked on the candles")
        let smas = candleSVG.contains("data-name=\"SMA 20\"") && candleSVG.contains("data-name=\"SMA 60\"")
        #expect(smas, "the strategy's SMAs drawn over the candles")
        let plain = html.contains("Sharpe ratio (annualised)") && html.contains("Maximum drawdown")
        #expect(plain, "plain metric names")
        let raw = html.contains("<td>annualised_reliable</td>")
        #expect(!raw, "raw metric names are not the labels")
    }

    @Test("candlestack report refuses a run that does not exist")
    func reportUnknownRun() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let r = try await Shell.run(Paths.executable("candlestack"), ["report", "424242", "--out", Self.tempPath("x.html"), "--database-url", conninfo], check: false)
        #expect(r.status != 0)
    }

    @Test("headless Chromium draws both charts",
          .enabled(if: Paths.chromium != nil, "no Chromium executable: scripts/setup installs it (apt-get install chromium)"))
    func chromiumDrawsCharts() async throws {
        let chromium = try #require(Paths.chromium)
        let (f, runID) = try await Self.storedRun()
        let page = Self.tempPath("report.html")
        let blank = Self.tempPath("nocharts.html")
        let shot = Self.tempPath("report.png"), blankShot = Self.tempPath("nocharts.png")
        defer { for p in [page, blank, shot, blankShot] { try? FileManager.default.removeItem(atPath: p) } }
        try await Shell.run(Paths.executable("candlestack"), ["report", "\(runID)", "--out", page, "--database-url", f.conninfo])
        let html = try String(contentsOfFile: page, encoding: .utf8)
        // The same page with the two charts' drawings removed, as the baseline.
        let stripped = html.replacingOccurrences(of: #"<(polyline|polygon)[^>]*/>"#, with: "", options: .regularExpression)
        try stripped.write(toFile: blank, atomically: true, encoding: .utf8)
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1200,2000"]
        let dom = try await Shell.run(chromium, common + ["--dump-dom", "file://\(page)"], check: false)
        #expect(dom.stdout.contains("id=\"equity-chart\"") && dom.stdout.contains("id=\"drawdown-chart\""), "DOM: \(dom.stderr.suffix(500))")
        let pointLists = dom.stdout.matches(of: /<(?:polyline|polygon)[^>]* points="([^"]*)"/).map { String($0.output.1) }
        #expect(pointLists.count >= 2)
        #expect(pointLists.allSatisfy { $0.split(separator: " ").count > 100 }, "charts have hundreds of points")
        try await Shell.run(chromium, common + ["--screenshot=\(shot)", "file://\(page)"], check: false)
        try await Shell.run(chromium, common + ["--screenshot=\(blankShot)", "file://\(blank)"], check: false)
        let size = (try FileManager.default.attributesOfItem(atPath: shot)[.size] as? NSNumber)?.intValue ?? 0
        let blankSize = (try FileManager.default.attributesOfItem(atPath: blankShot)[.size] as? NSNumber)?.intValue ?? 0
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG was written")
        // Drawn lines and the filled drawdown area add pixel variety that PNG cannot compress away.
        #expect(size > 20_000, "screenshot is \(size) bytes")
        #expect(Double(size) > Double(blankSize) * 1.1, "with charts \(size) bytes, without \(blankSize) bytes")
    }
}

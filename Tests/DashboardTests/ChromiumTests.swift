import Foundation
import Testing
import TestSupport

/// Headless Chromium loads every page: no console error (CSP violations included), the charts'
/// elements are in the rendered DOM, and a screenshot of the run page is drawn.
@Suite("dashboard in Chromium")
struct ChromiumTests {
    static func chromium(_ extra: [String]) throws -> Shell.Output {
        let profile = NSTemporaryDirectory() + "dash-chrome-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        defer { try? FileManager.default.removeItem(atPath: profile) }
        // No --virtual-time-budget: virtual time waits for every pending fetch, and the Activity
        // page's EventSource (/events) never ends, so Chromium would wait forever. --timeout bounds
        // the load; coreutils' timeout bounds Chromium itself, so a hang fails the test instead.
        return try Shell.run("/usr/bin/timeout", ["120", Paths.chromium!, "--headless", "--no-sandbox", "--disable-gpu",
                                                  "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=\(profile)",
                                                  "--enable-logging=stderr", "--v=0", "--timeout=10000"] + extra)
    }

    /// Every console message Chromium logged (the dashboard's script logs none, so any is an error:
    /// console.error, an uncaught exception, a CSP refusal all arrive as `INFO:CONSOLE` lines).
    static func consoleErrors(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter {
            $0.contains(":CONSOLE") || $0.contains("Content Security Policy") || $0.contains("Uncaught")
        }
    }

    @Test("the console check catches a console.error (it can fail)",
          .enabled(if: Paths.chromium != nil, "needs Debian's chromium (scripts/setup installs it)"))
    func consoleCheckCanFail() throws {
        let page = NSTemporaryDirectory() + "dash-console-\(getpid()).html"
        try "<html><body><script>console.error('boom')</script></body></html>".write(toFile: page, atomically: true, encoding: .utf8)
        let out = try Self.chromium(["--dump-dom", "file://\(page)"])
        #expect(Self.consoleErrors(out.stderr).count == 1)
    }

    @Test("every page loads in headless Chromium with no console error and its chart elements drawn",
          .enabled(if: Paths.chromium != nil, "needs Debian's chromium (scripts/setup installs it)"))
    func pagesLoad() async throws {
        let f = try await DashboardFixture.shared.value
        let base = "http://127.0.0.1:\(f.port)"
        let pages: [(String, [String])] = [
            ("/", ["id=\"queue\""]), ("/coins", ["class=\"sparkline\""]), ("/coins/BTC-USDT", ["id=\"candle-chart\"", "class=\"candle\""]),
            ("/activity", ["<progress"]), ("/backtests", ["id=\"runs\""]), ("/strategies", ["id=\"engines\""]),
            ("/backtests?compare=\(f.backtestRun),\(f.optimizeRun)", ["id=\"compare-chart\"", "class=\"compare-line\""]),
            ("/runs/\(f.backtestRun)", ["class=\"candle\"", "class=\"entry long\"", "class=\"indicator\"", "id=\"equity-chart\"", "id=\"drawdown-chart\""]),
            ("/optimizations/\(f.optimizeRun)", ["class=\"cell best\""]),
            ("/walk-forward/\(f.walkForwardRun)", ["id=\"equity-chart\""]), ("/jobs/\(f.jobID)", ["id=\"job\""]),
        ]
        for (path, needles) in pages {
            let out = try Self.chromium(["--dump-dom", base + path])
            #expect(out.stdout.contains("</html>"), "\(path): no DOM dumped")
            for n in needles { #expect(out.stdout.contains(n), "\(path): rendered DOM lacks \(n)") }
            let errors = Self.consoleErrors(out.stderr)
            #expect(errors.count == 0, "\(path): \(errors.prefix(3).joined(separator: " | "))")
        }
    }

    @Test("a screenshot of the run page shows the candle chart drawn",
          .enabled(if: Paths.chromium != nil, "needs Debian's chromium (scripts/setup installs it)"))
    func screenshot() async throws {
        let f = try await DashboardFixture.shared.value
        let png = NSTemporaryDirectory() + "dashboard-run-\(getpid()).png"
        try? FileManager.default.removeItem(atPath: png)
        let out = try Self.chromium(["--screenshot=\(png)", "--window-size=1280,1600", "http://127.0.0.1:\(f.port)/runs/\(f.backtestRun)"])
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        // PNG signature, and far bigger than a blank or text-only page (candles, markers, curves).
        #expect(data.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]), "not a PNG: \(out.stderr.suffix(300))")
        #expect(data.count > 60_000, "screenshot too small to hold the charts: \(data.count) bytes")
        print("dashboard screenshot: \(png) (\(data.count) bytes)")
    }
}

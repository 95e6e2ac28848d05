import Foundation
import Postgres
import Testing
import TestSupport

/// The Activity page's progress bar follows queue.report_progress in Chromium, without a reload:
/// the page is served with the job at 10%, then the worker's SQL reports 60% while the page is open,
/// and the DOM Chromium dumps shows the bar at 0.6 with the worker's message.
@Suite("dashboard progress in Chromium")
struct ProgressChromiumTests {
    @Test("the progress bar of a running job moves without a reload (Server-Sent Events)",
          .enabled(if: Paths.chromium != nil, "needs Debian's chromium (scripts/setup installs it)"))
    func progressBarMoves() async throws {
        let s = try await ActionServer.start(role: "candlestack_bi", readOnly: true)
        defer { s.stop() }
        let id = try #require(Int64(try s.scalar("select id from queue.enqueue('noop', '{}'::jsonb)") ?? ""))
        _ = try s.scalar("select id from queue.claim('dash-chrome', array['noop'], 1, '5 minutes')")
        _ = try s.scalar("select queue.report_progress($1, 'dash-chrome', 1, 0.1, 'starting')", [id])
        let served = try s.get("/activity").body
        #expect(served.contains("<progress max=\"1\" value=\"0.1") && served.contains("data-job=\"\(id)\""), "served at 10%")
        #expect(!served.contains("moved by the worker"), "the served page does not know the later message")

        // While Chromium has the page open, the worker reports 60% again and again (each report is
        // a fresh notification; the database sends at most one per 250 ms per job), until Chromium
        // has dumped the DOM. Chromium gets the page over a real socket, so no report can reach it
        // except through /events.
        let reporter = Task {
            let c = try Connection(s.conninfo)
            defer { c.close() }
            while !Task.isCancelled {
                _ = try c.query("select queue.report_progress($1, 'dash-chrome', 1, 0.6, 'moved by the worker')", [id])
                try await Task.sleep(for: .milliseconds(300))
            }
        }
        defer { reporter.cancel() }
        let profile = NSTemporaryDirectory() + "dash-progress-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let out = try await Shell.run(Paths.chromium!, [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(profile)", "--virtual-time-budget=8000", "--dump-dom", "http://127.0.0.1:\(s.port)/activity"])
        reporter.cancel()
        let dom = out.stdout
        #expect(dom.contains("</html>"), "no DOM dumped: \(out.stderr.suffix(300))")
        let bar = dom.range(of: #"<progress[^>]*data-job="\#(id)"[^>]*>[^<]*</progress>"#, options: .regularExpression).map { String(dom[$0]) } ?? ""
        #expect(bar.contains("value=\"0.6"), "the bar moved to 60% without a reload: \(bar)")
        #expect(bar.contains("title=\"moved by the worker\"") && bar.contains(">60%<"), "with the worker's message: \(bar)")
    }
}

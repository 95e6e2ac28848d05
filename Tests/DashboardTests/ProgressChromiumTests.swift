import Foundation
import Postgres
import Testing
import TestSupport

/// The Activity page's progress bar follows queue.report_progress in Chromium, without a reload:
/// the page is served with the job at 10%, then the worker's SQL reports 60% while the page is open,
/// and the page's DOM (read over the DevTools pipe) shows the bar at 0.6 with the worker's message.
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

        // Chromium opens the page over a real socket and is then only asked, over the DevTools pipe,
        // what the bar shows; the page is never reloaded. Meanwhile the worker reports 60% again and
        // again (each report is a fresh notification; the database sends at most one per 250 ms per
        // job), so one arrives once the page's EventSource is connected, however long that takes.
        let chrome = try ChromiumPipe(Paths.chromium!, url: "http://127.0.0.1:\(s.port)/activity")
        defer { chrome.close() }
        let session = try chrome.pageSession()
        let bar = "(function () { var p = document.querySelector('progress[data-job=\"\(id)\"]'); return p ? p.outerHTML : ''; })()"
        let c = try Connection(s.conninfo)
        defer { c.close() }
        var seen = "", loadedAt10 = false
        for _ in 0..<200 {
            seen = try chrome.evaluate(bar, session: session)
            if seen.contains("value=\"0.1\"") { loadedAt10 = true }
            if seen.contains("moved by the worker") { break }
            if loadedAt10 {
                _ = try c.query("select queue.report_progress($1, 'dash-chrome', 1, 0.6, 'moved by the worker')", [id])
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(loadedAt10, "the page was loaded with the bar at 10%")
        #expect(seen.contains("value=\"0.6"), "the bar moved to 60% without a reload: \(seen)")
        #expect(seen.contains("title=\"moved by the worker\"") && seen.contains(">60%<"), "with the worker's message: \(seen)")
        #expect(try chrome.evaluate("String(performance.getEntriesByType('navigation').length)", session: session) == "1", "one navigation: no reload")
    }
}

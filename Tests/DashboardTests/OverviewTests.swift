import Foundation
import Postgres
import Testing
import TestSupport

/// The overview lists the schedules whose job is being refused (bi.failing_schedules).
@Suite("dashboard overview")
struct OverviewTests {
    @Test("a schedule whose kind is disabled shows on / and /api as failing, with its error")
    func failingSchedules() async throws {
        let s = try await ActionServer.start(role: "candlestack_bi", readOnly: true)
        defer { s.stop() }
        let before = try s.get("/")
        #expect(before.status == 200 && before.body.contains("<p class=\"muted\" id=\"failing_schedules\">no rows</p>"), "none failing yet")
        // A real refusal: the schedule's kind is disabled, so queue.enqueue_due records a failure.
        _ = try s.scalar("insert into queue.schedules (name, kind, every, next_run_at) values ('dash-broken', 'noop', '1 hour', now() - interval '1 hour') returning name")
        _ = try s.scalar("update queue.job_kinds set enabled = false where kind = 'noop' returning kind")
        _ = try s.scalar("select queue.enqueue_due()")
        #expect(try s.scalar("select failures from queue.schedules where name = 'dash-broken'") == "1")
        let page = try s.get("/")
        #expect(page.body.contains("<table id=\"failing_schedules\""), "the failing schedules table")
        #expect(page.body.contains("<td>dash-broken</td>") && page.body.contains("disabled"), "the schedule and its error")
        let rows = try #require(try HTTPAnswer.request(port: s.port, "GET /api", headers: []).json()["failing_schedules"] as? [[String: Any]])
        #expect(rows.count == 1 && rows.first?["name"] as? String == "dash-broken" && rows.first?["failures"] as? Int == 1)
    }
}

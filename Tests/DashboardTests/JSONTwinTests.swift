import Foundation
import Testing

/// The JSON twin of a page is built in Swift from the section's rows (by column type), not by
/// wrapping its SQL: it must equal what PostgreSQL's own json_agg makes of the same rows.
@Suite("dashboard JSON twins")
struct JSONTwinTests {
    @Test("a run's JSON row equals PostgreSQL's json_agg of the same bi row (numbers, booleans, jsonb, arrays, times)")
    func runRowEqualsJsonAgg() async throws {
        let f = try await DashboardFixture.shared.value
        let api = try #require(try f.get("/api/runs/\(f.backtestRun)").json()["run"] as? [[String: Any]])
        let text = try #require(try f.scalar("select json_agg(r)::text from bi.backtest_runs r where run_id = $1", [f.backtestRun]))
        let sql = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(api.count == 1 && sql.count == 1)
        let a = try #require(api.first), s = try #require(sql.first)
        #expect(Set(a.keys) == Set(s.keys), "columns: \(Set(a.keys).symmetricDifference(Set(s.keys)))")
        let differ = s.keys.sorted().filter { canonical(a[$0]) != canonical(s[$0]) }
        #expect(differ.isEmpty, "differ: \(differ.map { "\($0): api \(a[$0] ?? "nil") sql \(s[$0] ?? "nil")" })")
        #expect(a.values.contains { !($0 is String) }, "the row has typed values, not only strings")
    }

    @Test("every job row of the activity page equals json_agg of bi.jobs (timestamps with fractions, NULLs)")
    func jobRowsEqualJsonAgg() async throws {
        let f = try await DashboardFixture.shared.value
        let api = try #require(try f.get("/api/jobs/\(f.jobID)").json()["job"] as? [[String: Any]])
        let text = try #require(try f.scalar("select json_agg(j)::text from bi.jobs j where job_id = $1", [f.jobID]))
        let sql = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        let a = try #require(api.first), s = try #require(sql.first)
        let differ = s.keys.sorted().filter { canonical(a[$0]) != canonical(s[$0]) }
        #expect(differ.isEmpty, "differ: \(differ.map { "\($0): api \(a[$0] ?? "nil") sql \(s[$0] ?? "nil")" })")
    }
}

/// A JSON value written back with sorted keys, so two parsed values compare by their text.
func canonical(_ value: Any?) -> String {
    guard let value else { return "missing" }
    let data = try? JSONSerialization.data(withJSONObject: [value], options: [.sortedKeys, .fragmentsAllowed])
    return data.map { String(decoding: $0, as: UTF8.self) } ?? "unserialisable"
}

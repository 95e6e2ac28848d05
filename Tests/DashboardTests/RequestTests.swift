@testable import Dashboard
import Testing

@Suite("dashboard query parameters")
struct RequestTests {
    @Test("a negative limit, a date that is not a date and an unknown parameter are refused with one line")
    func refusals() throws {
        let q = try QueryParameters([("limit", "-1"), ("from", "2024-02-30")], allowed: ["limit", "from"])
        #expect(throws: Refusal.self) { try q.int("limit", in: 1...1000, default: 10) }
        #expect(throws: Refusal.self) { try q.date("from") }
        #expect(throws: Refusal.self) { try QueryParameters([("nope", "1")], allowed: ["limit"]) }
        let ok = try QueryParameters([("limit", "5"), ("from", "2024-02-29")], allowed: ["limit", "from"])
        #expect(try ok.int("limit", in: 1...1000, default: 10) == 5)
        #expect(try ok.date("from") == "2024-02-29+00")
    }
}

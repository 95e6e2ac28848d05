// okx-sim's cursor faults: empty answers to the first requests of a cursor, and a page that is
// malformed the same way on every request.
import Foundation
import Testing
@testable import OKXSim
import OKX

@Suite struct CursorFaultTests {
    @Test func parsesAndRefuses() throws {
        let c = try FaultConfig.parse("empty_first=2,sticky_bad_high_low=3")
        #expect(c.emptyFirst == 2 && c.sticky == [.badHighLow: 3] && c.rates.isEmpty)
        for bad in ["empty_first=-1", "empty_first=1.5", "sticky_bad_high_low=0", "sticky_http5xx=1", "sticky_nope=1"] {
            #expect(throws: FaultConfig.ParseError.self, "\(bad)") { _ = try FaultConfig.parse(bad) }
        }
    }

    @Test func emptyFirstAnswersNothingThenThePage() async throws {
        let h = try await SimHarness.start(faults: try FaultConfig.parse("empty_first=2"))
        defer { Task { await h.stop() } }
        let q = "/api/v5/market/history-candles?instId=BTC-USDT&bar=1H&limit=20&after=\(testNow - 86_400_000)"
        for n in 1...2 {
            let e = try await h.envelope(q)
            #expect(e.status == 200 && e.code == "0" && e.data.count == 0, "request \(n) of the cursor is empty")
        }
        #expect(try await h.rows(q).count == 20, "the third request gets the page")
        #expect(try await h.rows(q).count == 20)
        let other = try await h.envelope(q.replacingOccurrences(of: "limit=20", with: "limit=10"))
        #expect(other.data.count == 0, "another cursor starts its own count")
    }

    @Test func stickyPageIsMalformedOnEveryRequestInTheSameRow() async throws {
        let h = try await SimHarness.start(faults: try FaultConfig.parse("sticky_bad_high_low=2"))
        defer { Task { await h.stop() } }
        let base = "/api/v5/market/history-candles?instId=BTC-USDT&bar=1H&limit=20&after="
        let first = base + String(testNow - 86_400_000), second = base + String(testNow - 2 * 86_400_000)
        func badRows(_ path: String) async throws -> [Int] {
            try await h.rows(path).enumerated().compactMap { i, r in
                (Double(r[2])! < Double(r[3])!) ? i : nil
            }
        }
        #expect(try await badRows(first).count == 0, "the first cursor asked is sound")
        let bad = try await badRows(second)
        #expect(bad == [10], "the second cursor has high < low in its middle row")
        for _ in 0..<3 { #expect(try await badRows(second) == bad, "on every request") }
        #expect(try await badRows(first).count == 0)
    }
}

@Suite struct ClosedConnectionFaultTests {
    @Test func closedMidAnswerIsARetryableConnectionFailure() async throws {
        let h = try await SimHarness.start()
        defer { Task { await h.stop() } }
        let url = URL(string: h.base + "/api/v5/market/candles?instId=BTC-USDT&limit=50&simFault=closed")!
        let transport = URLSessionTransport()
        do {
            let r = try await transport.get(url, timeoutMs: 10_000)
            Issue.record("expected a connection failure, got HTTP \(r.status) with \(r.body.count) bytes")
        } catch let e as HTTPTransportError {
            #expect(e.isRetryable, "\(e)")
        }
        let whole = try await transport.get(URL(string: h.base + "/api/v5/market/candles?instId=BTC-USDT&limit=50")!, timeoutMs: 10_000)
        #expect(whole.status == 200 && whole.body.count > 1000, "the server answers the next request")
        do {
            _ = try await transport.get(URL(string: h.base + "/api/v5/market/candles?instId=BTC-USDT&limit=50&simFault=truncated")!,
                                        timeoutMs: 10_000)
            Issue.record("expected a connection failure for a body whose JSON stops early")
        } catch let e as HTTPTransportError {
            #expect(e.isRetryable, "\(e)")
        }
    }
}

// A history page malformed the same way on every request: the good pages before it are stored,
// the page is asked again a few times, then the job fails for good naming row and field (issue 16,
// item 3b). A cut-off body is retried at the request, like a 5xx (item 3c).

import Foundation
@testable import OKX
import Postgres
import TestSupport
import Testing
@testable import Worker

@Suite("backfill bad pages")
struct BackfillBadPageTests {
    static let kinds: [(fault: String, field: String)] = [
        ("bad_high_low", "field h:"), ("nan_price", "field c:"), ("misaligned_ts", "field ts:"), ("short_row", "8 fields"),
    ]

    @Test("a page malformed the same way every time: the pages before it stored, then a permanent failure naming row and field",
          arguments: 0..<kinds.count)
    func stickyMalformedPage(_ index: Int) async throws {
        let (fault, field) = Self.kinds[index]
        // The third history page of the series is malformed on every request, in its middle row.
        let f = try await IngestFixture.make(faults: "sticky_\(fault)=3")
        defer { Task { await f.close() } }
        let from = SimTime.march1, to = SimTime.march1 + SimTime.dayMs     // 5 pages of 300
        let outcome = try await f.run("backfill", backfillPayload("BTC-USDT", "1m", from, to), attempts: 3)
        guard case .failure(let error) = outcome else { Issue.record("\(fault): expected a failure"); return }
        let message = "\(error)"
        #expect((error as? JobFailure)?.isRetryable == false, "\(fault): fails for good: \(message)")
        #expect(message.contains("row 150") && message.contains(field), "\(fault): names row and field: \(message)")
        let badCursor = to - 600 * SimTime.minuteMs
        let stored = try await f.stored("BTC-USDT", "1m", fromMs: badCursor, toMs: to)
        let expected = try await f.sim.candles(instId: "BTC-USDT", bar: "1m", fromMs: badCursor, toMs: to)
        #expect(stored.count == 600, "\(fault): the two good pages before it are stored")
        #expect(stored == expected)
        #expect(try await f.count("BTC-USDT", "1m") == 600, "\(fault): nothing of the bad page is stored")
        let asked = try await f.candleRequests().filter {
            ($0["endpoint"] as? String) == "history-candles" && (($0["after"] as? NSNumber)?.int64Value == badCursor)
        }.count
        #expect(asked == 4, "\(fault): the bad page is asked 4 times in one attempt, then never again")
    }

    @Test("a worker fails such a job at its first attempt, with the error in last_error")
    func workerFailsForGood() async throws {
        let f = try await IngestFixture.make(faults: "sticky_bad_high_low=2")
        defer { Task { await f.close() } }
        let from = SimTime.march1, to = SimTime.march1 + SimTime.dayMs
        let cli = Paths.executable("candlestack")
        _ = try await runProgram(cli, ["backfill", "--database-url", f.conninfo, "--inst", "BTC-USDT", "--bar", "1m",
                                       "--from", SimTime.iso(from), "--to", SimTime.iso(to)])
        let pid = try Shell.spawn(cli, ["worker", "--database-url", f.conninfo, "--okx-base-url", f.sim.baseURL.absoluteString,
                                        "--okx-rate-limit-scale", "10", "--rate-key", f.rateKey, "--kinds", "backfill",
                                        "--exit-when-idle", "--log-level", "error"])
        // Until the job ends or is tried a second time (a retry is the failure this test is about).
        var exited: Int32? = nil
        for _ in 0..<12_000 {
            exited = Shell.poll(pid)
            if exited != nil { break }
            let r = try await f.database.query("select attempts from queue.jobs where kind = 'backfill'")
            if try (r.first?.int("attempts") ?? 0) >= 2 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        if exited == nil { kill(pid, SIGTERM); _ = await waitForExit(pid) }
        #expect(exited == 0, "the worker ran the job to its end and exited")
        let job = try await f.database.query("select status, attempts, last_error from queue.jobs where kind = 'backfill'")
        let lastError = try job.first?.string("last_error") ?? ""
        #expect(try job.first?.string("status") == "failed", "\(lastError)")
        #expect(try job.first?.int("attempts") == 1)
        #expect(lastError.contains("row 150") && lastError.contains("field h:"), "\(lastError)")
        #expect(try await f.count("BTC-USDT", "1m") == 300, "the good first page is stored")
    }

    @Test("a cut-off body (truncated JSON, or the connection closed mid-answer) is asked again at the request: the backfill ends complete with no failed request",
          arguments: ["truncated", "closed"])
    func truncatedBodiesAreRetriedAtTheRequest(_ fault: String) async throws {
        let f = try await IngestFixture.make(seed: 5, faults: "\(fault)=0.5")
        defer { Task { await f.close() } }
        let from = SimTime.march1 - 3 * SimTime.dayMs, to = SimTime.march1     // 4,320 candles, 15 pages
        let outcome = try await f.run("backfill", backfillPayload("ETH-USDT", "1m", from, to))
        if case .failure(let error) = outcome { Issue.record("\(fault): the backfill failed: \(error)") }
        let stored = try await f.stored("ETH-USDT", "1m", fromMs: from, toMs: to)
        let expected = try await f.sim.candles(instId: "ETH-USDT", bar: "1m", fromMs: from, toMs: to)
        #expect(stored.count == 4_320)
        #expect(stored == expected)
        let counters = f.okx.stats.counters(.historyCandles)
        #expect(try await f.sim.counts("history-candles").faulted > 0, "\(fault): okx-sim cut bodies")
        #expect(counters.retries > 0, "\(fault): cut bodies were retried by the client")
        #expect(counters.failures == 0, "\(fault): no cut body reached the backfill as a failed request")
    }

    @Test func truncatedJSONIsToldFromInvalidJSON() {
        for cut in [#"{"code":"0","msg":"","data":[["1706637600000","43398.6","#, #"{"code":"0","da"#, #"{"code":"0","n":12"#,
                    #"{"a":[1.5e"#, #"{"a":tr"#, "[", #"{"a":"x\"#] {
            #expect(OKXRetryPolicy.isTruncatedJSON(Data(cut.utf8)), "\(cut)")
        }
        for whole in ["", #"{"code":"0","msg":"","data":[]}"#, #"{"code":"0","msg":"","data":[[oops, "1", }"#,
                      "<html><body>Bad Gateway</body></html>", #"{"a":[NaN"#, #"{"a":[1}"#, #"{"a":01"#, "12"] {
            #expect(!OKXRetryPolicy.isTruncatedJSON(Data(whole.utf8)), "\(whole)")
        }
        #expect(URLSessionTransport.cutShort(status: 200, body: Data("{}".utf8), expectedLength: 10) != nil,
                "fewer bytes than Content-Length")
        #expect(URLSessionTransport.cutShort(status: 200, body: Data("{}".utf8), expectedLength: 2) == nil)
        #expect(URLSessionTransport.cutShort(status: 503, body: Data("{".utf8), expectedLength: -1) == nil,
                "a 5xx is retried for its status")
    }
}

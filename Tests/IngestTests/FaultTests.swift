// Every okx-sim fault kind ends retried and successful, or failed with a clear error, and
// never with a bad row stored.

import Foundation
import OKX
import Postgres
import TestSupport
import Testing
@testable import Worker

@Suite("faults", .serialized)
struct FaultTests {
    static let kinds = ["rate_limit", "busy", "http5xx", "slow", "invalid_json", "truncated", "duplicate_rows",
                        "unordered_rows", "bad_high_low", "misaligned_ts", "negative_volume", "nan_price",
                        "long_number", "short_row"]

    @Test("a fault kind at 30% of requests never stores a bad row", arguments: kinds)
    func fault(kind: String) async throws {
        let f = try await IngestFixture.make(seed: 11, faults: "\(kind)=0.3,slow_ms=3000", requestTimeout: .seconds(1))
        defer { Task { await f.close() } }
        let from = SimTime.march1, to = SimTime.march1 + SimTime.dayMs     // 1,440 candles, 5 pages
        let outcome = try await f.run("backfill", backfillPayload("BTC-USDT", "1m", from, to), attempts: 5)
        let stored = try await f.stored("BTC-USDT", "1m", fromMs: from, toMs: to)
        let expected = try await f.sim.candles(instId: "BTC-USDT", bar: "1m", fromMs: from, toMs: to)
        let truth = Dictionary(uniqueKeysWithValues: expected.map { ($0[0], $0) })
        let bad = stored.filter { truth[$0[0]] != $0 }.count
        for row in stored { #expect(truth[row[0]] == row, "stored row \(row[0]) is okx-sim's") }
        let faulted = try await f.sim.counts("history-candles").faulted + (try await f.sim.counts("time").faulted)
        let ended: String
        switch outcome {
        case .success: ended = "succeeded"
        case .failure(let error): ended = "failed: \(error)"
        }
        print("okx fault \(kind) at 30%: backfill \(ended); okx-sim faulted \(faulted) requests; "
              + "\(stored.count) of \(expected.count) candles stored, \(bad) bad rows")
        switch outcome {
        case .success:
            #expect(stored == expected)
        case .failure(let error):
            let message = "\(error)"
            #expect(!message.isEmpty)
            #expect(message.contains("history-candles") || message.contains("time"), "the error names the cause: \(message)")
        }
        #expect(faulted > 0, "okx-sim injected \(kind)")
    }

    @Test("a page that is always malformed stores nothing and fails the job naming the cause")
    func alwaysMalformed() async throws {
        let f = try await IngestFixture.make(seed: 3, faults: "nan_price=1")
        defer { Task { await f.close() } }
        let from = SimTime.march1, to = SimTime.march1 + SimTime.dayMs
        let outcome = try await f.run("backfill", backfillPayload("BTC-USDT", "1m", from, to), attempts: 3)
        guard case .failure(let error) = outcome else { Issue.record("expected a failure"); return }
        #expect((error as? JobFailure)?.isRetryable == true, "OKX faults are transient: the queue retries")
        #expect("\(error)".contains("malformed"), "\(error)")
        #expect("\(error)".contains("history-candles BTC-USDT 1m"), "\(error)")
        #expect(try await f.count("BTC-USDT", "1m") == 0)
    }
}

// candlestack fetch, backfill and watchlist: inputs checked before anything runs, naming the flag.

import Foundation
import TestSupport
import Testing

@Suite("ingest CLI")
struct IngestCLITests {
    @Test("bad flags are refused naming the flag", arguments: [
        (["fetch", "--inst", "btc-usdt"], "--inst"),
        (["fetch", "--inst", "BTC-USDT", "--limit", "301"], "--limit"),
        (["fetch", "--inst", "BTC-USDT", "--okx-base-url", "ftp://x"], "--okx-base-url"),
        (["backfill", "--inst", "BTC-USDT", "--bar", "1x", "--from", "2024-01-01"], "--bar"),
        (["backfill", "--inst", "BTC-USDT", "--bar", "1m", "--from", "2024-02-01", "--to", "2024-01-01"], "--from"),
        (["watchlist", "add", "--inst", "BTC-USDT", "--bar", "1m", "--from", "soon"], "--from"),
    ])
    func refused(arguments: [String], flag: String) async throws {
        let out = try await runProgram(Paths.executable("candlestack"), arguments, check: false)
        #expect(out.status != 0)
        #expect(out.stderr.contains(flag) || out.stdout.contains(flag), "\(out.stderr)")
    }

    @Test("fetch prints okx-sim's newest candles as a table, newest first")
    func fetch() async throws {
        let sim = try await OKXSimProcess.start(seed: 5, from: "2024-01-01", nowMs: 1_710_074_096_000)
        defer { sim.stop() }
        let out = try await runProgram(Paths.executable("candlestack"),
                                ["fetch", "--inst", "BTC-USDT", "--bar", "1H", "--limit", "3", "--okx-base-url", sim.baseURL.absoluteString])
        let lines = out.stdout.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[0].contains("open") && lines[0].contains("confirm"))
        #expect(lines[2].contains("2024-03-10T12:00:00Z"))
        #expect(lines[4].contains("2024-03-10T10:00:00Z"))
    }
}

import Foundation
import Testing
import TestSupport

/// The bad-input matrix, CLI side: bad flags, dates, bars and instruments end with a non-zero exit
/// and one line on stderr that names the input.
@Suite("Reliability: bad input on the command line")
struct CLIBadInputTests {
    struct Case: Sendable {
        var args: [String]
        /// Text the one-line message must contain (the flag or the value it refuses).
        var names: String
    }

    static let cases: [Case] = [
        Case(args: ["backfill", "--inst", "btc usdt", "--bar", "1m", "--from", "2024-01-01"], names: "--inst"),
        Case(args: ["backfill", "--inst", "BTC-USDT", "--bar", "7m", "--from", "2024-01-01"], names: "--bar"),
        Case(args: ["backfill", "--inst", "BTC-USDT", "--bar", "1m", "--from", "early 2024"], names: "--from"),
        Case(args: ["backfill", "--inst", "BTC-USDT", "--bar", "1m", "--from", "2024-03-01", "--to", "2024-02-01"], names: "--to"),
        Case(args: ["backfill", "--bar", "1m", "--from", "2024-01-01"], names: "--inst"),
        Case(args: ["watchlist", "add", "--inst", "BTC-USDT", "--bar", "1h"], names: "--bar"),
        Case(args: ["watchlist", "add", "--inst", "btc", "--bar", "1m"], names: "--inst"),
        Case(args: ["backtest", "--inst", "BTC-USDT", "--from", "2024-01-01", "--to", "2024-02-01", "--engine", "magic"], names: "--engine"),
        Case(args: ["backtest", "--inst", "BTC-USDT", "--from", "2024-01-01", "--to", "2024-02-01", "--engine", "sma_cross", "--param", "fast"], names: "--param"),
        Case(args: ["backtest", "--inst", "BTC-USDT", "--from", "2024-02-01", "--to", "2024-01-01", "--engine", "sma_cross"], names: "must be before \"to\""),
        Case(args: ["backtest", "--inst", "BTC-USDT", "--from", "2024-01-01", "--to", "2024-02-01", "--strategy", "s", "--fee-rate", "-1"], names: "--fee-rate"),
        Case(args: ["fetch", "--inst", "BTC-USDT", "--limit", "0"], names: "--limit"),
        Case(args: ["fetch", "--inst", "BTC-USDT", "--bar", "2Hutc"], names: "--bar"),
        Case(args: ["fetch", "--inst", "BTC-USDT", "--okx-base-url", "ftp://example"], names: "--okx-base-url"),
        Case(args: ["worker", "--concurrency", "0"], names: "--concurrency"),
        Case(args: ["worker", "--kinds", "noop,nope"], names: "nope"),
        Case(args: ["worker", "--log-level", "loud"], names: "--log-level"),
        Case(args: ["worker", "--metrics-port", "70000"], names: "--metrics-port"),
        Case(args: ["enqueue", "noop", "--payload", "{not json"], names: "--payload"),
        Case(args: ["enqueue", "noop", "--priority", "5000"], names: "--priority"),
        Case(args: ["health", "--min-workers", "-1"], names: "--min-workers"),
        Case(args: ["migrate", "--schema-dir", "/nonexistent/schema"], names: "/nonexistent/schema"),
        Case(args: ["cancel", "not-a-number"], names: "not-a-number"),
        Case(args: ["report", "1"], names: "--out"),
        Case(args: ["no-such-command"], names: "no-such-command"),
    ]

    @Test func everyBadInputExitsNonZeroWithOneLineNamingIt() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        var wrong: [String] = []
        for c in Self.cases {
            let needsDatabase = ["backfill", "watchlist", "backtest", "enqueue", "health", "migrate", "cancel", "report"].contains(c.args[0])
            let args = c.args + (needsDatabase ? ["--database-url", conninfo] : [])
            let out = try await Shell.run(Paths.executable("candlestack"), args, check: false)
            let lines = out.stderr.split(separator: "\n", omittingEmptySubsequences: true)
            if out.status == 0 || lines.count != 1 || !out.stderr.contains(c.names) {
                wrong.append("candlestack \(c.args.joined(separator: " ")): exit \(out.status), stderr: \(out.stderr)")
            }
        }
        print("bad input: \(Self.cases.count) bad command lines, \(Self.cases.count - wrong.count) ended non-zero with one line naming the input, \(wrong.count) did not")
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
    }
}

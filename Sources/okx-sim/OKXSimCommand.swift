// okx-sim: an OKX REST v5-compatible market-data simulator (tests, demos, benchmarks).
import ArgumentParser
import Foundation
import OKXSim

#if canImport(Glibc)
import Glibc
#endif

@main
struct OKXSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "okx-sim",
        abstract: "Serve OKX REST v5 public market data from a deterministic synthetic market.",
        discussion: """
        Prints `okx-sim listening on http://HOST:PORT` when ready; runs until SIGTERM/SIGINT.
        Endpoints: /api/v5/public/time, /api/v5/public/instruments, /api/v5/market/tickers,
        /api/v5/market/ticker, /api/v5/market/candles, /api/v5/market/history-candles;
        GET /sim/stats, POST /sim/stats/reset, GET|POST /sim/faults, GET /sim/candles, GET /sim/info.
        Fault kinds: \(FaultKind.allCases.map(\.rawValue).joined(separator: ", ")); slow_ms sets the slow delay.
        Cursor faults: empty_first=N (the first N requests of every candle cursor answer no rows),
        sticky_<data kind>=N (the N-th cursor of each endpoint and series has that fault on every request).
        """)

    @Option(help: "Port to listen on (0: pick a free port and print it).")
    var port: UInt16

    @Option(help: "IPv4 address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "Seed of the synthetic market and of the fault draws.")
    var seed: UInt64 = 1

    @Option(help: "Start of the history: YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS]Z or Unix ms (default: 400 days before now, 00:00 UTC).")
    var from: String?

    @Option(help: "Faults: kind=rate,kind=rate[,slow_ms=N][,empty_first=N][,sticky_<data kind>=N] (rates are probabilities per request).")
    var faults: String = ""

    @Option(help: "Multiplies OKX's rate limits; 0 disables limiting.")
    var rateLimitScale: Double = 1

    @Option(help: "Freeze the clock at this Unix ms (deterministic runs).")
    var now: Int64?

    @Option(help: "Add N synthetic spot instruments SIM0001-USDT ... SIMnnnn-USDT (0-9999; scale benchmarks).")
    var extraSpot: Int = 0

    mutating func run() async throws {
        var config = SimConfig(host: host, port: port, seed: seed, rateLimitScale: rateLimitScale, nowMs: now)
        guard (0...9_999).contains(extraSpot) else {
            throw ValidationError("--extra-spot: expected 0 to 9999, got \(extraSpot)")
        }
        config.extraSpot = extraSpot
        if let from {
            guard let ms = parseSimDate(from) else { throw ValidationError("--from: cannot read \(from)") }
            config.fromMs = ms
        }
        do {
            config.faults = try FaultConfig.parse(faults)
        } catch {
            throw ValidationError("--faults: \(error)")
        }
        let sim = OKXSimulator(config: config)
        let bound = try await sim.start()
        print("okx-sim listening on http://\(host):\(bound)")
        fflush(nil)

        // SIGTERM/SIGINT end the process at once with status 0 (nothing to flush or save).
        signal(SIGTERM) { _ in _exit(0) }
        signal(SIGINT) { _ in _exit(0) }
        try await sim.wait()
    }
}


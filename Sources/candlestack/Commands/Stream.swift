import ArgumentParser
import Foundation
import Logging
import OKXStream
import Postgres
import Worker

/// `candlestack stream`: live candles over OKX's WebSocket for the watchlist series this process leases.
struct StreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream",
        abstract: "Stream live candles of the watchlist over OKX's WebSocket into PostgreSQL; SIGTERM stops it cleanly.",
        discussion: """
        Each enabled watchlist series is held by one stream process at a time (market.stream_leases); \
        run several processes to share the series. Forming candles are stored confirmed = false and \
        overwritten; after each (re)connect the missed bars are queued as repair_gaps jobs for the \
        workers (REST). Logs are JSON lines on stderr. See docs/streaming.md.
        """
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var log: LogOptions
    @OptionGroup var okx: OKXOptions

    @Option(name: .customLong("okx-ws-url"),
            help: "OKX WebSocket base URL (default: $OKX_WS_URL, else wss://ws.okx.com:8443); okx-sim's ws://127.0.0.1:PORT in tests.")
    var okxWSURL: String?

    @Option(name: .customLong("max-series"), help: "Most series this process streams.")
    var maxSeries: Int = 10_000

    @Option(name: .customLong("lease-seconds"), help: "Lease on each series; another process takes it this long after this one dies.")
    var leaseSeconds: Int = 15

    @Option(name: .customLong("batch-ms"), help: "Pushes are gathered this long before one write.")
    var batchMs: Int = 5

    @Option(name: .customLong("ping-seconds"), help: "Send ping after this much silence (OKX drops a connection after 30 s).")
    var pingSeconds: Double = 20

    @Option(name: .customLong("metrics-port"), help: "Serve Prometheus metrics on http://METRICS-HOST:PORT/metrics.")
    var metricsPort: Int?

    @Option(name: .customLong("metrics-host"), help: "Address the metrics endpoint listens on.")
    var metricsHost: String = "127.0.0.1"

    @Option(name: .customLong("stream-id"), help: "Name in market.stream_holders (default host:pid:random).")
    var streamID: String?

    func validate() throws {
        if let okxWSURL {
            guard let url = URL(string: okxWSURL), let scheme = url.scheme?.lowercased(), scheme == "ws" || scheme == "wss",
                  url.host != nil else {
                throw ValidationError("--okx-ws-url must be a ws(s) URL such as wss://ws.okx.com:8443; got \(okxWSURL)")
            }
        }
        guard (1...1_000_000).contains(maxSeries) else { throw ValidationError("--max-series must be 1...1000000; got \(maxSeries)") }
        guard (2...3600).contains(leaseSeconds) else { throw ValidationError("--lease-seconds must be 2...3600; got \(leaseSeconds)") }
        guard (1...1000).contains(batchMs) else { throw ValidationError("--batch-ms must be 1...1000; got \(batchMs)") }
        guard pingSeconds >= 0.1, pingSeconds <= 29 else { throw ValidationError("--ping-seconds must be 0.1...29; got \(pingSeconds)") }
        if let metricsPort, !(1...65535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be 1...65535; got \(metricsPort)")
        }
    }

    /// --okx-ws-url, else $OKX_WS_URL, else wss://ws.okx.com:8443.
    var resolvedWSURL: String {
        if let okxWSURL { return okxWSURL }
        if let env = ProcessInfo.processInfo.environment["OKX_WS_URL"], !env.isEmpty { return env }
        return "wss://ws.okx.com:8443"
    }

    func run() async throws {
        let logger = log.makeLogger("candlestack.stream")
        let holder = streamID ?? "\(ProcessInfo.processInfo.hostName):\(getpid()):\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        var config = StreamConfiguration(holder: holder, wsURL: resolvedWSURL)
        config.maxSeries = maxSeries
        config.leaseSeconds = leaseSeconds
        config.renewInterval = .milliseconds(leaseSeconds * 1000 / 3)
        config.batchWindow = .milliseconds(batchMs)
        config.pingAfterMs = Int64(pingSeconds * 1000)
        let db = Database(conninfo: database.conninfo, applicationName: "candlestack stream", maxConnections: 6)
        let runner = StreamRunner(configuration: config, database: db, logger: logger,
                                  connectGate: StreamRunner.databaseConnectGate(database: db, rateKey: okx.resolvedRateKey))
        let signals = SignalWatcher(signals: [SIGTERM, SIGINT]) { _ in runner.requestShutdown() }
        defer { signals.cancel() }
        var metrics: MetricsServer?
        if let metricsPort {
            do {
                metrics = try await MetricsServer(host: metricsHost, port: UInt16(metricsPort)) {
                    let c = runner.counters.value
                    return """
                    # TYPE candlestack_stream_pushes_total counter
                    candlestack_stream_pushes_total \(c.pushes)
                    # TYPE candlestack_stream_candles_written_total counter
                    candlestack_stream_candles_written_total \(c.candlesWritten)
                    # TYPE candlestack_stream_bad_pushes_total counter
                    candlestack_stream_bad_pushes_total \(c.badPushes)
                    # TYPE candlestack_stream_connects_total counter
                    candlestack_stream_connects_total \(c.connects)
                    # TYPE candlestack_stream_gap_fills_total counter
                    candlestack_stream_gap_fills_total \(c.gapFillsQueued)
                    # TYPE candlestack_stream_held_series gauge
                    candlestack_stream_held_series \(c.heldSeries)
                    # TYPE candlestack_stream_push_to_commit_ms summary
                    candlestack_stream_push_to_commit_ms{quantile="0.5"} \(c.latencyQuantile(0.5) ?? 0)
                    candlestack_stream_push_to_commit_ms{quantile="0.99"} \(c.latencyQuantile(0.99) ?? 0)
                    candlestack_stream_push_to_commit_ms_count \(c.latenciesMs.count)

                    """
                }
            } catch {
                throw CLIError("--metrics-port \(metricsPort): cannot listen on \(metricsHost):\(metricsPort): \(error)")
            }
        }
        defer { if let metrics { Task { await metrics.stop() } } }
        do {
            try await runner.run()
        } catch let error as PostgresError {
            throw CLIError(error.description)
        }
    }
}

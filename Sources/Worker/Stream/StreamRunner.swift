// The database side of `candlestack stream`: leases of watchlist series (sql/0330), the OKX
// stream client's subscriptions following them, pushes batched into the candle write path
// (CandleStore: staging COPY + market.upsert_candles), NOTIFY market_candles (sql/0331), and
// the REST fill of what a disconnect missed (sql/0332).
import CivilTime
import Foundation
import Guarded
import Logging
import OKX
import OKXStream
import Postgres

public struct StreamConfiguration: Sendable {
    /// The process's name in market.stream_holders (unique per process).
    public var holder: String
    public var wsURL: String
    /// Most series this process streams.
    public var maxSeries = 10_000
    public var leaseSeconds = 15
    /// How often leases are renewed (and the watchlist re-read without a notification).
    public var renewInterval: Duration = .seconds(5)
    /// Pushes are gathered this long before one write.
    public var batchWindow: Duration = .milliseconds(5)
    /// NOTIFY market_candles: forming updates of one series at most this often.
    public var notifyIntervalMs = 1000
    public var pingAfterMs: Int64 = 20_000
    public var pongTimeoutMs: Int64 = 5_000

    public init(holder: String, wsURL: String) { self.holder = holder; self.wsURL = wsURL }
}

/// Counters for logs and /metrics.
public struct StreamCounters: Sendable {
    public var pushes = 0
    public var candlesWritten = 0
    public var batches = 0
    public var badPushes = 0
    public var connects = 0
    public var gapFillsQueued = 0
    public var heldSeries = 0
    /// Push received -> its batch committed, in ms: the last 10,000 (for p50/p99 in /metrics and the bench).
    public var latenciesMs: [Double] = []

    /// The q-quantile (0...1) of `latenciesMs`, nil when empty.
    public func latencyQuantile(_ q: Double) -> Double? {
        if latenciesMs.isEmpty { return nil }
        let sorted = latenciesMs.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
    }
}

public final class StreamRunner: Sendable {
    let config: StreamConfiguration
    let database: Database
    let logger: Logger
    let client: OKXStreamClient
    private let held = Guarded(Set<StreamArg>())
    private let pending = Guarded([StreamArg: [Int64: Candle]]())
    /// Receive times (monotonic ns) of the pushes in `pending`.
    private let receivedAt = Guarded([UInt64]())
    private let shutdown = Guarded(false)
    public let counters = Guarded(StreamCounters())
    private let partitions = Guarded<ClosedRange<Int64>?>(nil)
    /// Per series: open time of the newest bar pushed and whether its confirmed candle arrived.
    private let lastBar = Guarded([StreamArg: (ts: Int64, confirmed: Bool)]())
    /// Series whose previous bar closed without a (valid) confirmed push: REST fills it before the next write.
    private let missedClose = Guarded([StreamArg: Int64]())

    /// `connectGate` waits for the right to open a connection (OKX: 3 per second per IP).
    public init(configuration: StreamConfiguration, database: Database, logger: Logger,
                connectGate: @escaping @Sendable () async throws -> Void) {
        self.config = configuration
        self.database = database
        self.logger = logger
        var s = StreamClientSettings(url: configuration.wsURL)
        s.pingAfterMs = configuration.pingAfterMs
        s.pongTimeoutMs = configuration.pongTimeoutMs
        client = OKXStreamClient(settings: s, logger: logger, connectGate: connectGate)
    }

    /// A gate on the shared per-IP budget of market.okx_rate_acquire (the REST limiter's rate key).
    /// The window is widened by `marginMs` (500): the handshake that follows a permit can take that
    /// long on a loaded host, and OKX counts connections when they arrive, not when they were
    /// allowed (with 100 ms, six processes on a busy host had a fourth connection refused).
    public static func databaseConnectGate(database: Database, rateKey: String, perSecond: Int = 3,
                                           marginMs: Int = 500) -> @Sendable () async throws -> Void {
        {
            while true {
                try Task.checkCancellation()
                let r = try await database.query("select market.okx_rate_acquire($1, $2, $3, $4, $5) as wait_ms",
                                                 [rateKey, "ws-connect", perSecond, 1000, marginMs])
                let wait = try r.first?.int("wait_ms") ?? 0
                if wait <= 0 { return }
                try await Task.sleep(for: .milliseconds(wait))
            }
        }
    }

    public func requestShutdown() {
        shutdown.set(true)
        client.stop()
    }

    /// Runs until `requestShutdown`; releases the leases on the way out.
    public func run() async throws {
        logger.info("stream starting", metadata: ["stream.holder": "\(config.holder)", "okx.ws_url": "\(config.wsURL)"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.client.run() }
            group.addTask { try await self.followLeases() }
            group.addTask { await self.consumeEvents() }
            group.addTask { try await self.writeBatches() }
            while let _ = try await group.next() {
                if shutdown.value { break }
            }
            requestShutdown()
            group.cancelAll()
        }
        try? await flush()
        let r = try await database.query("select market.stream_lease_release($1) as n", [config.holder])
        let released = try r.first?.int("n") ?? 0
        logger.info("stream stopped", metadata: ["stream.released": "\(released)"])
    }

    // MARK: - Leases and subscriptions

    private func followLeases() async throws {
        let listener = try await AsyncConnection.connect(database.conninfo, applicationName: "candlestack stream listen")
        defer { Task { await listener.close() } }
        try await listener.listen(["market_watchlist"]) { notifications in
            // A task that only wakes the loop; the loop also runs every renewInterval.
            let wake = Guarded(false)
            let waiter = Task { for try await _ in notifications { wake.set(true) } }
            defer { waiter.cancel() }
            while !shutdown.value {
                try await retake()
                let until = ContinuousClock.now + config.renewInterval
                while ContinuousClock.now < until && !wake.value && !shutdown.value {
                    try await Task.sleep(for: .milliseconds(20))
                }
                wake.set(false)
            }
        }
    }

    private func retake() async throws {
        let r = try await database.query("select inst_id, bar from market.stream_lease_take($1, $2, $3)",
                                         [config.holder, config.maxSeries, config.leaseSeconds])
        var now = Set<StreamArg>()
        for row in try r.rows() {
            guard let inst = try row.string("inst_id"), let barName = try row.string("bar"), let bar = Bar(rawValue: barName) else { continue }
            now.insert(.candles(instId: inst, bar: bar))
        }
        let before = held.value
        let added = now.subtracting(before), removed = before.subtracting(now)
        held.set(now)
        counters.withLock { $0.heldSeries = now.count }
        if !removed.isEmpty {
            await client.unsubscribe(Array(removed))
            _ = pending.withLock { p in for a in removed { p.removeValue(forKey: a) } }
        }
        if !added.isEmpty { await client.subscribe(Array(added)) }
        if !added.isEmpty || !removed.isEmpty {
            logger.info("stream leases changed", metadata: ["stream.held": "\(now.count)", "stream.taken": "\(added.count)",
                                                            "stream.released": "\(removed.count)"])
        }
    }

    // MARK: - Events

    private func consumeEvents() async {
        for await event in client.events {
            switch event {
            case .connected(let n):
                counters.withLock { $0.connects += 1 }
                logger.info("stream connected", metadata: ["stream.connection": "\(n)"])
            case let .disconnected(reason, retry):
                logger.warning("stream disconnected", metadata: ["reason": "\(reason)", "retry_in_ms": "\(retry)"])
            case .message(let m):
                handle(m)
            }
        }
    }

    private func handle(_ m: StreamMessage) {
        switch m {
        case .candles(let arg, _, let rows):
            guard held.value.contains(arg) else { return }
            counters.withLock { $0.pushes += 1 }
            if let newest = rows.map(\.ts).max() {
                let confirmedNewest = rows.contains { $0.ts == newest && $0.confirmed }
                lastBar.withLock { m in
                    if let last = m[arg], newest > last.ts, !last.confirmed, !rows.contains(where: { $0.ts == last.ts && $0.confirmed }) {
                        // A new bar opened but the last one's confirmed candle never came (refused or missed).
                        _ = missedClose.withLock { $0[arg] = newest }
                    }
                    if let last = m[arg], newest < last.ts { return }
                    if let last = m[arg], newest == last.ts { m[arg] = (newest, last.confirmed || confirmedNewest) } else { m[arg] = (newest, confirmedNewest) }
                }
            }
            let t = DispatchTime.now().uptimeNanoseconds
            receivedAt.withLock { $0.append(t) }
            pending.withLock { p in
                var series = p[arg] ?? [:]
                for c in rows {
                    if let old = series[c.ts], old.confirmed, !c.confirmed { continue }
                    series[c.ts] = c
                }
                p[arg] = series
            }
        case .subscribed(let arg):
            // From now on the stream brings every bar of the series: fill what came before by REST.
            let at = Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
            Task { await self.queueGapFill(arg, connectedAtMs: at) }
        case let .badPush(arg, field, reason):
            counters.withLock { $0.badPushes += 1 }
            logger.warning("stream push refused", metadata: ["okx.arg": "\(arg?.description ?? "-")",
                                                             "okx.field": "\(field ?? "-")", "reason": "\(reason)"])
        case let .error(code, msg):
            logger.warning("okx stream error event", metadata: ["okx.code": "\(code)", "okx.msg": "\(msg)"])
        case let .notice(code, msg):
            logger.notice("okx stream notice", metadata: ["okx.code": "\(code)", "okx.msg": "\(msg)"])
        case .pong, .unsubscribed, .other:
            break
        }
    }

    private func queueGapFill(_ arg: StreamArg, connectedAtMs: Int64) async {
        guard let bar = arg.candleBar else { return }
        do {
            let r = try await database.query("select market.queue_stream_gap_fill($1, $2, $3::timestamptz) as job_id",
                                             [arg.instId, bar.rawValue, UTCTime.sqlText(ms: connectedAtMs)])
            if let id = try r.first?.int64("job_id") {
                counters.withLock { $0.gapFillsQueued += 1 }
                logger.info("stream gap fill queued", metadata: ["okx.arg": "\(arg)", "queue.job_id": "\(id)"])
            }
        } catch {
            logger.error("stream gap fill failed", metadata: ["okx.arg": "\(arg)", "error": "\(error)"])
        }
    }

    // MARK: - Writes

    private func writeBatches() async throws {
        while !shutdown.value {
            try await Task.sleep(for: config.batchWindow)
            do { try await flush() } catch {
                logger.error("stream write failed", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .milliseconds(200))
            }
        }
    }

    /// Writes what has gathered: one transaction, then the notifications.
    func flush() async throws {
        let missed = missedClose.withLock { m -> [StreamArg: Int64] in let b = m; m.removeAll(); return b }
        for (arg, newBarTs) in missed { await queueGapFill(arg, connectedAtMs: newBarTs) }
        let batch = pending.withLock { p -> [StreamArg: [Int64: Candle]] in let b = p; p.removeAll(keepingCapacity: true); return b }
        let received = receivedAt.withLock { r -> [UInt64] in let b = r; r.removeAll(keepingCapacity: true); return b }
        if batch.isEmpty { return }
        var series: [CandleStore.SeriesCandles] = []
        var lo = Int64.max, hi = Int64.min
        for (arg, byTs) in batch {
            guard let bar = arg.candleBar else { continue }
            let rows = byTs.values.sorted { $0.ts < $1.ts }
            lo = min(lo, rows.first!.ts); hi = max(hi, rows.last!.ts)
            series.append(.init(instId: arg.instId, bar: bar, candles: rows))
        }
        if series.isEmpty { return }
        if let known = partitions.value, known.contains(lo), known.contains(hi) {} else {
            let from = lo - 40 * Bar.dayMs, to = hi + 40 * Bar.dayMs
            try await CandleStore.ensurePartitions(fromMs: from, toMs: to, database: database)
            partitions.set(from...to)
        }
        do {
            _ = try await CandleStore.write(series, database: database)
        } catch {
            // Keep what failed for the next batch unless newer data replaced it.
            pending.withLock { p in
                for (arg, byTs) in batch {
                    var cur = p[arg] ?? [:]
                    for (ts, c) in byTs where cur[ts] == nil { cur[ts] = c }
                    p[arg] = cur
                }
            }
            throw error
        }
        let committed = DispatchTime.now().uptimeNanoseconds
        counters.withLock {
            $0.batches += 1; $0.candlesWritten += series.reduce(0) { $0 + $1.candles.count }
            $0.latenciesMs.append(contentsOf: received.map { Double(committed &- $0) / 1e6 })
            if $0.latenciesMs.count > 10_000 { $0.latenciesMs.removeFirst($0.latenciesMs.count - 10_000) }
        }
        // The newest candle of each series, announced (throttled per series in SQL).
        var insts: [String] = [], bars: [String] = [], ts: [String] = [], confirmed: [String] = []
        for s in series {
            guard let c = s.candles.last else { continue }
            insts.append(s.instId); bars.append(s.bar.rawValue); ts.append(UTCTime.sqlText(ms: c.ts))
            confirmed.append(c.confirmed ? "t" : "f")
        }
        _ = try await database.query(
            "select market.notify_candles($1::text[], $2::text[], $3::timestamptz[], $4::boolean[], $5)",
            [Self.textArray(insts), Self.textArray(bars), Self.textArray(ts), Self.textArray(confirmed), config.notifyIntervalMs])
    }

    /// A PostgreSQL array literal of plain tokens (ids, bar names, timestamps, t/f), every element quoted.
    static func textArray(_ items: [String]) -> String {
        "{" + items.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }
}

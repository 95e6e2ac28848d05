// The OKX stream client: one WebSocket connection at a time to the business socket, kept alive
// with `ping` after silence, re-opened with backoff when it drops, its subscriptions re-sent in
// batches under 64 KB. It delivers decoded messages and connection events; it knows no database.
import Foundation
import Guarded
import Logging
import NIOSSL
import OKX
import WSClient

/// What the client reports to its owner.
public enum StreamEvent: Sendable {
    /// A connection is open and its subscriptions were sent; `number` counts connections (1 = first).
    case connected(number: Int)
    /// The connection ended (`reason`); the client reconnects after `retryInMs`.
    case disconnected(reason: String, retryInMs: Int64)
    case message(StreamMessage)
}

public struct StreamClientSettings: Sendable {
    /// Base URL, e.g. `wss://ws.okx.com:8443` or okx-sim's `ws://127.0.0.1:PORT`; `/ws/v5/business` is appended
    /// unless the URL already has a path.
    public var url: String
    /// Send `ping` after this much silence (OKX: the server drops a connection after 30 s; clients ping at ~20 s).
    public var pingAfterMs: Int64 = 20_000
    /// Reconnect when nothing (no `pong`) arrives this long after a `ping`.
    public var pongTimeoutMs: Int64 = 5_000
    /// Reconnect backoff: first delay, doubling up to the cap, with jitter.
    public var backoffFirstMs: Int64 = 250
    public var backoffCapMs: Int64 = 10_000
    /// OKX: 480 subscribe/unsubscribe requests per hour per connection; over it the client reconnects.
    public var requestsPerHour = 480
    public init(url: String) { self.url = url }

    /// The business socket URL of `url`.
    public var businessURL: String {
        let trimmed = url.hasSuffix("/") ? String(url.dropLast()) : url
        if let r = trimmed.range(of: "://"), trimmed[r.upperBound...].contains("/") { return trimmed }
        return trimmed + "/ws/v5/business"
    }
}

public final class OKXStreamClient: Sendable {
    public let settings: StreamClientSettings
    private let logger: Logger
    /// Waits for the right to open a connection (OKX: 3 per second per IP); the owner supplies it.
    private let connectGate: @Sendable () async throws -> Void
    private struct State: Sendable {
        var wanted: Set<StreamArg> = []
        var writer: WebSocketOutboundWriter?
        var lastReceivedMs: Int64 = 0
        var connections = 0
        /// Subscribe/unsubscribe requests sent on the current connection (Unix ms), for OKX's 480 per hour.
        var requestTimes: [Int64] = []
    }

    private let state = Guarded(State())
    private let stopped = Guarded(false)
    public let events: AsyncStream<StreamEvent>
    private let sink: AsyncStream<StreamEvent>.Continuation

    public init(settings: StreamClientSettings, logger: Logger,
                connectGate: @escaping @Sendable () async throws -> Void = {}) {
        self.settings = settings
        self.logger = logger
        self.connectGate = connectGate
        (events, sink) = AsyncStream<StreamEvent>.makeStream(bufferingPolicy: .unbounded)
    }

    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Adds subscriptions (sent now when connected, and after every reconnect).
    public func subscribe(_ args: [StreamArg]) async {
        let (new, writer) = state.withLock { s -> ([StreamArg], WebSocketOutboundWriter?) in
            let n = args.filter { !s.wanted.contains($0) }
            s.wanted.formUnion(n)
            return (n, s.writer)
        }
        if let writer, !new.isEmpty { await send(StreamFrames.requests(op: "subscribe", args: new), writer) }
    }

    public func unsubscribe(_ args: [StreamArg]) async {
        let (gone, writer) = state.withLock { s -> ([StreamArg], WebSocketOutboundWriter?) in
            let g = args.filter { s.wanted.contains($0) }
            s.wanted.subtract(g)
            return (g, s.writer)
        }
        if let writer, !gone.isEmpty { await send(StreamFrames.requests(op: "unsubscribe", args: gone), writer) }
    }

    public var subscriptions: Set<StreamArg> { state.value.wanted }

    private func send(_ frames: [String], _ writer: WebSocketOutboundWriter) async {
        let now = Self.nowMs()
        let allowed = state.withLock { s -> Bool in
            s.requestTimes.removeAll { now - $0 >= 3_600_000 }
            guard s.requestTimes.count + frames.count <= settings.requestsPerHour else { return false }
            s.requestTimes.append(contentsOf: Array(repeating: now, count: frames.count))
            return true
        }
        guard allowed else {
            // Over OKX's hourly budget on this connection: a new connection starts a new budget and
            // re-sends every subscription in batched requests.
            logger.notice("stream subscribe budget of this connection spent; reconnecting")
            try? await writer.close(.normalClosure, reason: "subscribe budget")
            return
        }
        for f in frames {
            do { try await writer.writeTextMessage(f) } catch {
                logger.warning("stream send failed", metadata: ["error": "\(error)"])
                return
            }
        }
    }

    /// Stops after the current connection; `run` returns.
    public func stop() { stopped.set(true); sink.finish() }

    /// Connects, and reconnects until `stop` or cancellation.
    public func run() async {
        var failures = 0
        while !stopped.value && !Task.isCancelled {
            var reason = "closed"
            do {
                try await connectGate()
                let opened = Guarded(false)
                let close = try await WebSocketClient.connect(
                    url: settings.businessURL,
                    configuration: .init(maxFrameSize: 1 << 22, validateUTF8: true),
                    tlsConfiguration: settings.businessURL.hasPrefix("wss") ? TLSConfiguration.makeClientConfiguration() : nil,
                    logger: logger
                ) { inbound, outbound, _ in
                    opened.set(true)
                    try await self.serve(inbound, outbound)
                }
                if let close { reason = "server closed (\(close.closeCode))" }
                if opened.value { failures = 0 }
            } catch is CancellationError {
                break
            } catch {
                reason = "\(error)"
            }
            state.withLock { $0.writer = nil }
            if stopped.value || Task.isCancelled { break }
            failures += 1
            let base = min(settings.backoffCapMs, settings.backoffFirstMs << Int64(min(failures - 1, 16)))
            let delay = base / 2 + Int64.random(in: 0...max(1, base / 2))
            sink.yield(.disconnected(reason: reason, retryInMs: delay))
            logger.warning("stream disconnected", metadata: ["reason": "\(reason)", "retry_in_ms": "\(delay)"])
            try? await Task.sleep(nanoseconds: UInt64(delay) * 1_000_000)
        }
    }

    private struct Stalled: Error, CustomStringConvertible {
        let ms: Int64
        var description: String { "no pong within \(ms) ms of a ping" }
    }

    private func serve(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter) async throws {
        let (number, wanted) = state.withLock { s -> (Int, [StreamArg]) in
            s.writer = outbound; s.lastReceivedMs = Self.nowMs(); s.connections += 1; s.requestTimes = []
            return (s.connections, Array(s.wanted))
        }
        await send(StreamFrames.requests(op: "subscribe", args: wanted), outbound)
        sink.yield(.connected(number: number))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await message in inbound.messages(maxSize: 1 << 22) {
                    guard case let .text(text) = message else { continue }
                    self.state.withLock { $0.lastReceivedMs = Self.nowMs() }
                    self.sink.yield(.message(StreamFrames.decode(text)))
                }
            }
            group.addTask {
                // Keepalive: `ping` after pingAfterMs of silence; no answer within pongTimeoutMs: reconnect.
                var pingSentAt: Int64? = nil
                while !Task.isCancelled {
                    try await Task.sleep(nanoseconds: 250_000_000)
                    let now = Self.nowMs(), last = self.state.value.lastReceivedMs
                    if let sent = pingSentAt {
                        if last >= sent { pingSentAt = nil } else if now - sent >= self.settings.pongTimeoutMs {
                            throw Stalled(ms: self.settings.pongTimeoutMs)
                        }
                    } else if now - last >= self.settings.pingAfterMs {
                        try await outbound.writeTextMessage("ping")
                        pingSentAt = now
                    }
                    if self.stopped.value { return }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}

// okx-sim's WebSocket front: /ws/v5/business (candle channels) and /ws/v5/public (candle
// channels refused with 64001, as OKX does), fed by the same Market as the REST endpoints.
// Faults for one connection come from the upgrade URL's query (`simFault=`, `simAfterMs=`);
// POST /sim/ws/drop drops every open connection without a close frame.
import FlyingFox
import Foundation
import enum OKX.Bar

/// A fault of one stream connection (`?simFault=` on the upgrade URL).
public enum StreamFault: String, Sendable, CaseIterable {
    case drop                     // after simAfterMs: the TCP connection closes without a close frame
    case stall                    // after simAfterMs: nothing is sent any more (no data, no pong)
    case notice                   // after simAfterMs: a 64008 notice, then a close frame
    case subscribeError = "subscribe_error"  // every subscribe answered with error 60012
    case duplicate                // every push sent twice
    case unordered                // each confirmed push is followed by the previous bar's confirmed candle again
    case badPush = "bad_push"     // every third push has high below low
}

/// The open stream connections of one simulator and the per-IP connection rate (3 per second).
final class StreamHub: @unchecked Sendable {
    private let lock = NSLock()
    private var connections: [Int: StreamConnection] = [:]
    private var nextId = 1
    private var recentConnects: [String: [Double]] = [:]
    /// Connections accepted and refused, for /sim/stats-like checks in tests.
    private(set) var accepted = 0
    private(set) var refused = 0

    /// Counts a new connection from `ip`; false when it is the fourth within one second.
    func admit(ip: String, limit: Int) -> Bool {
        let now = Date().timeIntervalSince1970
        return lock.withLock {
            var r = (recentConnects[ip] ?? []).filter { now - $0 < 1 }
            guard limit <= 0 || r.count < limit else { refused += 1; return false }
            r.append(now)
            recentConnects[ip] = r
            accepted += 1
            return true
        }
    }

    func add(_ c: StreamConnection) -> Int {
        lock.withLock { let id = nextId; nextId += 1; connections[id] = c; return id }
    }

    func remove(_ id: Int) { _ = lock.withLock { connections.removeValue(forKey: id) } }

    var open: [StreamConnection] { lock.withLock { Array(connections.values) } }

    var counts: (open: Int, accepted: Int, refused: Int) { lock.withLock { (connections.count, accepted, refused) } }
}

extension OKXSimulator {
    /// Answers the WebSocket paths and /sim/ws/*; nil for every other request.
    func streamRoute(_ req: HTTPRequest) async throws -> HTTPResponse? {
        switch req.path {
        case "/ws/v5/business", "/ws/v5/public":
            let ip: String
            switch req.remoteAddress {
            case let .ip4(a, _)?, let .ip6(a, _)?: ip = a
            case let .unix(p)?: ip = p
            case nil: ip = "-"
            }
            // OKX: 3 new connections per second per IP (scaled like the REST limits; 0 disables).
            let limit = config.rateLimitScale <= 0 ? 0 : max(1, Int((3 * config.rateLimitScale).rounded()))
            guard streams.admit(ip: ip, limit: limit) else {
                return HTTPResponse(statusCode: .tooManyRequests, headers: [.contentType: "application/json"],
                                    body: Data(#"{"msg":"Too Many Requests","code":"50011"}"#.utf8))
            }
            let fault: StreamFault?
            if let f = req.query["simFault"], !f.isEmpty {
                guard let k = StreamFault(rawValue: f) else {
                    return HTTPResponse(statusCode: .badRequest, body: Data("unknown simFault \(f)".utf8))
                }
                fault = k
            } else { fault = nil }
            let afterMs = req.query["simAfterMs"].flatMap { Int($0) } ?? 3000
            // Forming pushes per subscription every simPushMs (OKX: 1000); benchmarks push faster.
            let pushMs = max(1, req.query["simPushMs"].flatMap { Int64($0) } ?? 1000)
            let handler = StreamSocketHandler(sim: self, business: req.path == "/ws/v5/business",
                                              fault: fault, afterMs: afterMs, pushMs: pushMs)
            return try await WebSocketHTTPHandler(handler: MessageFrameWSHandler(handler: handler)).handleRequest(req)
        case "/sim/ws/drop":
            let open = streams.open
            for c in open { c.drop() }
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"],
                                body: Data(#"{"dropped":\#(open.count)}"#.utf8))
        case "/sim/ws/stats":
            let s = streams.counts
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"],
                                body: Data(#"{"open":\#(s.open),"accepted":\#(s.accepted),"refused":\#(s.refused)}"#.utf8))
        default:
            return nil
        }
    }
}

struct StreamSocketHandler: WSMessageHandler {
    let sim: OKXSimulator
    let business: Bool
    let fault: StreamFault?
    let afterMs: Int
    let pushMs: Int64

    func makeMessages(for client: AsyncStream<WSMessage>) async throws -> AsyncStream<WSMessage> {
        let (out, cont) = AsyncStream<WSMessage>.makeStream()
        let conn = StreamConnection(sim: sim, business: business, fault: fault, pushMs: pushMs, out: cont)
        let id = sim.streams.add(conn)
        let reader = Task {
            for await message in client {
                guard case let .text(text) = message else { continue }
                conn.receive(text)
            }
            conn.finish()
        }
        let pusher = Task { await conn.runPushes() }
        let faultTask = Task {
            guard let fault, [.drop, .stall, .notice].contains(fault) else { return }
            try? await Task.sleep(nanoseconds: UInt64(max(0, afterMs)) * 1_000_000)
            switch fault {
            case .drop: conn.drop()
            case .stall: conn.stall()
            case .notice:
                conn.send(#"{"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"\#(conn.connId)"}"#)
                try? await Task.sleep(nanoseconds: 200_000_000)
                conn.close()
            default: break
            }
        }
        cont.onTermination = { _ in
            reader.cancel(); pusher.cancel(); faultTask.cancel()
            sim.streams.remove(id)
        }
        return out
    }
}

/// One client connection: its subscriptions and the pushes it is owed.
final class StreamConnection: @unchecked Sendable {
    let sim: OKXSimulator
    let business: Bool
    let fault: StreamFault?
    let pushMs: Int64
    let connId = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    private let out: AsyncStream<WSMessage>.Continuation
    private let lock = NSLock()
    private struct Sub { var bar: Bar; var lastIndex: Int64?; var lastPushMs: Int64 = 0 }
    private var subs: [String: Sub] = [:]   // key: channel + "\u{1}" + instId
    private var stalled = false
    private var pushCount = 0

    init(sim: OKXSimulator, business: Bool, fault: StreamFault?, pushMs: Int64, out: AsyncStream<WSMessage>.Continuation) {
        self.sim = sim; self.business = business; self.fault = fault; self.pushMs = pushMs; self.out = out
    }

    func send(_ text: String) {
        if lock.withLock({ stalled }) { return }
        out.yield(.text(text))
    }

    /// Ends the connection without a close frame.
    func drop() { out.finish() }
    /// Stops sending anything (no pushes, no pongs); the socket stays open.
    func stall() { lock.withLock { stalled = true } }
    func close() { out.yield(.close(.normalClosure)); out.finish() }
    func finish() { out.finish() }

    func receive(_ text: String) {
        if text == "ping" { send("pong"); return }
        guard let obj = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
              let op = obj["op"] as? String else {
            send(#"{"event":"error","code":"60012","msg":"Invalid request: \#(jsonEscaped(text))","connId":"\#(connId)"}"#)
            return
        }
        guard op == "subscribe" || op == "unsubscribe", let args = obj["args"] as? [Any] else {
            send(#"{"event":"error","code":"60012","msg":"Invalid request: \#(jsonEscaped(text))","connId":"\#(connId)"}"#)
            return
        }
        if fault == .subscribeError {
            send(#"{"event":"error","code":"60012","msg":"Invalid request: \#(jsonEscaped(text))","connId":"\#(connId)"}"#)
            return
        }
        for raw in args {
            guard let arg = raw as? [String: Any], let channel = arg["channel"] as? String,
                  let instId = arg["instId"] as? String else {
                send(#"{"event":"error","code":"60012","msg":"Invalid request: \#(jsonEscaped(text))","connId":"\#(connId)"}"#)
                continue
            }
            let argJSON = #"{"channel":"\#(jsonEscaped(channel))","instId":"\#(jsonEscaped(instId))"}"#
            guard channel.hasPrefix("candle"), let bar = Bar.simulated(named: String(channel.dropFirst(6))) else {
                send(#"{"event":"error","code":"60018","msg":"Wrong URL or channel:\#(jsonEscaped(channel)), instId:\#(jsonEscaped(instId)) doesn't exist.","connId":"\#(connId)"}"#)
                continue
            }
            guard business else {
                send(#"{"event":"error","code":"64001","msg":"The channel \#(jsonEscaped(channel)) is not on this URL; use /ws/v5/business.","connId":"\#(connId)"}"#)
                continue
            }
            guard sim.market.spec(instId) != nil else {
                send(#"{"event":"error","code":"60018","msg":"Wrong URL or channel:\#(jsonEscaped(channel)), instId:\#(jsonEscaped(instId)) doesn't exist.","connId":"\#(connId)"}"#)
                continue
            }
            let key = channel + "\u{1}" + instId
            if op == "subscribe" {
                lock.withLock { if subs[key] == nil { subs[key] = Sub(bar: bar, lastIndex: nil) } }
            } else {
                _ = lock.withLock { subs.removeValue(forKey: key) }
            }
            send(#"{"event":"\#(op)","arg":\#(argJSON),"connId":"\#(connId)"}"#)
        }
    }

    /// Every 100 ms (or simPushMs when shorter): the confirmed candle of each bar that closed, and the forming candle of each
    /// subscription not pushed for a second.
    func runPushes() async {
        while !Task.isCancelled {
            let now = sim.market.nowMs
            var due: [(String, Bar, Int64, Bool)] = []   // key, bar, index, confirmed
            lock.withLock {
                for (key, var s) in subs {
                    let idx = s.bar.index(of: now)
                    if let last = s.lastIndex, idx > last {
                        due.append((key, s.bar, last, true))
                        if fault == .unordered && last > 0 { due.append((key, s.bar, last - 1, true)) }
                        due.append((key, s.bar, idx, false))
                        s.lastPushMs = now
                    } else if now - s.lastPushMs >= pushMs {
                        due.append((key, s.bar, idx, false))
                        s.lastPushMs = now
                    }
                    s.lastIndex = idx
                    subs[key] = s
                }
            }
            for (key, bar, idx, _) in due {
                let parts = key.split(separator: "\u{1}", maxSplits: 1).map(String.init)
                guard parts.count == 2, let spec = sim.market.spec(parts[1]),
                      let c = sim.market.candle(parts[1], bar, index: idx, now: now) else { continue }
                var row = sim.rowStrings(c, spec)
                pushCount += 1
                if fault == .badPush && pushCount % 3 == 0 { row[2] = "0.00000001" }   // high below low
                var o = JSONOut(capacity: 200)
                o.raw(#"{"arg":{"channel":"#); o.string(parts[0]); o.raw(#","instId":"#); o.string(parts[1])
                o.raw(#"},"data":[["#)
                for (i, f) in row.enumerated() { if i > 0 { o.byte(0x2C) }; o.string(f) }
                o.raw("]]}")
                let text = String(decoding: o.bytes, as: UTF8.self)
                send(text)
                if fault == .duplicate { send(text) }
            }
            try? await Task.sleep(nanoseconds: UInt64(min(100, pushMs)) * 1_000_000)
        }
    }
}

private func jsonEscaped(_ s: String) -> String {
    var o = JSONOut(capacity: s.utf8.count + 2)
    o.string(s)
    return String(decoding: o.bytes.dropFirst().dropLast(), as: UTF8.self)
}

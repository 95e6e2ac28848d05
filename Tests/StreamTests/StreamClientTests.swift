// okx-sim's WebSocket endpoints through the OKX stream client (both in this process): events,
// forming and confirmed pushes equal to the REST rows, keepalive, reconnect, faults.
import Foundation
import Logging
import OKX
import OKXStream
import Testing
@testable import OKXSim

/// A simulator on port 0 with real time (bars close) and no rate limit unless asked.
func startSim(rateLimitScale: Double = 0) async throws -> (OKXSimulator, UInt16) {
    let now = Int64(Date().timeIntervalSince1970 * 1000)
    let sim = OKXSimulator(config: SimConfig(host: "127.0.0.1", port: 0, seed: 3,
                                             fromMs: (now / Bar.dayMs - 3) * Bar.dayMs, rateLimitScale: rateLimitScale))
    let port = try await sim.start()
    return (sim, port)
}

/// Collects a client's events; `first(where:)` waits (bounded) for one that matches.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [StreamEvent] = []
    private var task: Task<Void, Never>?
    init(_ client: OKXStreamClient) {
        task = Task { for await e in client.events { self.lock.withLock { self.events.append(e) } } }
    }
    var all: [StreamEvent] { lock.withLock { events } }
    func first(timeout: Double = 20, where match: @escaping (StreamEvent) -> Bool) async -> StreamEvent? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let e = all.first(where: match) { return e }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        return all.first(where: match)
    }
}

func messages(_ e: StreamEvent) -> StreamMessage? { if case let .message(m) = e { return m }; return nil }

func restRow(_ sim: OKXSimulator, _ instId: String, _ bar: Bar, ts: Int64) -> [String]? {
    guard let spec = sim.market.spec(instId),
          let c = sim.market.page(instId, bar, after: ts + 1, before: ts - 1, limit: 1, recentOnly: false).first else { return nil }
    return sim.rowStrings(c, spec)
}

func strings(_ c: Candle) -> [String] {
    [String(c.ts), c.open, c.high, c.low, c.close, c.vol, c.volCcy, c.volCcyQuote, c.confirmed ? "1" : "0"]
}

@Suite("okx-sim WebSocket and the OKX stream client")
struct StreamClientTests {
    let logger = Logger(label: "test")

    @Test("subscribe answers events, a bad arg gets an error, pushes equal the REST rows")
    func subscribeAndPush() async throws {
        let (sim, port) = try await startSim()
        defer { Task { await sim.stop() } }
        let client = OKXStreamClient(settings: StreamClientSettings(url: "ws://127.0.0.1:\(port)"), logger: logger)
        let log = EventLog(client)
        let run = Task { await client.run() }
        defer { client.stop(); run.cancel() }
        let inst = sim.market.instruments[0].instId
        await client.subscribe([.candles(instId: inst, bar: .m1), StreamArg(channel: "candle7m", instId: inst),
                                .candles(instId: "NOPE-USDT", bar: .m1)])
        #expect(await log.first { if case .connected(1) = $0 { return true }; return false } != nil, "connected")
        #expect(await log.first { messages($0) == .subscribed(.candles(instId: inst, bar: .m1)) } != nil, "subscribe event")
        let errors = await log.first { if case .error(let code, _)? = messages($0) { return code == "60018" }; return false }
        #expect(errors != nil, "a bad channel or instrument is answered with an error event")
        guard case let .candles(arg, bar, rows)?? = (await log.first { if case .candles? = messages($0) { return true }; return false }).map(messages) else {
            Issue.record("no push"); return
        }
        #expect(arg.instId == inst && bar == .m1 && rows.count == 1)
        #expect(rows.first?.confirmed == false, "the forming candle is pushed unconfirmed")
        // The confirmed candle arrives right after the bar closes (waits for the next minute boundary).
        let confirmed = await log.first(timeout: 75) {
            if case let .candles(_, _, rows)? = messages($0) { return rows.contains { $0.confirmed } }; return false
        }
        guard case let .candles(_, _, crows)?? = confirmed.map(messages), let c = crows.first(where: { $0.confirmed }) else {
            Issue.record("no confirmed push"); return
        }
        #expect(strings(c) == restRow(sim, inst, .m1, ts: c.ts) ?? [], "a confirmed push equals the REST row")
    }

    @Test("okx-sim --extra-spot: a synthetic instrument's candle channel is subscribed and pushed")
    func syntheticInstrumentPushes() async throws {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var config = SimConfig(host: "127.0.0.1", port: 0, seed: 3, fromMs: (now / Bar.dayMs - 3) * Bar.dayMs, rateLimitScale: 0)
        config.extraSpot = 1000
        let sim = OKXSimulator(config: config)
        let port = try await sim.start()
        defer { Task { await sim.stop() } }
        let client = OKXStreamClient(settings: StreamClientSettings(url: "ws://127.0.0.1:\(port)"), logger: logger)
        let log = EventLog(client)
        let run = Task { await client.run() }
        defer { client.stop(); run.cancel() }
        await client.subscribe([.candles(instId: "SIM0999-USDT", bar: .m1)])
        #expect(await log.first { messages($0) == .subscribed(.candles(instId: "SIM0999-USDT", bar: .m1)) } != nil, "subscribe event")
        let push = await log.first { if case let .candles(arg, _, _)? = messages($0) { return arg.instId == "SIM0999-USDT" }; return false }
        guard case let .candles(_, _, rows)?? = push.map(messages), let c = rows.first else { Issue.record("no push"); return }
        #expect(rows.count == 1 && c.high >= c.low, "one well-formed 1m candle per push")
    }

    @Test("ping after silence gets pong; a dropped connection is re-opened and re-subscribed")
    func keepaliveAndReconnect() async throws {
        let (sim, port) = try await startSim()
        defer { Task { await sim.stop() } }
        var settings = StreamClientSettings(url: "ws://127.0.0.1:\(port)")
        settings.pingAfterMs = 200
        let client = OKXStreamClient(settings: settings, logger: logger)
        let log = EventLog(client)
        let run = Task { await client.run() }
        defer { client.stop(); run.cancel() }
        #expect(await log.first { messages($0) == .pong } != nil, "pong answers ping")
        let inst = sim.market.instruments[0].instId
        await client.subscribe([.candles(instId: inst, bar: .m1)])
        #expect(await log.first { messages($0) == .subscribed(.candles(instId: inst, bar: .m1)) } != nil)
        for c in sim.streams.open { c.drop() }   // as POST /sim/ws/drop: no close frame
        #expect(await log.first { if case .connected(2) = $0 { return true }; return false } != nil, "reconnected")
        let subs = log.all.filter { messages($0) == .subscribed(.candles(instId: inst, bar: .m1)) }.count
        #expect(await log.first { _ in
            log.all.filter { messages($0) == .subscribed(.candles(instId: inst, bar: .m1)) }.count >= 2 } != nil,
            "re-subscribed after the reconnect (had \(subs))")
    }

    @Test("over the subscribe budget of a connection (OKX: 480 an hour) the client reconnects and re-subscribes in one request")
    func subscribeBudget() async throws {
        let (sim, port) = try await startSim()
        defer { Task { await sim.stop() } }
        var settings = StreamClientSettings(url: "ws://127.0.0.1:\(port)")
        settings.requestsPerHour = 2
        let client = OKXStreamClient(settings: settings, logger: logger)
        let log = EventLog(client)
        let run = Task { await client.run() }
        defer { client.stop(); run.cancel() }
        #expect(await log.first { if case .connected(1) = $0 { return true }; return false } != nil)
        let insts = sim.market.instruments.prefix(3).map(\.instId)
        for inst in insts {
            await client.subscribe([.candles(instId: inst, bar: .m1)])
            _ = await log.first { messages($0) == .subscribed(.candles(instId: inst, bar: .m1)) }
        }
        #expect(await log.first { if case .connected(2) = $0 { return true }; return false } != nil, "the third request reconnects")
        let all = await log.first { _ in
            Set(log.all.compactMap { if case let .subscribed(a)? = messages($0) { return a.instId }; return nil }) == Set(insts)
        }
        #expect(all != nil, "every series subscribed after the reconnect")
    }

    @Test("a stalled connection (no pong) is abandoned and re-opened")
    func stall() async throws {
        let (sim, port) = try await startSim()
        defer { Task { await sim.stop() } }
        var settings = StreamClientSettings(url: "ws://127.0.0.1:\(port)/ws/v5/business?simFault=stall&simAfterMs=100")
        settings.pingAfterMs = 300
        settings.pongTimeoutMs = 300
        let client = OKXStreamClient(settings: settings, logger: logger)
        let log = EventLog(client)
        let run = Task { await client.run() }
        defer { client.stop(); run.cancel() }
        #expect(await log.first { if case .disconnected = $0 { return true }; return false } != nil, "stall detected")
        #expect(await log.first { if case .connected(2) = $0 { return true }; return false } != nil, "reconnected")
    }

    @Test("faults: subscribe errors, bad pushes refused naming the field, 64001 on the public socket")
    func faults() async throws {
        let (sim, port) = try await startSim(rateLimitScale: 1)
        defer { Task { await sim.stop() } }
        let inst = sim.market.instruments[0].instId
        func client(_ path: String) -> (OKXStreamClient, EventLog, Task<Void, Never>) {
            let c = OKXStreamClient(settings: StreamClientSettings(url: "ws://127.0.0.1:\(port)" + path), logger: logger)
            let l = EventLog(c)
            return (c, l, Task { await c.run() })
        }
        let (c1, l1, r1) = client("/ws/v5/business?simFault=subscribe_error")
        await c1.subscribe([.candles(instId: inst, bar: .m1)])
        #expect(await l1.first { if case .error("60012", _)? = messages($0) { return true }; return false } != nil, "60012")
        let (c2, l2, r2) = client("/ws/v5/business?simFault=bad_push")
        await c2.subscribe([.candles(instId: inst, bar: .m1)])
        let bad = await l2.first { if case .badPush? = messages($0) { return true }; return false }
        guard case let .badPush(arg, field, _)?? = bad.map(messages) else { Issue.record("no bad push"); return }
        #expect(arg?.instId == inst && field == "h", "the bad push names its field (h)")
        let (c3, l3, r3) = client("/ws/v5/public")
        await c3.subscribe([.candles(instId: inst, bar: .m1)])
        #expect(await l3.first { if case .error("64001", _)? = messages($0) { return true }; return false } != nil, "64001")
        for (c, r) in [(c1, r1), (c2, r2), (c3, r3)] { c.stop(); r.cancel() }
    }
}

@Suite("stream frames and okx-sim's connection limit")
struct StreamFrameTests {
    @Test("subscribe requests are split under 64 KB and carry every arg once")
    func batching() throws {
        let args = (0..<5000).map { StreamArg.candles(instId: "I\($0)-USDT", bar: .m1) }
        let reqs = StreamFrames.requests(op: "subscribe", args: args)
        #expect(reqs.count > 1, "5,000 args need several requests")
        #expect(reqs.allSatisfy { $0.utf8.count < 64 * 1024 }, "each request under 64 KB")
        var seen = 0
        for r in reqs {
            let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.utf8)) as? [String: Any])
            #expect(obj["op"] as? String == "subscribe")
            seen += (obj["args"] as? [Any])?.count ?? 0
        }
        #expect(seen == 5000)
    }

    @Test("pushes decode like REST rows; a bad one is refused naming the field")
    func decoding() {
        let ok = #"{"arg":{"channel":"candle1m","instId":"BTC-USDT"},"data":[["1700000040000","43000.1","43010","42990","43005.5","12.3","528954.2","528954.2","0"]]}"#
        guard case let .candles(arg, bar, rows) = StreamFrames.decode(ok) else { Issue.record("not decoded"); return }
        #expect(arg.instId == "BTC-USDT" && bar == .m1 && rows.count == 1 && rows[0].confirmed == false && rows[0].high == "43010")
        let bad = #"{"arg":{"channel":"candle1m","instId":"BTC-USDT"},"data":[["1700000040000","43000.1","42000","42990","43005.5","12.3","528954.2","528954.2","0"]]}"#
        guard case let .badPush(_, field, _) = StreamFrames.decode(bad) else { Issue.record("accepted a bad push"); return }
        #expect(field == "h")
        let misaligned = #"{"arg":{"channel":"candle1m","instId":"BTC-USDT"},"data":[["1700000041000","1","1","1","1","1","1","1","1"]]}"#
        guard case let .badPush(_, f2, _) = StreamFrames.decode(misaligned) else { Issue.record("accepted a misaligned push"); return }
        #expect(f2 == "ts")
        #expect(StreamFrames.decode("pong") == .pong)
        #expect(StreamFrames.decode(#"{"event":"error","code":"60012","msg":"x"}"#) == .error(code: "60012", msg: "x"))
    }

    @Test("okx-sim refuses a fourth connection within a second from one IP")
    func connectionLimit() {
        let hub = StreamHub()
        #expect(hub.admit(ip: "1.2.3.4", limit: 3) && hub.admit(ip: "1.2.3.4", limit: 3) && hub.admit(ip: "1.2.3.4", limit: 3))
        #expect(!hub.admit(ip: "1.2.3.4", limit: 3), "the fourth is refused")
        #expect(hub.admit(ip: "5.6.7.8", limit: 3), "another IP has its own budget")
    }
}

// `candlestack stream` under okx-sim's WebSocket faults, and the watchlist changing while it runs.
import CivilTime
import Foundation
import Postgres
import TestSupport
import Testing

@Suite("candlestack stream under faults")
struct StreamFaultTests {
    @Test("every fault ends with the stored series equal to okx-sim's REST truth and no bad row",
          arguments: ["duplicate", "unordered", "bad_push", "drop", "notice", "stall"])
    func fault(_ kind: String) async throws {
        let f = try await StreamFixture.make(series: ["BTC-USDT"])
        defer { f.close() }
        // drop and notice end each connection 2 s after it opens: the stream reconnects again and again.
        let s = try StreamProcess(conninfo: f.conninfo, wsURL: f.wsURL + "/ws/v5/business?simFault=\(kind)&simAfterMs=2000",
                                  restURL: f.sim.baseURL.absoluteString, kind == "stall" ? ["--ping-seconds", "1"] : [])
        // A worker runs the REST fills the stream queues (missed or refused closes, reconnects).
        let w = try WorkerProcess(conninfo: f.conninfo, ["--okx-base-url", f.sim.baseURL.absoluteString, "--kinds", "repair_gaps",
                                                         "--poll-seconds", "0.5", "--okx-rate-limit-scale", "10", "--log-level", "warning"])
        let got = try await eventually(timeout: .seconds(100), every: .milliseconds(200)) { try f.confirmedCount("BTC-USDT") >= 1 }
        #expect(got, "a confirmed candle is stored despite \(kind)\n\(s.log.suffix(1500))")
        var differ = -1, forming = -1
        let settled = try await eventually(timeout: .seconds(30), every: .milliseconds(500)) {
            forming = try f.stored("BTC-USDT").filter { $0[8] == "0" }.count
            return forming <= 1
        }
        differ = try await f.differing("BTC-USDT")
        #expect(settled, "\(kind): only the current candle is forming (\(forming))")
        #expect(differ == 0, "\(kind): stored candles equal okx-sim's REST rows")
        w.signal(SIGTERM)
        await w.wait()
        if kind == "bad_push" { #expect(s.log.contains("stream push refused") && s.log.contains("okx.field"), "the refusal is logged with its field") }
        if kind == "drop" || kind == "notice" || kind == "stall" {
            // The REST fill can store the confirmed candle before the fault (2 s after the connect) fires.
            let seen = try await eventually(timeout: .seconds(60), every: .milliseconds(200)) { s.log.contains("stream disconnected") }
            #expect(seen, "\(kind): the drop is seen\n\(s.log.suffix(1500))")
        }
        s.signal(SIGTERM)
        #expect(await s.wait() == 0)
    }

    @Test("the watchlist grows and shrinks while the stream runs (LISTEN market_watchlist)")
    func watchlistChanges() async throws {
        let f = try await StreamFixture.make(series: ["BTC-USDT"])
        defer { f.close() }
        // Renewal every 20 s (lease 60 s): a change seen sooner came through the notification.
        let s = try StreamProcess(conninfo: f.conninfo, wsURL: f.wsURL, restURL: f.sim.baseURL.absoluteString, ["--lease-seconds", "60"])
        func held() throws -> [String] {
            try f.c.query("select inst_id from market.stream_leases order by inst_id").rows().map { try $0.string("inst_id") ?? "" }
        }
        #expect(try await eventually(timeout: .seconds(30)) { try held() == ["BTC-USDT"] })
        _ = try f.c.query("insert into market.watchlist (inst_id, bar, history_from) values ('ETH-USDT', '1m', now() - interval '1 hour')")
        let grew = try await eventually(timeout: .seconds(15)) { try held() == ["BTC-USDT", "ETH-USDT"] }
        #expect(grew, "a new entry is taken without a restart")
        let streamed = try await eventually(timeout: .seconds(30)) {
            try f.c.query("select count(*)::int as n from market.candles where inst_id = 'ETH-USDT'").first?.int("n") ?? 0 > 0
        }
        #expect(streamed, "and streamed\n\(s.log.suffix(1500))")
        _ = try f.c.query("update market.watchlist set enabled = false where inst_id = 'BTC-USDT'")
        let shrank = try await eventually(timeout: .seconds(15)) { try held() == ["ETH-USDT"] }
        #expect(shrank, "a disabled entry is let go")
        s.signal(SIGTERM)
        #expect(await s.wait() == 0)
    }
}

@Suite("the ingest schedule beside the stream")
struct IngestSkipTests {
    @Test("an ingest job of a series a live stream holds skips REST; one of a free series fetches")
    func ingestSkipsHeldSeries() async throws {
        let f = try await StreamFixture.make(series: ["BTC-USDT", "ETH-USDT"])
        defer { f.close() }
        _ = try f.c.query("insert into market.stream_holders (holder, seen_until) values ('s', now() + interval '1 hour')")
        _ = try f.c.query("insert into market.stream_leases (inst_id, bar, holder, expires_at) values ('BTC-USDT', '1m', 's', now() + interval '1 hour')")
        _ = try f.c.query("delete from queue.jobs")
        for inst in ["BTC-USDT", "ETH-USDT"] {
            _ = try f.c.query("select queue.enqueue('ingest', jsonb_build_object('inst_id', $1::text, 'bar', '1m'))", [inst])
        }
        let w = try WorkerProcess(conninfo: f.conninfo, ["--okx-base-url", f.sim.baseURL.absoluteString, "--kinds", "ingest",
                                                         "--exit-when-idle", "--okx-rate-limit-scale", "10", "--log-level", "warning"])
        #expect(await w.wait() == 0, "\(w.log.suffix(1000))")
        let r = try f.c.query("select payload ->> 'inst_id' as inst, coalesce(result ->> 'skipped', '') as skipped from queue.jobs where kind = 'ingest' order by 1")
        let rows = try r.rows().map { [try $0.string("inst") ?? "", try $0.string("skipped") ?? ""] }
        #expect(rows == [["BTC-USDT", "held by a live stream"], ["ETH-USDT", ""]], "\(rows)")
        let btc = try f.c.query("select count(*)::int as n from market.candles where inst_id = 'BTC-USDT'").first?.int("n") ?? -1
        #expect(btc == 0, "the held series was not fetched by REST")
    }
}

@Suite("stream connections and OKX's per-IP connection rate")
struct StreamConnectRateTests {
    @Test("six stream processes sharing a rate key open their connections at no more than 3 per second: okx-sim refuses none")
    func connectionRateShared() async throws {
        let f = try await StreamFixture.make(series: ["BTC-USDT"], rateLimitScale: 1)   // okx-sim: OKX's 3 connections/s per IP
        defer { f.close() }
        let key = "shared-\(UUID().uuidString.prefix(8))"
        let streams = try (0..<6).map { i in
            try StreamProcess(conninfo: f.conninfo, wsURL: f.wsURL, restURL: f.sim.baseURL.absoluteString, ["--stream-id", "s\(i)"], rateKey: key)
        }
        func wsStats() async throws -> [String: Int] {
            (try await f.sim.getJSON("/sim/ws/stats") as? [String: Int]) ?? [:]
        }
        var stats: [String: Int] = [:]
        var all = false
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            stats = (try? await wsStats()) ?? [:]
            if (stats["accepted"] ?? 0) >= 6 { all = true; break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(all, "every process connected: \(stats)")
        #expect(stats["refused"] == 0, "no connection refused: \(stats)")
        for s in streams { s.signal(SIGTERM) }
        for s in streams { #expect(await s.wait() == 0) }
    }
}


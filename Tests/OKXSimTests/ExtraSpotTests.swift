// okx-sim --extra-spot N: synthetic spot instruments SIM0001-USDT ... served like the named ones
// (instruments, candles, tickers), and nothing changes for the named instruments or without it.
import Foundation
import Testing
@testable import OKXSim

@Suite struct ExtraSpotTests {
    func start(extraSpot: Int) async throws -> SimHarness {
        var config = SimConfig(host: "127.0.0.1", port: 0, seed: 7, fromMs: testFrom, rateLimitScale: 0, nowMs: testNow)
        config.extraSpot = extraSpot
        let sim = OKXSimulator(config: config)
        let port = try await sim.start()
        return SimHarness(sim: sim, base: "http://127.0.0.1:\(port)")
    }

    @Test("with --extra-spot 1000 the instruments list holds 1,000 more spot ids, each with candles and a ticker")
    func thousandInstruments() async throws {
        let h = try await start(extraSpot: 1000)
        defer { Task { await h.stop() } }
        let spot = try await h.envelope("/api/v5/public/instruments?instType=SPOT")
        let ids = spot.data.compactMap { ($0 as? [String: Any])?["instId"] as? String }
        #expect(ids.count == 1005, "5 named + 1,000 synthetic spot instruments, got \(ids.count)")
        #expect(Set(ids).count == ids.count, "instrument ids are unique")
        #expect(ids.contains("SIM0001-USDT") && ids.contains("SIM1000-USDT") && !ids.contains("SIM1001-USDT"))
        let one = try await h.envelope("/api/v5/public/instruments?instType=SPOT&instId=SIM0777-USDT")
        #expect(one.data.count == 1)

        let rows = try await h.rows("/api/v5/market/candles?instId=SIM0777-USDT&limit=5")
        #expect(rows.count == 5, "a synthetic instrument's candles are served")
        #expect(rows.first?.last == "0" && rows.dropFirst().allSatisfy { $0.last == "1" }, "newest forming, older confirmed")
        let all = try await h.rows("/sim/candles?instId=SIM0777-USDT&bar=1m&from=\(testNow - 300_000)&to=\(testNow + 60_000)")
        #expect(Array(all.reversed().prefix(5)) == rows, "REST pages and /sim/candles agree")
        let hour = try await h.rows("/api/v5/market/candles?instId=SIM0777-USDT&bar=1H&limit=3")
        #expect(hour.count == 3)

        let ticker = try await h.envelope("/api/v5/market/ticker?instId=SIM0777-USDT")
        let last = (ticker.data.first as? [String: Any])?["last"] as? String
        #expect(last == rows.first?[4], "the ticker's last is the current 1m close")
        let tickers = try await h.envelope("/api/v5/market/tickers?instType=SPOT")
        #expect(tickers.data.count == 1005)
    }

    @Test("named instruments are unchanged by --extra-spot, and without it a synthetic id is unknown")
    func defaultUnchanged() async throws {
        let plain = try await start(extraSpot: 0), extra = try await start(extraSpot: 20)
        defer { Task { await plain.stop(); await extra.stop() } }
        for path in ["/api/v5/market/candles?instId=BTC-USDT&limit=50", "/api/v5/market/history-candles?instId=XRP-USDT&bar=1D&limit=100",
                     "/api/v5/market/candles?instId=ETH-USDT-SWAP&bar=4H&limit=20"] {
            let a = try await plain.rows(path), b = try await extra.rows(path)
            #expect(a.count > 0 && a == b, "same rows for \(path)")
        }
        let unknown = try await plain.envelope("/api/v5/market/candles?instId=SIM0001-USDT")
        #expect(unknown.code == "51001", "without the option SIM0001-USDT is unknown")
        let spot = try await plain.envelope("/api/v5/public/instruments?instType=SPOT")
        #expect(spot.data.count == 5)
    }

    @Test("synthetic instruments differ from one another and are deterministic in the seed")
    func distinctAndDeterministic() {
        let a = Market(seed: 7, fromMs: testFrom, clock: { testNow }, extraSpot: 3)
        let b = Market(seed: 7, fromMs: testFrom, clock: { testNow }, extraSpot: 3)
        let m = a.nowMinute
        let closes = ["SIM0001-USDT", "SIM0002-USDT", "SIM0003-USDT"].map { a.aggregate($0, minutes: m - 60, m)?.c }
        #expect(Set(closes.compactMap { $0 }).count == 3, "three distinct series")
        #expect(a.aggregate("SIM0002-USDT", minutes: m - 3000, m) == b.aggregate("SIM0002-USDT", minutes: m - 3000, m))
    }
}

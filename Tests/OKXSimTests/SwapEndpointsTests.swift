// okx-sim's swap endpoints over HTTP: mark and index close to the last price, funding from their
// premium clamped like OKX's, 8 h and 4 h intervals, and the paging and limits of the candle endpoints.
import Foundation
import Testing
@testable import OKXSim

@Suite struct SwapEndpointsTests {
    func objects(_ h: SimHarness, _ path: String) async throws -> [[String: String]] {
        let e = try await h.envelope(path)
        #expect(e.code == "0", "\(path)")
        return e.data.map { ($0 as! [String: Any]).compactMapValues { $0 as? String } }
    }

    @Test func markAndIndexStayCloseToLast() async throws {
        let h = try await SimHarness.start()
        defer { Task { await h.stop() } }
        let last = try await h.rows("/api/v5/market/history-candles?instId=BTC-USDT-SWAP&bar=1H&limit=100")
        let mark = try await h.rows("/api/v5/market/history-mark-price-candles?instId=BTC-USDT-SWAP&bar=1H&limit=300")
        let index = try await h.rows("/api/v5/market/history-index-candles?instId=BTC-USDT&bar=1H")
        #expect(mark.count == 100 && index.count == 100, "at most 100 rows a page, 100 by default")
        #expect(mark.allSatisfy { $0.count == 6 } && index.allSatisfy { $0.count == 6 }, "rows are [ts,o,h,l,c,confirm]")
        #expect(mark.map { $0[0] } == last.map { $0[0] } && index.map { $0[0] } == last.map { $0[0] }, "same open times as the trade candles")
        var differs = 0
        for (m, (i, l)) in zip(mark, zip(index, last)) {
            let lc = Double(l[4])!, mc = Double(m[4])!, ic = Double(i[4])!
            #expect(abs(mc / lc - 1) < 0.002 && abs(ic / lc - 1) < 0.002, "mark \(mc) and index \(ic) within 0.2% of last \(lc)")
            #expect(Double(m[2])! >= max(Double(m[1])!, mc, Double(m[3])!) && Double(m[3])! <= min(Double(m[1])!, mc))
            if m[4] != l[4] { differs += 1 }
            #expect(m[5] == l[8], "confirm follows the trade candle")
        }
        #expect(differs > 50, "the basis moves the mark away from the last price")
        let recent = try await h.rows("/api/v5/market/mark-price-candles?instId=BTC-USDT-SWAP&bar=1m&limit=5")
        #expect(recent.count == 5 && recent[0][5] == "0", "the newest mark candle is still forming")
        #expect(try await h.envelope("/api/v5/market/mark-price-candles?instId=BTC-USDT&bar=1m").code == "51001", "spot has no mark candles")
        #expect(try await h.envelope("/api/v5/market/index-candles?instId=DOGE-USDT&bar=1m").code == "51001")
        #expect(try await h.envelope("/api/v5/market/index-candles?instId=BTC-USDT&bar=7m").code == "51000")
    }

    @Test func pagingIsExclusiveLikeCandles() async throws {
        let h = try await SimHarness.start()
        defer { Task { await h.stop() } }
        let first = try await h.rows("/api/v5/market/history-mark-price-candles?instId=ETH-USDT-SWAP&bar=1m&limit=50")
        let second = try await h.rows("/api/v5/market/history-mark-price-candles?instId=ETH-USDT-SWAP&bar=1m&limit=50&after=\(first.last![0])")
        #expect(Int64(second[0][0])! == Int64(first.last![0])! - 60_000, "after is exclusive: no overlap, no hole")
    }

    @Test func fundingEvery8hAnd4h() async throws {
        let h = try await SimHarness.start()
        defer { Task { await h.stop() } }
        let btc = try await objects(h, "/api/v5/public/funding-rate-history?instId=BTC-USDT-SWAP&limit=400")
        let eth = try await objects(h, "/api/v5/public/funding-rate-history?instId=ETH-USDT-SWAP")
        let oldest = Int64(btc.last!["fundingTime"]!)!
        #expect(btc.count < 400 && oldest >= testNow - SwapModel.fundingHistoryMs && oldest < testNow - SwapModel.fundingHistoryMs + 28_800_000,
                "BTC: one rate per 8 h, about three months back (\(btc.count) rows)")
        #expect(eth.count == 100, "100 rows by default")
        func steps(_ rows: [[String: String]]) -> Set<Int64> {
            let t = rows.map { Int64($0["fundingTime"]!)! }
            return Set(zip(t, t.dropFirst()).map { $0 - $1 })
        }
        #expect(steps(btc) == [28_800_000] && steps(eth) == [14_400_000], "newest first, 8 h for BTC, 4 h for ETH")
        #expect(btc.allSatisfy { Int64($0["fundingTime"]!)! <= testNow && $0["fundingRate"] == $0["realizedRate"] })
        #expect(Set(btc.map { $0["fundingRate"]! }).count > 5, "rates move with the premium")
        #expect(btc.allSatisfy { abs(Double($0["fundingRate"]!)!) <= SwapModel.cap })
        let older = try await objects(h, "/api/v5/public/funding-rate-history?instId=ETH-USDT-SWAP&after=\(eth.last!["fundingTime"]!)&limit=2")
        #expect(Int64(older[0]["fundingTime"]!)! == Int64(eth.last!["fundingTime"]!)! - 14_400_000)
        let current = try #require(try await objects(h, "/api/v5/public/funding-rate?instId=BTC-USDT-SWAP").first)
        let next = Int64(current["fundingTime"]!)!
        #expect(next > testNow && next % 28_800_000 == 0 && Int64(current["nextFundingTime"]!)! == next + 28_800_000)
        #expect(try await h.envelope("/api/v5/public/funding-rate?instId=BTC-USDT").code == "51001", "spot has no funding")
    }

    @Test func clampLikeOKX() {
        // premium inside the inner clamp: the rate is the interest
        #expect(SwapModel.clampedRate(averagePremium: 0.0002, interest: 0.0001) == 0.0001)
        // premium far above: avg + (-0.05%), then capped
        #expect(abs(SwapModel.clampedRate(averagePremium: 0.002, interest: 0.0001) - 0.0015) < 1e-12)
        #expect(SwapModel.clampedRate(averagePremium: 0.02, interest: 0.0001) == SwapModel.cap)
        #expect(SwapModel.clampedRate(averagePremium: -0.02, interest: 0.0001) == -SwapModel.cap)
        #expect(SwapModel.format(-0.0000123) == "-0.0000123000000000" && SwapModel.format(0) == "0")
        #expect(SwapModel.format(0.0001) == "0.0001000000000000")
    }
}

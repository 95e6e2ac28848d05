import Foundation
import Postgres
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 11: a 3-day 1m backfill of 3 instruments with the worker killed twice (SIGKILL): the
/// stored candles equal okx-sim's exactly, and the pages stored before each kill were not fetched
/// again.
@Suite("Reliability: OKX backfill under kill -9")
struct OKXBackfillKillTests {
    static let instruments = ["BTC-USDT", "ETH-USDT", "SOL-USDT"]
    static let concurrency = 3
    /// The backfill writes every 5 pages (CandleFetcher.pagesPerWrite): what a kill can lose.
    static let pagesPerWrite = 5

    @Test(.timeLimit(.minutes(3)))
    func backfillKilledTwiceStoresOKXSimsCandlesWithoutRefetching() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let c = try Connection(conninfo)
        defer { c.close() }
        // Half of OKX's real limits (10 history-candles pages / 2 s): slow enough that the kills
        // land mid-backfill, fast enough to finish in seconds.
        let scale = "0.5"
        let sim = try await OKXSimProcess.start(seed: 7, from: OKXReliability.simFrom, nowMs: OKXReliability.simNowMs,
                                                rateLimitScale: 0.5)
        defer { sim.stop() }
        let from = OKXReliability.march1, to = from + 3 * OKXReliability.dayMs   // 4,320 1m candles each
        for inst in Self.instruments {
            try c.query("select id from queue.enqueue('backfill', $1::jsonb, unique_key => $2)",
                        [OKXReliability.backfillPayload(inst, "1m", from, to), "backfill:\(inst):1m"])
        }
        let total = Self.instruments.count * 4_320
        let args = ["--okx-base-url", sim.baseURL.absoluteString, "--okx-rate-limit-scale", scale,
                    "--okx-rate-margin-ms", "300", "--rate-key", "rel-okx-kill-\(getpid())", "--kinds", "backfill",
                    "--concurrency", String(Self.concurrency), "--lease-seconds", "2", "--maintenance-seconds", "0.5",
                    "--grace-seconds", "1", "--log-level", "warning"]
        var worker = try WorkerProcess(conninfo: conninfo, args)
        func stored() throws -> Int { try c.query("select count(*)::int as n from market.candles").first?.int("n") ?? -1 }
        func open() throws -> Int {
            try c.query("select count(*)::int as n from queue.jobs where status in ('queued', 'running')").first?.int("n") ?? -1
        }

        // Kill at about a quarter and at about two thirds of the candles stored.
        var storedAtKills: [Int] = []
        // At each kill: the stored candles' ts per instrument, and how many requests okx-sim had served.
        var snapshots: [(stored: [String: Set<Int64>], requests: Int)] = []
        for threshold in [total / 4, total * 2 / 3] {
            var now = 0
            let reached = try await eventually(timeout: .seconds(60), every: .milliseconds(5)) {
                now = try stored(); return now >= threshold
            }
            try #require(reached, "only \(now) candles stored waiting for \(threshold)\n\(worker.log)")
            await worker.kill9()
            let atKill = try stored()
            storedAtKills.append(atKill)
            var byInst: [String: Set<Int64>] = [:]
            for row in try c.query("select inst_id, (extract(epoch from ts) * 1000)::bigint as ms from market.candles").rows() {
                byInst[try row.string("inst_id") ?? "", default: []].insert(try row.int64("ms") ?? 0)
            }
            snapshots.append((byInst, try await OKXReliability.candleRequests(sim).count))
            try #require(atKill < total, "the backfill finished before the kill (\(atKill) stored)")
            // backfill's lease is the kind's (a minute): expire the dead worker's leases rather than
            // wait; the new worker's maintenance rescues them (--maintenance-seconds 0.5).
            try c.query("update queue.jobs set lease_until = now() - interval '1 second' where status = 'running'")
            worker = try WorkerProcess(conninfo: conninfo, args)
        }
        let drained = try await eventually(timeout: .seconds(90), every: .milliseconds(100)) { try open() == 0 }
        worker.signal(SIGTERM)
        #expect(await worker.wait() == 0)
        try #require(drained, "jobs still open\n\(worker.log)")

        // Every job succeeded; each instrument's candles equal okx-sim's, every field as text; no gaps.
        let jobs = try c.query("select status, attempts, coalesce(last_error, '') as e from queue.jobs order by id").rows()
        for j in jobs {
            let status = try j.string("status") ?? "?", lastError = try j.string("e") ?? ""
            #expect(status == "succeeded", "job \(status): \(lastError)")
        }
        var equal = 0, gaps = 0, perInstrument: [Int] = []
        for inst in Self.instruments {
            let mine = try OKXReliability.stored(c, inst, "1m", fromMs: from, toMs: to)
            let theirs = try await sim.candles(instId: inst, bar: "1m", fromMs: from, toMs: to)
            perInstrument.append(mine.count)
            #expect(theirs.count == 4_320)
            #expect(mine == theirs, "\(inst): stored \(mine.count) rows differ from okx-sim's \(theirs.count)")
            if mine == theirs { equal += 1 }
            gaps += try OKXReliability.gapCount(c, inst, "1m", fromMs: from, toMs: to)
        }
        #expect(gaps == 0)
        #expect(try stored() == total, "nothing outside the ranges stored")

        // Rule 1 (exact): no request made after a kill asks for a page (after = A, limit L: the
        // 1m rows [A - L min, A) within the range) whose rows were all stored at that kill.
        // Rule 2: pages fetched twice (same endpoint, instId, bar, after, before) are only those
        // fetched but not yet written at a kill: the backfill writes every 5 pages, so at most
        // kills x concurrency x 5 of them (and at most 300 rows each served again).
        let requests = try await OKXReliability.candleRequests(sim)
        #expect(((try await sim.stats())["candleRequestsDropped"] as? Int) == 0)
        var seen: [String: Int] = [:]
        for r in requests { seen[OKXReliability.pageKey(r), default: 0] += 1 }
        let refetched = seen.values.reduce(0) { $0 + max(0, $1 - 1) }
        let rowsServed = requests.reduce(0) { $0 + (($1["rows"] as? Int) ?? 0) }
        let kills = storedAtKills.count
        var storedPagesRefetched: [String] = []
        for snap in snapshots {
            for r in requests.dropFirst(snap.requests) {
                guard let inst = r["instId"] as? String, let after = (r["after"] as? NSNumber)?.int64Value,
                      let limit = r["limit"] as? Int else { continue }
                let rows = stride(from: after - Int64(limit) * 60_000, to: after, by: 60_000).filter { $0 >= from && $0 < to }
                if !rows.isEmpty && rows.allSatisfy({ snap.stored[inst]?.contains($0) == true }) {
                    storedPagesRefetched.append(OKXReliability.pageKey(r))
                }
            }
        }
        let lossBound = kills * Self.concurrency * Self.pagesPerWrite
        let refused = try await OKXReliability.refusedTotal(sim)
        let attempts = try jobs.map { try $0.int("attempts") ?? 0 }
        print("backfill kill -9: \(Self.instruments.count) instruments x 4320 candles (\(perInstrument.map(String.init).joined(separator: "/")) stored), "
              + "\(kills) kills at \(storedAtKills.map(String.init).joined(separator: " and ")) candles stored, "
              + "stored = okx-sim's for \(equal)/\(Self.instruments.count), \(gaps) gaps, "
              + "\(requests.count) pages requested for \(seen.count) distinct, \(refetched) fetched twice "
              + "(fetched, not yet written at the kills; rule: <= kills x concurrency x 5 pages a write = \(lossBound)), "
              + "\(storedPagesRefetched.count) pages stored before a kill fetched again, "
              + "\(rowsServed) rows served for \(total), \(refused) refused, job attempts \(attempts)")
        #expect(kills == 2)
        #expect(storedPagesRefetched.isEmpty, "pages stored before a kill fetched again: \(storedPagesRefetched)")
        #expect(refetched <= lossBound)
        #expect(rowsServed <= total + lossBound * 300)
        #expect(refused == 0)
    }
}

import Foundation
import Postgres
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue 11, item 6: workers on two hosts (network namespaces with their own addresses) run
/// backfills at OKX's real limits against one okx-sim that counts per client IP, each host with
/// its own rate key: the OKX budget is kept per host. Neither IP is ever refused, each gets
/// close to its 20 history-candles requests / 2 s, and the two together exceed one IP's budget.
/// Needs root and `ip netns`.
@Suite("Reliability: OKX budget per host")
struct OKXBudgetPerHostTests {
    static let instruments = ["BTC-USDT", "ETH-USDT", "SOL-USDT", "XRP-USDT", "OKB-USDT", "BTC-USDT-SWAP", "ETH-USDT-SWAP"]
    static let days: Int64 = 6   // 8,640 1m candles, 29 pages of 300, per instrument

    @Test(.enabled("needs root and `ip netns` (network namespaces); CI runs as root") {
        NetnsHosts.available(for: "OKXBudgetPerHostTests")
    }, .timeLimit(.minutes(3)))
    func eachHostKeepsItsOwnOKXBudget() async throws {
        // The primary also listens on the root-side veth addresses, and lets the two /30s in.
        let cluster = try await TwoHostCluster.start()
        defer { cluster.stop() }
        let hosts = cluster.hosts
        let c = try Connection(cluster.conninfo)
        defer { c.close() }

        // One okx-sim at OKX's real limits (scale 1), rate limited per remote IP. okx-sim binds one
        // address: 0.0.0.0 so both root-side veth addresses reach it; only the namespaces call it.
        let sim = try await OKXSimProcess.start(seed: 5, from: OKXReliability.simFrom, nowMs: OKXReliability.simNowMs,
                                                rateLimitScale: 1, extraArguments: ["--host", "0.0.0.0"])
        defer { sim.stop() }
        let port = try #require(sim.baseURL.port)

        let to = OKXReliability.march1, from = to - Self.days * OKXReliability.dayMs
        for inst in Self.instruments {
            try c.query("select id from queue.enqueue('backfill', $1::jsonb, unique_key => $2)",
                        [OKXReliability.backfillPayload(inst, "1m", from, to), "backfill:\(inst):1m"])
        }

        // Two workers per host; each host's own rate key and its own route to okx-sim.
        var workers: [NamespacedWorker] = []
        defer {
            for w in workers { w.signal(SIGKILL) }
            for w in workers { w.wait() }
        }
        for host in [hosts.a, hosts.b] {
            let url = cluster.conninfo(from: host)
            for i in 1...2 {
                workers.append(try NamespacedWorker(on: host, conninfo: url, [
                    "--worker-id", "\(host.name)-\(i)", "--concurrency", "2", "--exit-when-idle", "--kinds", "backfill",
                    "--okx-base-url", "http://\(host.rootAddress):\(port)", "--rate-key", host.name,
                    "--okx-rate-limit-scale", "1", "--okx-rate-margin-ms", "300",
                    "--maintenance-seconds", "1", "--log-level", "warning"]))
            }
        }
        func logs() -> String { workers.map { "--- \($0.host.name) pid \($0.pid):\n\($0.log)" }.joined(separator: "\n") }

        // Sample okx-sim's history-candles requests per instrument while the workers run.
        var samples: [(t: ContinuousClock.Instant, perInst: [String: Int])] = []
        let started = ContinuousClock.now
        let deadline = started + .seconds(120)
        while ContinuousClock.now < deadline && !workers.allSatisfy({ $0.poll() != nil }) {
            let byInstBar = ((try? await sim.stats())?["candleRequestsByInstIdBar"] as? [String: Any]) ?? [:]
            var perInst: [String: Int] = [:]
            for (k, v) in byInstBar { perInst[String(k.split(separator: " ").first ?? ""), default: 0] += (v as? Int) ?? 0 }
            samples.append((ContinuousClock.now, perInst))
            await pause(0.1)
        }
        let elapsed = ContinuousClock.now - started
        for w in workers { #expect(w.poll() == 0, "\(w.host.name) worker pid \(w.pid) exited \(String(describing: w.poll()))\n\(w.log)") }

        // Which host ran each instrument's job (the workers named in its progress and succeeded events).
        var hostOf: [String: String] = [:]
        for r in try c.query("""
            select j.payload->>'inst_id' as inst, j.status, string_agg(distinct split_part(e.worker_id, '-', 1), ',') as hosts
              from queue.jobs j join queue.job_events e on e.job_id = j.id and e.worker_id is not null
             group by j.id order by j.id
            """).rows() {
            let inst = try r.string("inst") ?? "", claimedBy = try r.string("hosts") ?? ""
            let status = try r.string("status") ?? "?"
            #expect(status == "succeeded", "\(inst): \(status)\n\(logs())")
            #expect(!claimedBy.contains(","), "\(inst) ran on both hosts")
            hostOf[inst] = claimedBy
        }
        // Every candle stored equals okx-sim's.
        var equal = 0
        for inst in Self.instruments {
            let mine = try OKXReliability.stored(c, inst, "1m", fromMs: from, toMs: to)
            let theirs = try await sim.candles(instId: inst, bar: "1m", fromMs: from, toMs: to)
            #expect(mine == theirs, "\(inst): \(mine.count) stored for okx-sim's \(theirs.count)")
            if mine == theirs && !mine.isEmpty { equal += 1 }
        }

        // The peak number of requests okx-sim accepted in any 2 s window, per host and for both:
        // differences between samples at most 2 s apart (a lower bound of the true sliding peak).
        func series(_ host: String?) -> [(ContinuousClock.Instant, Int)] {
            samples.map { s in (s.t, s.perInst.filter { host == nil || hostOf[$0.key] == host }.values.reduce(0, +)) }
        }
        func peak(_ s: [(ContinuousClock.Instant, Int)]) -> Int {
            var best = 0, i = 0
            for j in s.indices {
                while s[j].0 - s[i].0 > .seconds(2) { i += 1 }
                best = max(best, s[j].1 - s[i].1)
            }
            return best
        }
        // Seconds in which a host ran at its limit: 1 s windows with >= 8 requests (of 10 / s).
        func busySeconds(_ s: [(ContinuousClock.Instant, Int)]) -> Int {
            var n = 0, i = 0, last = started - .seconds(10)
            for j in s.indices {
                while s[j].0 - s[i].0 > .seconds(1) { i += 1 }
                if s[j].1 - s[i].1 >= 8 && s[j].0 - last >= .seconds(1) { n += 1; last = s[j].0 }
            }
            return n
        }
        let peakA = peak(series(hosts.a.name)), peakB = peak(series(hosts.b.name)), peakBoth = peak(series(nil))
        let totalA = series(hosts.a.name).last?.1 ?? 0, totalB = series(hosts.b.name).last?.1 ?? 0
        let counts = try await sim.counts("history-candles")
        let waits = Dictionary(try c.query("""
            select rate_key, refusals::int as n from market.okx_rate_limits where endpoint = 'history-candles'
            """).rows().map { (try $0.string("rate_key") ?? "", try $0.int("n") ?? 0) }, uniquingKeysWith: +)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("okx budget per host: \(Self.instruments.count) backfills x \(Self.days) days of 1m at OKX's real limits "
              + "(hostA ran \(hostOf.values.filter { $0 == hosts.a.name }.count), hostB \(hostOf.values.filter { $0 == hosts.b.name }.count)); "
              + "history-candles from \(hosts.a.address) (hostA) \(totalA), peak \(peakA)/2 s, ~\(busySeconds(series(hosts.a.name))) s at its limit, "
              + "waited \(waits[hosts.a.name] ?? 0)x; from \(hosts.b.address) (hostB) \(totalB), peak \(peakB)/2 s, "
              + "~\(busySeconds(series(hosts.b.name))) s at its limit, waited \(waits[hosts.b.name] ?? 0)x; "
              + "both together peak \(peakBoth)/2 s (one IP's limit: 20); refused \(counts.refused), accepted \(counts.accepted) "
              + "in \(String(format: "%.1f", seconds)) s; \(equal)/\(Self.instruments.count) instruments = okx-sim's")
        #expect(counts.refused == 0, "okx-sim refused requests: a host exceeded its IP's budget")
        #expect(hostOf.count == Self.instruments.count)
        #expect(totalA > 0 && totalB > 0, "both hosts fetched")
        #expect(peakA >= 12 && peakB >= 12, "each host got close to its 20 / 2 s")
        #expect(peakBoth > 20, "the two hosts together exceeded one IP's budget")
        #expect(equal == Self.instruments.count)
    }
}

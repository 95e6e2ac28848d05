// `candlestack stream` processes against an okx-sim process (real time, so bars close) and a
// migrated database: stored candles equal okx-sim's REST truth, a stream killed across a bar
// close leaves no hole once its gap fill ran, two processes share the series through leases.
import CivilTime
import Foundation
import Postgres
import TestSupport
import Testing

/// A `candlestack stream` process with its JSON log in a file.
final class StreamProcess: @unchecked Sendable {
    let pid: pid_t
    let logPath: String
    private var exited: Int32?

    init(conninfo: String, wsURL: String, restURL: String, _ extra: [String] = [],
         rateKey: String = "stream-test-\(UUID().uuidString.prefix(8))") throws {
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString).log").path
        pid = try Shell.spawn(Paths.executable("candlestack"),
                              ["stream", "--database-url", conninfo, "--okx-ws-url", wsURL, "--okx-base-url", restURL,
                               "--rate-key", rateKey] + (extra.contains("--lease-seconds") ? extra : ["--lease-seconds", "3"] + extra),
                              stdout: logPath, stderr: logPath)
    }

    func signal(_ sig: Int32) { kill(pid, sig) }

    @discardableResult
    func wait() async -> Int32 {
        while true {
            if let exited { return exited }
            if let status = Shell.poll(pid) { exited = status; return status }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    deinit {
        if exited == nil { kill(pid, SIGKILL); _ = Shell.wait(pid) }
        unlink(logPath)
    }
}

struct StreamFixture {
    let conninfo: String
    let sim: OKXSimProcess
    let c: Connection

    static func make(series: [String], rateLimitScale: Double = 10) async throws -> StreamFixture {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let from = UTCTime.iso(ms: (now / 86_400_000 - 2) * 86_400_000)
        let sim = try await OKXSimProcess.start(seed: 5, from: from, rateLimitScale: rateLimitScale)
        let c = try Connection(conninfo)
        for inst in series {
            // Added disabled-then-enabled would queue backfills too; the stream needs only the row.
            _ = try c.query("insert into market.watchlist (inst_id, bar, history_from) values ($1, '1m', now() - interval '1 hour')", [inst])
        }
        return StreamFixture(conninfo: conninfo, sim: sim, c: c)
    }

    var wsURL: String { sim.baseURL.absoluteString.replacingOccurrences(of: "http://", with: "ws://") }

    /// Stored rows of a series as OKX row strings, oldest first.
    func stored(_ inst: String) throws -> [[String]] {
        let r = try c.query("""
            select (extract(epoch from ts) * 1000)::bigint::text as ts, open::text, high::text, low::text, close::text,
                   volume::text, coalesce(volume_ccy::text, '') as vc, coalesce(volume_quote::text, '') as vq,
                   case when confirmed then '1' else '0' end as k
              from market.candles where inst_id = $1 and bar = '1m' order by ts
            """, [inst])
        return try r.rows().map { row in try ["ts", "open", "high", "low", "close", "volume", "vc", "vq", "k"].map { try row.string($0) ?? "" } }
    }

    func confirmedCount(_ inst: String) throws -> Int {
        try c.query("select count(*)::int as n from market.candles where inst_id = $1 and confirmed", [inst]).first?.int("n") ?? 0
    }

    /// Confirmed stored rows that differ from okx-sim's REST rows (numbers compared as numeric text).
    func differing(_ inst: String) async throws -> Int {
        let rows = try stored(inst).filter { $0[8] == "1" }
        guard let first = rows.first, let last = rows.last, let lo = Int64(first[0]), let hi = Int64(last[0]) else { return 0 }
        let truth = try await sim.candles(instId: inst, bar: "1m", fromMs: lo, toMs: hi + 60_000)
        let byTs = Dictionary(truth.map { ($0[0], $0) }, uniquingKeysWith: { a, _ in a })
        return rows.filter { row in
            guard let t = byTs[row[0]] else { return true }
            return zip(row.dropFirst().prefix(7), t.dropFirst().prefix(7)).contains { Decimal(string: $0) != Decimal(string: $1) }
        }.count
    }

    func close() { c.close(); sim.stop() }
}

@Suite("candlestack stream", .serialized)
struct StreamProcessTests {
    @Test("the stream stores forming candles, then the confirmed candle equal to okx-sim's REST row; SIGTERM exits 0 and releases the leases")
    func storesRESTTruth() async throws {
        let f = try await StreamFixture.make(series: ["BTC-USDT", "ETH-USDT"])
        defer { f.close() }
        let s = try StreamProcess(conninfo: f.conninfo, wsURL: f.wsURL, restURL: f.sim.baseURL.absoluteString)
        let got = try await eventually(timeout: .seconds(90), every: .milliseconds(200)) {
            try f.confirmedCount("BTC-USDT") >= 1 && f.confirmedCount("ETH-USDT") >= 1
        }
        #expect(got, "a confirmed candle of each series is stored after its bar closes\n\(s.log.suffix(1500))")
        let differBTC = try await f.differing("BTC-USDT"), differETH = try await f.differing("ETH-USDT")
        #expect(differBTC == 0 && differETH == 0, "confirmed candles equal okx-sim's REST rows")
        let forming = try f.stored("BTC-USDT").filter { $0[8] == "0" }.count
        #expect(forming <= 1, "at most the current candle is stored forming (\(forming))")
        s.signal(SIGTERM)
        #expect(await s.wait() == 0, "SIGTERM: exit 0\n\(s.log.suffix(1500))")
        #expect(try f.c.query("select count(*)::int as n from market.stream_leases").first?.int("n") == 0, "leases released")
        #expect(s.log.contains("\"stream connected\"") || s.log.contains("stream connected"), "JSON log lines")
    }

    @Test("two stream processes share the series; one killed with SIGKILL, the other takes its series within the lease time")
    func leasesHandOver() async throws {
        let series = ["BTC-USDT", "ETH-USDT", "SOL-USDT", "XRP-USDT"]
        let f = try await StreamFixture.make(series: series)
        defer { f.close() }
        let a = try StreamProcess(conninfo: f.conninfo, wsURL: f.wsURL, restURL: f.sim.baseURL.absoluteString, ["--stream-id", "a"])
        let b = try StreamProcess(conninfo: f.conninfo, wsURL: f.wsURL, restURL: f.sim.baseURL.absoluteString, ["--stream-id", "b"])
        func holders() throws -> [String: Int] {
            var out: [String: Int] = [:]
            for row in try f.c.query("select holder, count(*)::int as n from market.stream_leases where expires_at > clock_timestamp() group by holder").rows() {
                out[try row.string("holder") ?? ""] = try row.int("n") ?? 0
            }
            return out
        }
        let shared = try await eventually(timeout: .seconds(60), every: .milliseconds(200)) { try holders() == ["a": 2, "b": 2] }
        let h1 = try holders()
        #expect(shared, "each process holds half the series: \(h1)")
        a.signal(SIGKILL)
        await a.wait()
        let taken = try await eventually(timeout: .seconds(60), every: .milliseconds(200)) { try holders() == ["b": 4] }
        let h2 = try holders()
        #expect(taken, "the survivor holds every series: \(h2)\n\(b.log.suffix(1500))")
        // The survivor streams the series it took: the next bar of all four gets stored (okx-sim's
        // forming 1m candle changes only once a minute, so this waits for a new bar).
        let before = try f.c.query("select max(ingested_at) as t from market.candles").first?.string("t") ?? ""
        let fresh = try await eventually(timeout: .seconds(90), every: .milliseconds(200)) {
            try f.c.query("select count(distinct inst_id)::int as n from market.candles where ingested_at > $1::timestamptz",
                          [before.isEmpty ? "-infinity" : before]).first?.int("n") == 4
        }
        #expect(fresh, "all four series keep arriving")
        b.signal(SIGTERM)
        #expect(await b.wait() == 0)
    }

    @Test("a stream killed with SIGKILL for three minutes and restarted queues the REST fill: no hole once a worker ran it")
    func killedStreamLeavesNoHole() async throws {
        let f = try await StreamFixture.make(series: ["BTC-USDT"])
        defer { f.close() }
        let rest = f.sim.baseURL.absoluteString
        let s1 = try StreamProcess(conninfo: f.conninfo, wsURL: f.wsURL, restURL: rest)
        #expect(try await eventually(timeout: .seconds(30), every: .milliseconds(100)) { try !f.stored("BTC-USDT").isEmpty })
        s1.signal(SIGKILL)
        await s1.wait()
        let lastBefore = Int64(try f.stored("BTC-USDT").last?[0] ?? "0") ?? 0
        // Away for three minutes (three bar closes or more, plus the 3 s lease of the dead process).
        while Int64(Date().timeIntervalSince1970 * 1000) < lastBefore + 4 * 60_000 + 3_000 {
            try await Task.sleep(for: .milliseconds(500))
        }
        let s2 = try StreamProcess(conninfo: f.conninfo, wsURL: f.wsURL, restURL: rest)
        let queued = try await eventually(timeout: .seconds(30), every: .milliseconds(200)) {
            try f.c.query("select count(*)::int as n from queue.jobs where kind = 'repair_gaps' and unique_key = 'ingest_hole:BTC-USDT:1m'").first?.int("n") == 1
        }
        #expect(queued, "the restarted stream queues the fill of what it missed\n\(s2.log.suffix(1500))")
        let w = try WorkerProcess(conninfo: f.conninfo, ["--okx-base-url", rest, "--kinds", "repair_gaps", "--exit-when-idle",
                                                         "--okx-rate-limit-scale", "10", "--log-level", "warning"])
        #expect(await w.wait() == 0, "\(w.log.suffix(1500))")
        // Wait for the current bar's confirmed push, then the stored series must be complete and true.
        let nowBar = Int64(Date().timeIntervalSince1970 * 1000) / 60_000 * 60_000
        _ = try await eventually(timeout: .seconds(90), every: .milliseconds(200)) {
            try f.stored("BTC-USDT").contains { $0[0] == String(nowBar) && $0[8] == "1" }
        }
        let rows = try f.stored("BTC-USDT")
        let ts = rows.compactMap { Int64($0[0]) }
        let holes = zip(ts, ts.dropFirst()).filter { $1 - $0 != 60_000 }.count
        #expect(holes == 0, "no hole in the stored series (\(rows.count) rows)")
        #expect(rows.dropLast().allSatisfy { $0[8] == "1" }, "every closed bar stored confirmed")
        let differ = try await f.differing("BTC-USDT")
        #expect(differ == 0, "equal to okx-sim's REST rows")
        s2.signal(SIGTERM)
        #expect(await s2.wait() == 0)
    }
}

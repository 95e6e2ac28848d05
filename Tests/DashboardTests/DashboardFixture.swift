import Foundation
import Logging
import Postgres
import TestSupport
import Worker
#if canImport(Glibc)
import Glibc
#endif

/// One migrated database filled with 1m candles, a backtest, an optimisation, a walk-forward, a
/// named strategy and queued jobs, and `candlestack serve` running on it as a fresh
/// candlestack_bi login. Shared by the dashboard tests (they only read).
final class DashboardFixture: Sendable {
    static let shared = Task { try await DashboardFixture() }
    static let inst = "BTC-USDT"
    static let range = #""inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-01-15""#

    let conninfo: String
    let login: String
    let port: Int
    let backtestRun: Int64, optimizeRun: Int64, walkForwardRun: Int64, jobID: Int64
    let pid: pid_t

    init() async throws {
        conninfo = try TestCluster.shared.createMigratedDatabase()
        let c = try Connection(conninfo)
        defer { c.close() }
        let minutes = 20_000
        _ = try c.query("select market.ensure_candle_partitions('2024-01-01Z', '2024-01-01Z'::timestamptz + make_interval(mins => $1))", [minutes])
        _ = try c.query("""
            insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
            select $1, '1m', ts, round(o::numeric, 6), round((greatest(o, c) * 1.001)::numeric, 6),
                   round((least(o, c) * 0.999)::numeric, 6), round(c::numeric, 6), 1 + (i % 7)
              from (select i, '2024-01-01Z'::timestamptz + make_interval(mins => i) as ts,
                           100 + 10 * sin(i / 200.0) + 3 * sin(i / 37.0) + i * 0.0005 as o,
                           100 + 10 * sin((i + 1) / 200.0) + 3 * sin((i + 1) / 37.0) + (i + 1) * 0.0005 as c
                      from generate_series(0, $2 - 1) as i) as s
            """, [Self.inst, minutes])
        _ = try c.query("insert into backtest.strategies (name, engine, params, description) values ('dash-sma', 'sma_cross', '{\"fast\": 10, \"slow\": 30}', 'dashboard test')")
        backtestRun = try await Self.run(c, conninfo, BacktestHandler(), """
            {\(Self.range), "engine": "sma_cross", "params": {"fast": 10, "slow": 30, "stop_loss_pct": 2}}
            """)
        optimizeRun = try await Self.run(c, conninfo, OptimizeHandler(), """
            {\(Self.range), "engine": "sma_cross", "grid": {"fast": [5, 10, 20], "slow": [30, 50, 100]}, "objective": "total_return_pct", "min_trades": 1}
            """)
        walkForwardRun = try await Self.run(c, conninfo, WalkForwardHandler(), """
            {\(Self.range), "engine": "sma_cross", "grid": {"fast": [5, 10], "slow": [30, 60]}, "train": "3 days", "test": "1 day", "mode": "rolling"}
            """)
        jobID = try c.query("select id from queue.enqueue('noop', '{}'::jsonb)").first!.int64("id")!
        // Two listed coins for /coins: BTC-USDT has the 1m candles above (a sparkline), ETH-USDT none.
        _ = try c.query("""
            insert into market.instruments (inst_id, inst_type, base_ccy, quote_ccy)
            values ('BTC-USDT', 'SPOT', 'BTC', 'USDT'), ('ETH-USDT', 'SPOT', 'ETH', 'USDT')
            """)
        _ = try c.query("""
            insert into market.tickers (inst_id, inst_type, last, open_24h, vol_24h, vol_ccy_24h, ts)
            values ('BTC-USDT', 'SPOT', 110, 100, 5, 550, '2024-01-14Z'), ('ETH-USDT', 'SPOT', 9, 10, 50, 450, '2024-01-14Z')
            """)
        _ = try c.query("select market.refresh_views()")

        login = "dash_bi_\(getpid())_\(Int.random(in: 0..<1_000_000))"
        try c.executeScript("create role \(Connection.quoteIdentifier(login)) login in role candlestack_bi; alter role \(Connection.quoteIdentifier(login)) set default_transaction_read_only = on")
        let out = NSTemporaryDirectory() + "dashboard-\(login).out"
        // `timeout` ends the server even if the test process dies without a word.
        pid = try Shell.spawn("/usr/bin/timeout", ["900", Paths.executable("candlestack"), "serve", "--port", "0",
                                                   "--database-url", "\(conninfo) user=\(login)"], stdout: out, stderr: out)
        var found: Int? = nil
        for _ in 0..<400 where found == nil {
            if let text = try? String(contentsOfFile: out, encoding: .utf8),
               let r = text.range(of: #"127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                found = Int(text[r].split(separator: ":")[1])
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        guard let found else { throw PostgresError(kind: .client, message: "candlestack serve did not start: \((try? String(contentsOfFile: out, encoding: .utf8)) ?? "")") }
        port = found
    }

    static func run(_ c: Connection, _ conninfo: String, _ handler: any JobHandler, _ payload: String) async throws -> Int64 {
        _ = try c.query("select id from queue.enqueue($1, $2::jsonb)", [handler.kind, payload])
        guard let row = try c.query("select id, kind, payload::text as payload, attempts, max_attempts, parent_id from queue.claim('dash-worker', array[$1], 1, '5 minutes')", [handler.kind]).first else {
            throw PostgresError(kind: .client, message: "nothing claimed")
        }
        let job = Job(id: try row.int64("id")!, kind: try row.string("kind")!, payloadJSON: try row.string("payload")!,
                      attempt: try row.int("attempts") ?? 1, maxAttempts: try row.int("max_attempts") ?? 3, parentID: nil)
        var logger = Logger(label: "dashboard-tests")
        logger.logLevel = .warning
        let context = JobContext(job: job, database: Database(conninfo: conninfo, applicationName: "dashboard-tests"), logger: logger, workerID: "dash-worker")
        let out = try await handler.run(job, context)
        let object = try JSONSerialization.jsonObject(with: Data((out?.text ?? "{}").utf8)) as? [String: Any] ?? [:]
        guard let id = object["run_id"] as? Int else { throw PostgresError(kind: .client, message: "no run_id in \(out?.text ?? "")") }
        return Int64(id)
    }

    func scalar(_ sql: String, _ params: [any SQLParameter] = []) throws -> String? {
        let c = try Connection(conninfo)
        defer { c.close() }
        return try c.query(sql, params).first?.string(0)
    }

    /// One HTTP/1.1 GET over a plain socket (the server closes after each answer).
    func get(_ target: String) throws -> HTTPAnswer { try HTTPAnswer.get(port: port, target: target) }
}

struct HTTPAnswer {
    var status: Int
    var headers: [String: String]
    var body: String

    static func get(port: Int, target: String) throws -> HTTPAnswer {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET); a.sin_port = UInt16(port).bigEndian
        a.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { throw PostgresError(kind: .client, message: "connect failed") }
        let request = Array("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        var off = 0
        while off < request.count {
            let n = request[off...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            off += n
        }
        var data = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 65536)
        while true { let n = read(fd, &buf, buf.count); if n <= 0 { break }; data += buf[0..<n] }
        let text = String(decoding: data, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw PostgresError(kind: .client, message: "no HTTP answer to \(target.prefix(60))") }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for l in lines.dropFirst() { if let c = l.firstIndex(of: ":") { headers[l[..<c].lowercased()] = l[l.index(after: c)...].trimmingCharacters(in: .whitespaces) } }
        return HTTPAnswer(status: status, headers: headers, body: String(text[split.upperBound...]))
    }

    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
    }
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Postgres
import Testing
import TestSupport

@Suite("Worker metrics")
struct WorkerMetricsTests {
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    @Test func aScrapeShowsJobsByKindAndOutcomeAndTheQueueDepth() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let c = try Connection(conninfo)
        try c.query("insert into queue.jobs (kind, payload) select 'noop', '{}' from generate_series(1, 5)")
        try c.query("insert into queue.jobs (kind, payload, max_attempts) values ('noop', '{\"fail\": true}', 1)")
        let port = Self.freePort()
        let worker = try WorkerProcess(conninfo: conninfo, ["--metrics-port", String(port)])
        #expect(try await eventually { try c.query("select count(*) as n from queue.jobs where status in ('succeeded', 'failed')").first?.int("n") == 6 })
        try c.query("insert into queue.jobs (kind, payload, run_at) values ('noop', '{}', now() + interval '1 hour')")
        var text = ""
        for _ in 0..<50 {
            if let (data, _) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!) {
                text = String(decoding: data, as: UTF8.self)
                if text.contains("outcome=\"failed\"") { break }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(text.contains("# TYPE candlestack_jobs_claimed_total counter"))
        #expect(text.contains("candlestack_jobs_claimed_total{kind=\"noop\"} 6"))
        #expect(text.contains("candlestack_jobs_finished_total{kind=\"noop\",outcome=\"succeeded\"} 5"))
        #expect(text.contains("candlestack_jobs_finished_total{kind=\"noop\",outcome=\"failed\"} 1"))
        #expect(text.contains("candlestack_job_duration_seconds_count{kind=\"noop\"} 6"))
        #expect(text.contains("candlestack_queue_jobs{kind=\"noop\",state=\"scheduled\"} 1"))
        // OKX counters by endpoint are there from the start (zero until a job calls OKX).
        #expect(text.contains("# TYPE candlestack_okx_requests_total counter"))
        #expect(text.contains("candlestack_okx_requests_total{endpoint=\"history-candles\"} 0"))
        #expect(text.contains("candlestack_okx_refusals_total{endpoint=\"candles\"} 0"))
        worker.signal(SIGTERM)
        #expect(await worker.wait() == 0)
    }
}

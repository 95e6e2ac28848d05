import Foundation
import Postgres
import Testing
import TestSupport

/// The reliability target for database outages: PostgreSQL stopped for 10 seconds in the middle
/// of a run; workers reconnect, the run completes, nothing is lost, and the logs say so briefly.
@Suite("Reliability: database restart")
struct DatabaseRestartTests {
    @Test func workersReconnectAfterATenSecondOutageAndLoseNothing() async throws {
        let cluster = try TestCluster.start()
        defer { cluster.stop() }
        let admin = try Connection(cluster.conninfo())
        try admin.executeScript("create database q")
        admin.close()
        let conninfo = cluster.conninfo("q")
        #expect(try await Shell.run(Paths.executable("candlestack"), ["migrate", "--database-url", conninfo]).status == 0)
        let c1 = try Connection(conninfo)
        try c1.query("""
            insert into queue.jobs (kind, payload)
            select 'noop', jsonb_build_object('sleep_ms', (i % 5) * 20, 'record_effect', true) from generate_series(1, 2000) as i
            """)
        c1.close()
        let workers = try (0..<2).map { _ in
            try WorkerProcess(conninfo: conninfo, ["--concurrency", "8", "--lease-seconds", "5", "--maintenance-seconds", "1"])
        }
        await pause(1.5)
        try cluster.stopServer()
        let stoppedAt = ContinuousClock.now
        await pause(10)
        try cluster.startServer()
        let outage = ContinuousClock.now - stoppedAt
        let c2 = try Connection(conninfo)
        try c2.query("""
            insert into queue.jobs (kind, payload) select 'noop', '{"record_effect": true}' from generate_series(1, 500)
            """)
        #expect(try await eventually(timeout: .seconds(90)) {
            try c2.query("select count(*) as n from queue.jobs where status in ('queued', 'running')").first?.int("n") == 0
        })
        for w in workers { w.signal(SIGTERM) }
        for w in workers { #expect(await w.wait() == 0) }
        let row = try #require(try c2.query("""
            select count(*) filter (where status = 'succeeded') as succeeded,
                   count(*) filter (where status <> 'succeeded') as not_succeeded,
                   (select count(*) from queue.noop_effects) as effects
              from queue.jobs
            """).first)
        let logs = workers.map(\.log)
        let logLines = logs.map { $0.split(separator: "\n").filter { $0.contains("database") }.count }
        let unavailable = logs.map { $0.components(separatedBy: "database unavailable").count - 1 }
        let restored = logs.map { $0.components(separatedBy: "database connection restored").count - 1 }
        print("database restart: 2500 jobs, 2 workers, outage \(Int(outage.components.seconds)) s, "
              + "\(try row.int("succeeded") ?? 0) succeeded, \(try row.int("not_succeeded") ?? 0) lost, "
              + "\((try row.int("effects") ?? 0) - (try row.int("succeeded") ?? 0)) duplicated effects, "
              + "log lines about the database per worker: \(logLines.map(String.init).joined(separator: ", "))")
        #expect(try row.int("succeeded") == 2500)
        #expect(try row.int("effects") == 2500)
        for i in 0..<2 {
            #expect(unavailable[i] >= 1 && unavailable[i] <= 6, "worker \(i) logged the outage \(unavailable[i]) times")
            #expect(restored[i] >= 1 && restored[i] <= 6, "worker \(i) logged the recovery \(restored[i]) times")
            #expect(logLines[i] <= 20, "worker \(i) wrote \(logLines[i]) lines about the database")
        }
    }
}

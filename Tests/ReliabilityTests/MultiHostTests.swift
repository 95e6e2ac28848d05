import Foundation
import Postgres
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Beyond one machine: workers on two "hosts" (network namespaces with their own addresses and
/// host names) drain one queue on the primary over TCP, while a streaming replica made with
/// pg_basebackup serves every `bi` view to a candlestack_bi login. Needs root and `ip netns`.
@Suite("Reliability: two hosts and a replica")
struct MultiHostTests {
    static let jobs = 3000

    @Test(.enabled("needs root and `ip netns` (network namespaces); CI runs as root") {
        NetnsHosts.available(for: "MultiHostTests")
    }, .timeLimit(.minutes(3)))
    func twoHostsDrainOneQueueWhileAReplicaServesBI() async throws {
        // The primary also listens on the root-side veth addresses, and lets the two /30s in.
        let cluster = try await TwoHostCluster.start()
        defer { cluster.stop() }
        let primary = cluster.primary, hosts = cluster.hosts, database = cluster.database
        let c = try Connection(cluster.conninfo)
        defer { c.close() }
        // 3,000 noop jobs recording their effect with the completion; every tenth sleeps 0.1-0.8 s.
        try c.query("""
            insert into queue.jobs (kind, payload)
            select 'noop',
                   case when i % 10 = 0 then jsonb_build_object('sleep_ms', 100 + (i * 7919) % 700, 'record_effect', true)
                        else '{"record_effect": true}'::jsonb end
              from generate_series(1, \(Self.jobs)) as i
            """)
        let biLogin = "bi_reader_\(getpid())"
        try c.executeScript("create role \(Connection.quoteIdentifier(biLogin)) login in role candlestack_bi")
        try c.query("select * from market.refresh_views()")

        // The replica, caught up with everything above before any worker starts.
        let replica = try primary.startReplica()
        defer { replica.stop() }
        let r = try Connection(replica.conninfo(database))
        defer { r.close() }
        func primaryLSN() throws -> String { try #require(try c.query("select pg_current_wal_lsn()::text as lsn").first?.string("lsn")) }
        let setupLSN = try primaryLSN()
        #expect(try await eventually(timeout: .seconds(30)) {
            try r.query("select pg_last_wal_replay_lsn() >= $1::pg_lsn as ok", [setupLSN]).first?.bool("ok") == true
        }, "replica did not catch up with the primary")

        // Two workers per host, each connecting to the primary through its own veth pair.
        var workers: [NamespacedWorker] = []
        defer {
            for w in workers { w.signal(SIGKILL) }
            for w in workers { w.wait() }
        }
        for host in [hosts.a, hosts.b] {
            let url = cluster.conninfo(from: host)
            for i in 1...2 {
                workers.append(try NamespacedWorker(on: host, conninfo: url, [
                    "--worker-id", "\(host.name)-\(i)", "--concurrency", "4", "--exit-when-idle",
                    "--lease-seconds", "30", "--maintenance-seconds", "1", "--log-level", "warning"]))
            }
        }
        func logs() -> String { workers.map { "--- \($0.host.name) pid \($0.pid):\n\($0.log)" }.joined(separator: "\n") }
        func open() throws -> Int {
            try c.query("select count(*) as n from queue.jobs where status in ('queued', 'running')").first?.int("n") ?? -1
        }

        // Both hosts connected (seen by their own addresses) and writing.
        var clients: Set<String> = []
        let connected = try await eventually(timeout: .seconds(30)) {
            clients = Set(try c.query("""
                select distinct host(client_addr) as a from pg_stat_activity
                 where datname = current_database() and client_addr is not null
                """).rows().compactMap { try $0.string("a") })
            let effects = try c.query("select count(*) as n from queue.noop_effects").first?.int("n") ?? 0
            return clients.isSuperset(of: [hosts.a.address, hosts.b.address]) && effects >= 300
        }
        try #require(connected, "workers of both hosts did not connect and write: clients \(clients)\n\(logs())")
        #expect(clients.isSubset(of: [hosts.a.address, hosts.b.address]), "unexpected client addresses \(clients)")

        // While they write: every bi view, read on the replica by the bi login.
        let bi = try Connection(replica.conninfo(database, user: biLogin))
        defer { bi.close() }
        let listViews = """
            select format('%I.%I', schemaname, viewname) as v from pg_views where schemaname = 'bi'
            union all
            select format('%I.%I', schemaname, matviewname) from pg_matviews where schemaname = 'bi'
            order by 1
            """
        let views = try bi.query(listViews).rows().compactMap { try $0.string("v") }
        let primaryViews = try c.query(listViews).rows().compactMap { try $0.string("v") }
        var served: [String] = []
        for view in views {
            do {
                _ = try bi.query("select count(*) as n from \(view)").first?.int("n")
                served.append(view)
            } catch {
                Issue.record("replica: \(biLogin) cannot read \(view): \(error)")
            }
        }
        let replayLSN = try #require(try r.query("select pg_last_wal_replay_lsn()::text as lsn").first?.string("lsn"))
        let lag = try c.query("select pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint as lag", [replayLSN]).first?.int("lag") ?? -1
        let openAfterCheck = try open()
        let replicaEffects = try r.query("select count(*) as n from queue.noop_effects").first?.int("n") ?? 0
        #expect(openAfterCheck > 0, "the workers had finished before the replica check ended")
        #expect(views == primaryViews && served == views, "bi views on the primary \(primaryViews), on the replica \(views), served \(served)")
        #expect(Set(["bi.top_coins", "bi.daily_candles", "bi.data_coverage"]).isSubset(of: served), "materialized views not served: \(served)")
        #expect(replicaEffects > 0, "the replica did not see the workers' writes")

        // The replica refuses writes; the bi login cannot read the queue.
        func sqlState(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch let e as PostgresError { return e.sqlState ?? "no SQLSTATE" } catch { return "\(error)" }
        }
        let writeRefused = sqlState { try r.query("insert into queue.noop_effects (job_id, worker_id, attempt) values (-1, 'replica', 1)") }
        let queueRefused = sqlState { try bi.query("select count(*) from queue.jobs") }
        #expect(writeRefused == "25006")
        #expect(queueRefused == "42501")

        // The workers drain the queue and exit (--exit-when-idle).
        let drained = try await eventually(timeout: .seconds(60), every: .milliseconds(200)) { workers.allSatisfy { $0.poll() != nil } }
        #expect(drained, "workers still running\n\(logs())")
        for w in workers { #expect(w.poll() == 0, "\(w.host.name) worker pid \(w.pid) exited \(String(describing: w.poll()))\n\(w.log)") }

        let row = try #require(try c.query("""
            select count(*) as jobs,
                   count(*) filter (where status = 'succeeded') as succeeded,
                   count(*) filter (where attempts > 1) as rerun,
                   count(*) filter (where status <> 'succeeded'
                                       or not exists (select 1 from queue.noop_effects e where e.job_id = j.id)) as lost,
                   (select count(*) from queue.noop_effects) as effects,
                   (select count(*) from queue.noop_effects e where e.attempt <> 1) as late_effects,
                   (select count(*) from queue.noop_effects where worker_id like 'hostA-%') as host_a,
                   (select count(*) from queue.noop_effects where worker_id like 'hostB-%') as host_b,
                   (select count(*) from queue.job_events where event = 'rescued') as rescued,
                   (select count(*) from queue.workers) as workers,
                   (select count(*) from queue.workers where host = split_part(id, '-', 1) and stopped_at is not null) as workers_on_their_host
              from queue.jobs as j
            """).first)
        let jobs = try row.int("jobs") ?? 0
        let succeeded = try row.int("succeeded") ?? 0
        let effects = try row.int("effects") ?? 0
        let lost = try row.int("lost") ?? -1
        // A job run twice shows as a second attempt, or as a second effect (impossible: job_id is the key).
        let runTwice = (try row.int("rerun") ?? 0) + max(0, effects - succeeded)
        let hostA = try row.int("host_a") ?? 0
        let hostB = try row.int("host_b") ?? 0
        let registered = try c.query("select id, host from queue.workers order by id").rows()
            .map { "\((try? $0.string("id")) ?? "?")@\((try? $0.string("host")) ?? "?")" }
        print("two hosts + replica: \(jobs) jobs on \(try row.int("workers") ?? 0) workers in 2 namespaces "
              + "(hostA \(hostA), hostB \(hostB)), \(runTwice) run twice, \(lost) lost; "
              + "connections from \(clients.sorted().joined(separator: " and ")); "
              + "replica served \(served.count) bi views to candlestack_bi login \(biLogin) while workers wrote "
              + "(\(openAfterCheck) jobs still open after the check, lag at check \(lag) bytes); "
              + "replica write refused \(writeRefused ?? "no"), bi read of queue.jobs refused \(queueRefused ?? "no")")
        #expect(jobs == Self.jobs)
        #expect(succeeded == Self.jobs)
        #expect(lost == 0)
        #expect(runTwice == 0)
        #expect(effects == Self.jobs)
        #expect(try row.int("late_effects") == 0)
        #expect(try row.int("rescued") == 0)
        #expect(hostA > 0 && hostB > 0 && hostA + hostB == Self.jobs)
        #expect(try row.int("workers") == 4)
        #expect(try row.int("workers_on_their_host") == 4, "queue.workers: \(registered)")
    }
}

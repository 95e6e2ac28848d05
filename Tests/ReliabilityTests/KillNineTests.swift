import Foundation
import Postgres
import Testing
import TestSupport

/// The reliability target for crashes: workers killed with SIGKILL in the middle of jobs; every
/// job still ends exactly once, as succeeded or failed for good.
@Suite("Reliability: kill -9")
struct KillNineTests {
    @Test func everyJobEndsExactlyOnceWhileWorkersAreKilled() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let c = try Connection(conninfo)
        // 5,000 noop jobs that record their effect in the completing transaction: most instant,
        // some slow (0.2-1.5 s), some failing their first attempt, some failing for good.
        try c.query("""
            insert into queue.jobs (kind, payload, max_attempts)
            select 'noop',
                   case when i % 20 = 0 then '{"fail": true, "record_effect": true}'::jsonb
                        when i % 20 = 1 then '{"fail_attempts": 1, "record_effect": true}'::jsonb
                        when i % 10 = 2 then jsonb_build_object('sleep_ms', 200 + (i * 7919) % 1300, 'record_effect', true)
                        else '{"record_effect": true}'::jsonb end,
                   case when i % 20 = 0 then 2 else 25 end
              from generate_series(1, 5000) as i
            """)
        let args = ["--concurrency", "16", "--lease-seconds", "2", "--maintenance-seconds", "0.5",
                    "--grace-seconds", "1", "--log-level", "warning"]
        var workers = try (0..<3).map { _ in try WorkerProcess(conninfo: conninfo, args) }
        var kills = 0
        let deadline = ContinuousClock.now + .seconds(240)
        func open() throws -> Int {
            try c.query("select count(*) as n from queue.jobs where status in ('queued', 'running')").first?.int("n") ?? -1
        }
        // Kill one of the three every two seconds, and at every 500 jobs finished, and start it
        // again, while jobs remain: at least nine kills however fast or slow the machine is.
        func finished() throws -> Int {
            try c.query("select count(*) as n from queue.jobs where status in ('succeeded', 'failed')").first?.int("n") ?? 0
        }
        var lastKill = ContinuousClock.now
        var nextMilestone = 500
        while try open() > 0 && ContinuousClock.now < deadline {
            await pause(0.05)
            let done = try finished()
            guard done >= nextMilestone || ContinuousClock.now - lastKill >= .seconds(2) else { continue }
            if done >= nextMilestone { nextMilestone += 500 }
            guard try open() > 0 else { break }
            let victim = kills % workers.count
            await workers[victim].kill9()
            kills += 1
            lastKill = ContinuousClock.now
            workers[victim] = try WorkerProcess(conninfo: conninfo, args)
        }
        #expect(try await eventually(timeout: .seconds(60)) { try open() == 0 })
        for w in workers { w.signal(SIGTERM) }
        for w in workers { #expect(await w.wait() == 0) }

        let row = try #require(try c.query("""
            select count(*) as jobs,
                   count(*) filter (where status = 'succeeded') as succeeded,
                   count(*) filter (where status = 'failed') as failed,
                   count(*) filter (where status not in ('succeeded', 'failed')) as unfinished,
                   count(*) filter (where status = 'succeeded' and not exists (select 1 from queue.noop_effects e where e.job_id = j.id)) as lost,
                   count(*) filter (where status = 'failed' and (payload->>'fail')::boolean is not true) as wrongly_failed,
                   (select count(*) from queue.noop_effects) as effects,
                   (select count(*) from queue.noop_effects e join queue.jobs f on f.id = e.job_id and f.status <> 'succeeded') as stray_effects,
                   (select count(*) from queue.job_events where event = 'rescued') as rescued,
                   sum(attempts) - sum(case when (payload->>'fail')::boolean then max_attempts
                                            when payload ? 'fail_attempts' then 2 else 1 end) as wasted
              from queue.jobs as j
            """).first)
        let jobs = try row.int("jobs") ?? 0
        let succeeded = try row.int("succeeded") ?? 0
        let effects = try row.int("effects") ?? 0
        let lost = (try row.int("lost") ?? 0) + (try row.int("unfinished") ?? 0)
        let duplicated = effects - succeeded
        print("kill -9: \(jobs) jobs, \(kills) kills, \(lost) lost, \(max(0, duplicated)) duplicated effects, "
              + "\(try row.int("wasted") ?? 0) attempts wasted (\(try row.int("rescued") ?? 0) rescued leases), "
              + "\(succeeded) succeeded, \(try row.int("failed") ?? 0) failed for good as asked")
        #expect(jobs == 5000)
        #expect(lost == 0)
        #expect(duplicated == 0)
        #expect(try row.int("stray_effects") == 0)
        #expect(try row.int("wrongly_failed") == 0)
        #expect(try row.int("failed") == 250)
        #expect(kills >= 9)
    }
}

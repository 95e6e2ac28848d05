import Foundation
import Postgres
import Testing
import TestSupport

/// The reliability target for crashes: workers killed with SIGKILL in the middle of jobs, or frozen
/// past their leases and let go again; every job still ends exactly once, as succeeded or failed
/// for good, and its effect exists once: a noop_effects row, or one backtest run that its result names.
@Suite("Reliability: kill -9")
struct KillNineTests {
    @Test func everyJobEndsExactlyOnceWhileWorkersAreKilled() async throws {
        let conninfo = try TestCluster.shared.createMigratedDatabase()
        let c = try Connection(conninfo)
        // One day of 1m candles for the backtest-family jobs below.
        _ = try c.query("select market.ensure_candle_partitions('2024-01-01Z', '2024-01-02Z')")
        _ = try c.query("""
            insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
            select 'BTC-USDT', '1m', ts, round(o::numeric, 6), round((greatest(o, c) * 1.001)::numeric, 6),
                   round((least(o, c) * 0.999)::numeric, 6), round(c::numeric, 6), 1
              from (select '2024-01-01Z'::timestamptz + make_interval(mins => i) as ts,
                           100 + 10 * sin(i / 200.0) + 3 * sin(i / 37.0) as o,
                           100 + 10 * sin((i + 1) / 200.0) + 3 * sin((i + 1) / 37.0) as c
                      from generate_series(0, 1439) as i) as s
            """)
        // 5,000 noop jobs that record their effect in the completing transaction: most instant,
        // some slow (0.2-1.5 s), some failing their first attempt, some failing for good; and,
        // spread among them (ids in the same order), 400 real backtest, optimize and walk_forward
        // jobs whose effect is a run row committed before the completion: one run per job, and the
        // job's result names it, however the workers die.
        try c.query("""
            insert into queue.jobs (kind, payload, max_attempts)
            select kind, payload, max_attempts from (
              select i * 10 as k, 'noop' as kind,
                     case when i % 20 = 0 then '{"fail": true, "record_effect": true}'::jsonb
                          when i % 20 = 1 then '{"fail_attempts": 1, "record_effect": true}'::jsonb
                          when i % 10 = 2 then jsonb_build_object('sleep_ms', 200 + (i * 7919) % 1300, 'record_effect', true)
                          else '{"record_effect": true}'::jsonb end as payload,
                     case when i % 20 = 0 then 2 else 25 end as max_attempts
                from generate_series(1, 5000) as i
              union all
              select i * 125 + 5,
                     case when i % 10 = 0 then 'walk_forward' when i % 10 = 1 then 'optimize' else 'backtest' end,
                     '{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-01-02"}'::jsonb
                     || case when i % 10 = 0 then jsonb_build_object('engine', 'sma_cross', 'grid', jsonb_build_object(
                                  'fast', jsonb_build_array(5, 10), 'slow', jsonb_build_array(30, 60)),
                                  'train', '6 hours', 'test', '2 hours')
                             when i % 10 = 1 then jsonb_build_object('engine', 'ema_cross', 'grid', jsonb_build_object(
                                  'fast', jsonb_build_array(5, 10), 'slow', jsonb_build_array(20, 40)))
                             else jsonb_build_object('engine', 'sma_cross', 'params', jsonb_build_object(
                                  'fast', 3 + i % 10, 'slow', 20 + i % 30)) end,
                     25
                from generate_series(0, 399) as i
            ) as mix
            order by k
            """)
        let args = ["--concurrency", "16", "--lease-seconds", "2", "--maintenance-seconds", "0.5",
                    "--grace-seconds", "1", "--log-level", "warning"]
        var workers = try (0..<3).map { _ in try WorkerProcess(conninfo: conninfo, args) }
        var kills = 0, freezes = 0, caughtStoring = 0
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
            var victim = (kills + freezes) % workers.count
            if (kills + freezes) % 4 == 3 {
                // A worker presumed dead that comes back: frozen past its leases (its jobs are
                // rescued and run again elsewhere), then let go on to finish what it was doing;
                // its completions are refused. Preferably one caught storing a run (waiting up
                // to two seconds for one), the moment a retry would store it a second time.
                if let storing = try await storingWorker(c, workers) {
                    victim = storing
                    caughtStoring += 1
                }
                workers[victim].signal(SIGSTOP)
                await pause(4)
                workers[victim].signal(SIGCONT)
                freezes += 1
                lastKill = ContinuousClock.now
                continue
            }
            await workers[victim].kill9()
            kills += 1
            lastKill = ContinuousClock.now
            workers[victim] = try WorkerProcess(conninfo: conninfo, args)
        }
        #expect(try await eventually(timeout: .seconds(60)) { try open() == 0 })
        for w in workers { w.signal(SIGTERM) }
        for w in workers {
            let status = await w.wait()
            #expect(status == 0, "worker exited \(status) after SIGTERM; its log ends: \(w.log.suffix(2000))")
        }

        let row = try #require(try c.query("""
            select count(*) as jobs,
                   count(*) filter (where status = 'succeeded') as succeeded,
                   count(*) filter (where status = 'failed') as failed,
                   count(*) filter (where status not in ('succeeded', 'failed')) as unfinished,
                   count(*) filter (where kind = 'noop' and status = 'succeeded' and not exists (select 1 from queue.noop_effects e where e.job_id = j.id)) as lost,
                   count(*) filter (where status = 'failed' and (payload->>'fail')::boolean is not true) as wrongly_failed,
                   (select count(*) from queue.noop_effects) as effects,
                   count(*) filter (where kind = 'noop' and status = 'succeeded') as noop_succeeded,
                   (select count(*) from queue.noop_effects e join queue.jobs f on f.id = e.job_id and f.status <> 'succeeded') as stray_effects,
                   (select count(*) from queue.job_events where event = 'rescued') as rescued,
                   sum(attempts) - sum(case when (payload->>'fail')::boolean then max_attempts
                                            when payload ? 'fail_attempts' then 2 else 1 end) as wasted,
                   count(*) filter (where kind <> 'noop') as run_jobs,
                   (select count(*) from backtest.runs) as runs,
                   (select count(*) - count(distinct job_id) from backtest.runs) as duplicated_runs,
                   (select coalesce(max(n), 0) from (select count(*) as n from backtest.runs group by job_id) as per_job) as max_runs_per_job,
                   count(*) filter (where kind <> 'noop' and status = 'succeeded'
                                      and not exists (select 1 from backtest.runs r where r.job_id = j.id)) as lost_runs,
                   count(*) filter (where kind <> 'noop' and status = 'succeeded'
                                      and not exists (select 1 from backtest.runs r where r.job_id = j.id
                                                                                    and r.id = (j.result->>'run_id')::bigint)) as result_names_other_run,
                   (select count(*) from backtest.runs r join queue.jobs f on f.id = r.job_id and f.status <> 'succeeded') as stray_runs
              from queue.jobs as j
            """).first)
        let jobs = try row.int("jobs") ?? 0
        let succeeded = try row.int("succeeded") ?? 0
        let effects = try row.int("effects") ?? 0
        let lost = (try row.int("lost") ?? 0) + (try row.int("unfinished") ?? 0) + (try row.int("lost_runs") ?? 0)
        let duplicated = effects - (try row.int("noop_succeeded") ?? 0)
        let duplicatedRuns = try row.int("duplicated_runs") ?? 0
        print("kill -9: \(jobs) jobs, \(kills) kills, \(freezes) freezes (\(caughtStoring) storing a run), \(lost) lost, \(max(0, duplicated)) duplicated effects, "
              + "\(try row.int("wasted") ?? 0) attempts wasted (\(try row.int("rescued") ?? 0) rescued leases), "
              + "\(succeeded) succeeded, \(try row.int("failed") ?? 0) failed for good as asked; "
              + "\(try row.int("run_jobs") ?? 0) backtest jobs: \(try row.int("runs") ?? 0) runs, \(duplicatedRuns) duplicated, "
              + "max \(try row.int("max_runs_per_job") ?? 0) per job, \(try row.int("result_names_other_run") ?? 0) results naming another run")
        #expect(jobs == 5400)
        #expect(lost == 0)
        #expect(duplicated == 0)
        #expect(duplicatedRuns == 0)
        #expect(try row.int("runs") == 400)
        #expect(try row.int("max_runs_per_job") == 1)
        #expect(try row.int("result_names_other_run") == 0)
        #expect(try row.int("stray_runs") == 0)
        #expect(try row.int("stray_effects") == 0)
        #expect(try row.int("wrongly_failed") == 0)
        #expect(try row.int("failed") == 250)
        #expect(kills >= 9)
    }

    /// The index of a worker running a backtest-family job that is storing its results (default
    /// worker ids are host:pid:random), polling for up to two seconds.
    func storingWorker(_ c: Connection, _ workers: [WorkerProcess]) async throws -> Int? {
        let deadline = ContinuousClock.now + .seconds(2)
        while ContinuousClock.now < deadline {
            let holders = try c.query("""
                select locked_by from queue.jobs
                 where status = 'running' and kind <> 'noop' and progress_message like 'storing%'
                """).rows().compactMap { try $0.string("locked_by") }
            for holder in holders {
                if let i = workers.firstIndex(where: { holder.contains(":\($0.pid):") }) { return i }
            }
            await pause(0.005)
        }
        return nil
    }
}

-- sql/0295_bi_queue_views.sql
-- bi.queue_health: one row per job kind with queue depth, recent outcomes and run times, for BI tools;
-- bi.failing_schedules: schedules whose job is being refused.
-- Depends on queue.job_kinds, queue.jobs, queue.schedules (migrations/0005_queue.sql, 0010) and schema bi (migrations/0004_bi.sql,
-- which every sql/ file runs after).

-- Unqualified names below (now(), min(), =, ...) resolve in pg_catalog whatever search_path the
-- migrating session has; `local`: the migrator's transaction for this file only.
set local search_path = pg_catalog, pg_temp;

grant usage on schema bi to candlestack_bi;

create or replace view bi.queue_health as
select k.kind,
       k.enabled,
       coalesce(s.queued_now, 0)        as queued_now,
       coalesce(s.scheduled, 0)         as scheduled,
       coalesce(s.running, 0)           as running,
       coalesce(s.succeeded_24h, 0)     as succeeded_24h,
       coalesce(s.failed_24h, 0)        as failed_24h,
       coalesce(s.cancelled_24h, 0)     as cancelled_24h,
       s.oldest_queued_age,
       s.run_time_p50_1h,
       s.run_time_p95_1h
  from queue.job_kinds as k
  left join (
    select j.kind,
           pg_catalog.count(*) filter (where j.status = 'queued' and j.run_at <= pg_catalog.now()) as queued_now,
           pg_catalog.count(*) filter (where j.status = 'queued' and j.run_at > pg_catalog.now())  as scheduled,
           pg_catalog.count(*) filter (where j.status = 'running')                                 as running,
           pg_catalog.count(*) filter (where j.status = 'succeeded' and j.finished_at > pg_catalog.now() - interval '24 hours') as succeeded_24h,
           pg_catalog.count(*) filter (where j.status = 'failed' and j.finished_at > pg_catalog.now() - interval '24 hours')    as failed_24h,
           pg_catalog.count(*) filter (where j.status = 'cancelled' and j.finished_at > pg_catalog.now() - interval '24 hours') as cancelled_24h,
           pg_catalog.now() - pg_catalog.min(j.run_at) filter (where j.status = 'queued' and j.run_at <= pg_catalog.now()) as oldest_queued_age,
           pg_catalog.percentile_cont(0.5) within group (order by j.finished_at - j.started_at)
             filter (where j.status = 'succeeded' and j.finished_at > pg_catalog.now() - interval '1 hour') as run_time_p50_1h,
           pg_catalog.percentile_cont(0.95) within group (order by j.finished_at - j.started_at)
             filter (where j.status = 'succeeded' and j.finished_at > pg_catalog.now() - interval '1 hour') as run_time_p95_1h
      from queue.jobs as j
     where j.status in ('queued', 'running') or j.finished_at > pg_catalog.now() - interval '24 hours'
     group by j.kind
  ) as s on s.kind = k.kind;

comment on view bi.queue_health is
$$Queue health per job kind.

One row per kind in queue.job_kinds: how many jobs wait, run and are scheduled now; how many
succeeded, failed for good and were cancelled in the last 24 hours; how long the oldest
claimable job has waited; median and 95th percentile run time of jobs that succeeded in the last hour.$$;
comment on column bi.queue_health.kind is 'Job kind.';
comment on column bi.queue_health.enabled is 'False when new jobs of the kind are refused.';
comment on column bi.queue_health.queued_now is 'Jobs waiting that a worker may claim now (run_at has come).';
comment on column bi.queue_health.scheduled is 'Jobs waiting for a future run_at (scheduled, or retrying after a backoff).';
comment on column bi.queue_health.running is 'Jobs a worker holds right now.';
comment on column bi.queue_health.succeeded_24h is 'Jobs that succeeded in the last 24 hours.';
comment on column bi.queue_health.failed_24h is 'Jobs that failed for good (no retry left) in the last 24 hours.';
comment on column bi.queue_health.cancelled_24h is 'Jobs cancelled in the last 24 hours.';
comment on column bi.queue_health.oldest_queued_age is 'How long the longest-waiting claimable job has been claimable (now - run_at); null when none waits. Grows when workers are missing or too few.';
comment on column bi.queue_health.run_time_p50_1h is 'Median run time (finished_at - started_at of the last attempt) of jobs that succeeded in the last hour.';
comment on column bi.queue_health.run_time_p95_1h is '95th percentile run time of jobs that succeeded in the last hour.';

grant select on bi.queue_health to candlestack_bi, candlestack_operator, candlestack_worker;

-- bi.failing_schedules: schedules whose job is being refused (queue.enqueue_due, sql/0270; columns of migrations/0010).
create or replace view bi.failing_schedules as
select s.name,
       s.kind,
       s.enabled,
       s.every,
       s.failures,
       s.enabled and s.failures >= 3 as keeps_failing,
       s.failing_since,
       s.last_failed_at,
       s.retry_at,
       s.next_run_at,
       s.last_error
  from queue.schedules as s
 where s.failures > 0;

comment on view bi.failing_schedules is
$$Schedules whose job is being refused.

One row per schedule of queue.schedules whose latest attempt to enqueue its job failed (a disabled
kind, a payload or an instrument the validator refuses); empty while every schedule fires. The
other schedules fire as usual; this one is retried with a bounded backoff and leaves the view
at its first success. keeps_failing is the rule candlestack health alarms on.$$;
comment on column bi.failing_schedules.name is 'Schedule name (queue.schedules.name).';
comment on column bi.failing_schedules.kind is 'Job kind the schedule enqueues.';
comment on column bi.failing_schedules.enabled is 'False once an operator has disabled the schedule (it is then no longer tried).';
comment on column bi.failing_schedules.every is 'Period of the schedule.';
comment on column bi.failing_schedules.failures is 'Consecutive refused attempts.';
comment on column bi.failing_schedules.keeps_failing is 'True when the schedule is enabled and failed 3 or more times in a row: candlestack health reports it and exits 1.';
comment on column bi.failing_schedules.failing_since is 'First refused attempt of the current run of failures.';
comment on column bi.failing_schedules.last_failed_at is 'Latest refused attempt.';
comment on column bi.failing_schedules.retry_at is 'When the schedule is tried again (backoff of 15 s doubling to at most 1 hour).';
comment on column bi.failing_schedules.next_run_at is 'Start of the period the schedule has not fired for yet.';
comment on column bi.failing_schedules.last_error is 'Error of the latest refused attempt, with its SQLSTATE.';

grant select on bi.failing_schedules to candlestack_bi, candlestack_operator, candlestack_worker;

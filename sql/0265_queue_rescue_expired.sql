-- sql/0265_queue_rescue_expired.sql
-- queue.rescue_expired: jobs whose lease expired (worker killed or lost) retry after a backoff like a failed attempt, or fail for good.
-- Depends on queue.jobs and its index jobs_running, queue.job_events and its index job_events_job (migrations/0005_queue.sql),
-- queue.retry_delay (sql/0215), queue.notify_claimable (sql/0203), queue.status_after_attempt (sql/0245).

create or replace function queue.rescue_expired()
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_count integer;
  v_kinds text[];
begin
  with expired as materialized (
    select j.id, j.locked_by, j.lease_until,
           queue.status_after_attempt(j.cancel_requested_at, true, j.attempts, j.max_attempts) as next_status
      from queue.jobs as j
     where j.status = 'running' and j.lease_until < pg_catalog.now()
       for update skip locked
  ), counted as (
    -- This expiry plus the earlier ones of this run (rescued events since the latest rerun).
    select e.id, e.locked_by, e.lease_until, e.next_status,
           1 + (select pg_catalog.count(*)
                  from queue.job_events as ev
                 where ev.job_id = e.id and ev.event = 'rescued'
                   and ev.id > coalesce((select pg_catalog.max(r.id) from queue.job_events as r
                                          where r.job_id = e.id and r.event = 'rerun'), 0))::integer as expiries
      from expired as e
  ), rescued as (
    update queue.jobs as j
       set status      = c.next_status,
           -- A job that kills its worker must not come straight back: back off as after a failed attempt.
           run_at      = case when c.next_status = 'queued' then pg_catalog.now() + queue.retry_delay(j.attempts)
                              else j.run_at end,
           finished_at = case when c.next_status = 'queued' then null else pg_catalog.now() end,
           last_error  = pg_catalog.format('lease expired %s time(s) in %s attempt(s); the latest at %s under worker %s (attempt %s of %s)',
                                           c.expiries, j.attempts, c.lease_until, c.locked_by, j.attempts, j.max_attempts),
           locked_by   = null,
           lease_until = null,
           updated_at  = pg_catalog.now()
      from counted as c
     where j.id = c.id
    returning j.id, j.kind, j.status, j.attempts, j.started_at, j.run_at, j.last_error, c.locked_by, c.expiries
  ), logged as (
    insert into queue.job_events (job_id, event, worker_id, message, data)
    select r.id, case r.status when 'queued' then 'rescued' else r.status end, r.locked_by, r.last_error,
           pg_catalog.jsonb_build_object('attempt', r.attempts, 'started_at', r.started_at, 'lease_expiries', r.expiries,
                                         'next_run_at', case when r.status = 'queued' then r.run_at end)
      from rescued as r
  )
  select pg_catalog.count(*),
         pg_catalog.array_agg(distinct r.kind) filter (where r.status = 'queued' and r.run_at <= pg_catalog.now())
    into v_count, v_kinds
    from rescued as r;
  if v_kinds is not null then
    perform queue.notify_claimable(v_kinds);
  end if;
  return v_count;
end;
$$;
comment on function queue.rescue_expired() is
$$Handle running jobs whose lease expired, as failed attempts; returns how many it handled.

The attempt stays counted (it was counted at claim). The next status is queue.status_after_attempt's
(as in fail and release): a job whose cancellation was requested is cancelled; a job at
max_attempts fails for good; the others are queued again after
queue.retry_delay(attempts), like a failed attempt, so a job that kills its worker does not loop.
last_error (and the rescued, failed or cancelled event) says how many times the lease expired in
this run (rescued events since the latest rerun) and names the worker that lost it. Rows locked by
another caller are skipped, so every worker can call it periodically. The late worker's
complete or fail is then refused (fenced on worker id and attempt).$$;

-- sql/0265_queue_rescue_expired.sql
-- queue.rescue_expired: return jobs whose lease expired (worker killed or lost) to the queue, or fail them for good.
-- Depends on queue.jobs and its index jobs_running, queue.job_events (migrations/0005_queue.sql).

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
    select j.id
      from queue.jobs as j
     where j.status = 'running' and j.lease_until < pg_catalog.now()
       for update skip locked
  ), rescued as (
    update queue.jobs as j
       set status      = case when j.cancel_requested_at is not null then 'cancelled'
                              when j.attempts >= j.max_attempts then 'failed' else 'queued' end,
           run_at      = pg_catalog.now(),
           finished_at = case when j.cancel_requested_at is not null or j.attempts >= j.max_attempts
                              then pg_catalog.now() end,
           last_error  = pg_catalog.format('lease expired at %s under worker %s (attempt %s of %s)',
                                           j.lease_until, j.locked_by, j.attempts, j.max_attempts),
           locked_by   = null,
           lease_until = null,
           updated_at  = pg_catalog.now()
      from expired as e
     where j.id = e.id
    returning j.id, j.kind, j.status, j.attempts, j.started_at, j.last_error
  ), logged as (
    insert into queue.job_events (job_id, event, message, data)
    select r.id, case r.status when 'queued' then 'rescued' else r.status end, r.last_error,
           pg_catalog.jsonb_build_object('attempt', r.attempts, 'started_at', r.started_at)
      from rescued as r
  )
  select pg_catalog.count(*), pg_catalog.array_agg(distinct r.kind) filter (where r.status = 'queued')
    into v_count, v_kinds
    from rescued as r;
  if v_kinds is not null then
    perform queue.notify_claimable(v_kinds);
  end if;
  return v_count;
end;
$$;
comment on function queue.rescue_expired() is
$$Requeue running jobs whose lease expired; returns how many it handled.

The attempt stays counted (it was counted at claim): a job at max_attempts fails for good with
last_error naming the worker that lost it, a job whose cancellation was requested is cancelled;
the others are claimable at once. Rows locked by
another caller are skipped, so every worker can call it periodically. The late worker's
complete or fail is then refused (fenced on worker id and attempt).$$;

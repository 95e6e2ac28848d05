-- sql/0225_queue_heartbeat.sql
-- queue.heartbeat: extend the leases of the jobs a worker still holds (fenced on job, worker and attempt); tell it which to cancel.
-- Depends on queue.jobs and queue.workers (migrations/0005_queue.sql); old signature dropped by migrations/0011.

create or replace function queue.heartbeat(worker_id text, job_ids bigint[], attempts integer[], lease interval)
returns table (job_id bigint, cancel_requested boolean)
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  if heartbeat.lease is null or heartbeat.lease <= interval '0' then
    raise exception 'queue.heartbeat: lease must be a positive interval, got %', pg_catalog.quote_nullable(heartbeat.lease)
      using errcode = 'invalid_parameter_value';
  end if;
  if pg_catalog.cardinality(heartbeat.job_ids) is distinct from pg_catalog.cardinality(heartbeat.attempts) then
    raise exception 'queue.heartbeat: attempts must hold one attempt per job id (% job ids), got %',
      pg_catalog.cardinality(heartbeat.job_ids), pg_catalog.quote_nullable(heartbeat.attempts)
      using errcode = 'invalid_parameter_value';
  end if;
  if exists (select 1 from pg_catalog.unnest(heartbeat.attempts) as a where a is null or a < 1) then
    raise exception 'queue.heartbeat: each attempt must be a positive integer (the claim''s attempts), got %',
      heartbeat.attempts
      using errcode = 'invalid_parameter_value';
  end if;

  update queue.workers as w
     set last_seen = pg_catalog.now()
   where w.id = heartbeat.worker_id;

  -- lease_until is in no index, so this update can stay HOT.
  return query
  update queue.jobs as j
     set lease_until = pg_catalog.now() + heartbeat.lease,
         updated_at  = pg_catalog.now()
    from rows from (pg_catalog.unnest(heartbeat.job_ids), pg_catalog.unnest(heartbeat.attempts)) as h (id, attempt)
   where j.id = h.id
     and j.attempts = h.attempt
     and j.locked_by = heartbeat.worker_id
     and j.status = 'running'
  returning j.id, j.cancel_requested_at is not null;
end;
$$;
comment on function queue.heartbeat(text, bigint[], integer[], interval) is
$$Extend to now() + lease the leases of the listed jobs still running under worker_id.

job_ids and attempts are parallel arrays: each job with the attempt its claim returned (22023 when
their lengths differ or an attempt is null or below 1). Returns the jobs whose lease was extended,
with their cancel flag; a listed job that is not returned is no longer the worker's (rescued after
its lease expired and perhaps claimed again, even by the same worker id as a later attempt, or
finished): stop working on it. Also marks the worker seen (queue.workers.last_seen).$$;

-- sql/0225_queue_heartbeat.sql
-- queue.heartbeat: extend the leases of the jobs a worker still holds; tell it which to cancel.
-- Depends on queue.jobs and queue.workers (migrations/0005_queue.sql).

create or replace function queue.heartbeat(worker_id text, job_ids bigint[], lease interval)
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

  update queue.workers as w
     set last_seen = pg_catalog.now()
   where w.id = heartbeat.worker_id;

  -- lease_until is in no index, so this update can stay HOT.
  return query
  update queue.jobs as j
     set lease_until = pg_catalog.now() + heartbeat.lease,
         updated_at  = pg_catalog.now()
   where j.id = any (heartbeat.job_ids)
     and j.locked_by = heartbeat.worker_id
     and j.status = 'running'
  returning j.id, j.cancel_requested_at is not null;
end;
$$;
comment on function queue.heartbeat(text, bigint[], interval) is
$$Extend to now() + lease the leases of the listed jobs still running under worker_id.

Returns those jobs with their cancel flag; a listed job that is not returned is no longer the
worker's (rescued after its lease expired, or finished): stop working on it. Also marks the
worker seen (queue.workers.last_seen).$$;

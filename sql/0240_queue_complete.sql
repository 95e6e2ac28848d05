-- sql/0240_queue_complete.sql
-- queue.complete and queue.complete_many: a worker marks jobs it holds as succeeded.
-- Depends on queue.jobs (migrations/0005_queue.sql).

create or replace function queue.complete(job_id bigint, worker_id text, result jsonb default null)
returns queue.jobs
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_job queue.jobs;
begin
  update queue.jobs as j
     set status      = 'succeeded',
         result      = complete.result,
         progress    = 1,
         locked_by   = null,
         lease_until = null,
         finished_at = pg_catalog.now(),
         updated_at  = pg_catalog.now()
   where j.id = complete.job_id and j.locked_by = complete.worker_id and j.status = 'running'
  returning j.* into v_job;
  if not found then
    raise exception 'queue.complete: job % is not running under worker %', complete.job_id, complete.worker_id
      using errcode = 'object_not_in_prerequisite_state',
            hint = 'Its lease may have expired and another worker taken it over; the result is dropped.';
  end if;
  return v_job;
end;
$$;
comment on function queue.complete(bigint, text, jsonb) is
$$Mark a job succeeded with its result.

Fenced: only where the job is running under worker_id, else 55000 (a late answer from a worker
presumed dead is refused). No event row: status succeeded and finished_at record it.$$;

create or replace function queue.complete_many(job_ids bigint[], worker_id text)
returns setof bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  return query
  update queue.jobs as j
     set status      = 'succeeded',
         progress    = 1,
         locked_by   = null,
         lease_until = null,
         finished_at = pg_catalog.now(),
         updated_at  = pg_catalog.now()
   where j.id = any (complete_many.job_ids) and j.locked_by = complete_many.worker_id and j.status = 'running'
  returning j.id;
end;
$$;
comment on function queue.complete_many(bigint[], text) is
$$Mark many jobs succeeded (no result) in one statement; returns the ids completed.

Fenced like queue.complete, but silently skips the ids not running under worker_id: the
caller compares and logs them. For high-throughput kinds whose handlers return nothing.$$;

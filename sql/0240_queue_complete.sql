-- sql/0240_queue_complete.sql
-- queue.complete and queue.complete_many: a worker marks jobs it holds as succeeded (fenced on job, worker and attempt).
-- Depends on queue.jobs (migrations/0005_queue.sql); old signatures dropped by migrations/0011.

create or replace function queue.complete(job_id bigint, worker_id text, attempt integer, result jsonb default null)
returns queue.jobs
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_job queue.jobs;
begin
  if complete.attempt is null or complete.attempt < 1 then
    raise exception 'queue.complete: attempt must be a positive integer (the claim''s attempts), got %',
      pg_catalog.quote_nullable(complete.attempt)
      using errcode = 'invalid_parameter_value';
  end if;
  update queue.jobs as j
     set status      = 'succeeded',
         result      = complete.result,
         progress    = 1,
         locked_by   = null,
         lease_until = null,
         finished_at = pg_catalog.now(),
         updated_at  = pg_catalog.now()
   where j.id = complete.job_id and j.locked_by = complete.worker_id and j.attempts = complete.attempt
     and j.status = 'running'
  returning j.* into v_job;
  if not found then
    raise exception 'queue.complete: job % is not running under worker % as attempt %',
      complete.job_id, complete.worker_id, complete.attempt
      using errcode = 'object_not_in_prerequisite_state',
            hint = 'Its lease may have expired and the job been claimed again; the result is dropped.';
  end if;
  return v_job;
end;
$$;
comment on function queue.complete(bigint, text, integer, jsonb) is
$$Mark a job succeeded with its result.

Fenced: only where the job is running under worker_id as attempt (the attempts its claim
returned), else 55000: a late answer from a worker presumed dead is refused, also when the job was
claimed again by the same worker id (a restarted worker) as a later attempt. attempt null or
below 1: 22023. No event row: status succeeded and finished_at record it.$$;

create or replace function queue.complete_many(job_ids bigint[], worker_id text, attempts integer[])
returns setof bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  if pg_catalog.cardinality(complete_many.job_ids) is distinct from pg_catalog.cardinality(complete_many.attempts) then
    raise exception 'queue.complete_many: attempts must hold one attempt per job id (% job ids), got %',
      pg_catalog.cardinality(complete_many.job_ids), pg_catalog.quote_nullable(complete_many.attempts)
      using errcode = 'invalid_parameter_value';
  end if;
  if exists (select 1 from pg_catalog.unnest(complete_many.attempts) as a where a is null or a < 1) then
    raise exception 'queue.complete_many: each attempt must be a positive integer (the claim''s attempts), got %',
      complete_many.attempts
      using errcode = 'invalid_parameter_value';
  end if;
  return query
  update queue.jobs as j
     set status      = 'succeeded',
         progress    = 1,
         locked_by   = null,
         lease_until = null,
         finished_at = pg_catalog.now(),
         updated_at  = pg_catalog.now()
    from rows from (pg_catalog.unnest(complete_many.job_ids), pg_catalog.unnest(complete_many.attempts)) as c (id, attempt)
   where j.id = c.id and j.attempts = c.attempt and j.locked_by = complete_many.worker_id and j.status = 'running'
  returning j.id;
end;
$$;
comment on function queue.complete_many(bigint[], text, integer[]) is
$$Mark many jobs succeeded (no result) in one statement; returns the ids completed.

job_ids and attempts are parallel arrays: each job with the attempt its claim returned (22023 when
their lengths differ or an attempt is null or below 1). Fenced like queue.complete, but silently
skips the jobs not running under worker_id as that attempt: the caller compares and logs them.
For high-throughput kinds whose handlers return nothing.$$;

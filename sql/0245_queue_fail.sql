-- sql/0245_queue_fail.sql
-- queue.fail: record a failed attempt, then retry after a backoff or give up for good.
-- Depends on queue.jobs, queue.job_events (migrations/0005_queue.sql), queue.retry_delay (sql/0215); old signature dropped by migrations/0011.

create or replace function queue.fail(job_id bigint, worker_id text, attempt integer, error text, retryable boolean default true)
returns queue.jobs
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_job queue.jobs;
begin
  if fail.attempt is null or fail.attempt < 1 then
    raise exception 'queue.fail: attempt must be a positive integer (the claim''s attempts), got %',
      pg_catalog.quote_nullable(fail.attempt)
      using errcode = 'invalid_parameter_value';
  end if;
  with failed as (
    update queue.jobs as j
       set status      = case when fail.retryable and j.attempts < j.max_attempts and j.cancel_requested_at is null then 'queued' else 'failed' end,
           run_at      = case when fail.retryable and j.attempts < j.max_attempts and j.cancel_requested_at is null
                              then pg_catalog.now() + queue.retry_delay(j.attempts) else j.run_at end,
           finished_at = case when fail.retryable and j.attempts < j.max_attempts and j.cancel_requested_at is null then null else pg_catalog.now() end,
           last_error  = fail.error,
           locked_by   = null,
           lease_until = null,
           updated_at  = pg_catalog.now()
     where j.id = fail.job_id and j.locked_by = fail.worker_id and j.attempts = fail.attempt and j.status = 'running'
    returning j.*
  ), logged as (
    insert into queue.job_events (job_id, event, worker_id, message, data)
    select f.id, case f.status when 'queued' then 'retry' else 'failed' end, fail.worker_id, fail.error,
           pg_catalog.jsonb_build_object('attempt', f.attempts, 'started_at', f.started_at,
                                         'retryable', fail.retryable,
                                         'next_run_at', case when f.status = 'queued' then f.run_at end)
      from failed as f
  )
  select * into v_job from failed;
  if v_job.id is null then
    raise exception 'queue.fail: job % is not running under worker % as attempt %', fail.job_id, fail.worker_id, fail.attempt
      using errcode = 'object_not_in_prerequisite_state';
  end if;
  if v_job.status = 'queued' and v_job.run_at <= pg_catalog.now() then
    perform queue.notify_claimable(array[v_job.kind]);
  end if;
  return v_job;
end;
$$;
comment on function queue.fail(bigint, text, integer, text, boolean) is
$$Record a failed attempt of a job running under worker_id as attempt.

Fenced: 55000 unless the job is running under worker_id as attempt (the attempts its claim
returned; 22023 if null or below 1), so a late failure of an earlier attempt changes nothing.

Retryable, attempts < max_attempts and no cancel requested: back to queued with run_at = now() + queue.retry_delay(attempts).
Otherwise failed for good, with finished_at. Either way last_error holds the error and an event
(retry or failed) keeps it with the attempt number and its started_at.$$;

-- sql/0245_queue_fail.sql
-- queue.status_after_attempt (the one rule for how an attempt that did not succeed ends: used by fail,
-- release and rescue_expired), and queue.fail: record a failed attempt, then retry after a backoff or give up.
-- Depends on queue.jobs, queue.job_events (migrations/0005_queue.sql), queue.retry_delay (sql/0215); old
-- queue.fail signature dropped by migrations/0011.

create or replace function queue.status_after_attempt(cancel_requested_at timestamptz, retry boolean,
                                                      attempts integer, max_attempts integer)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case when status_after_attempt.cancel_requested_at is not null then 'cancelled'
              when status_after_attempt.retry and status_after_attempt.attempts operator(pg_catalog.<) status_after_attempt.max_attempts
              then 'queued'
              else 'failed' end
$$;
comment on function queue.status_after_attempt(timestamptz, boolean, integer, integer) is
$$The status a running job gets when an attempt ends without success: cancelled, queued or failed.

A requested cancellation wins over everything (whether the attempt failed, was released or lost its
lease): cancelled. Otherwise queued when retry is true and attempts (counted so far) is below
max_attempts, else failed for good. queue.fail passes its retryable; queue.release passes true and
the attempts it gives back; queue.rescue_expired passes true.$$;

create or replace function queue.fail(job_id bigint, worker_id text, attempt integer, error text, retryable boolean default true)
returns queue.jobs
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_job    queue.jobs;
  v_status text;
begin
  if fail.attempt is null or fail.attempt < 1 then
    raise exception 'queue.fail: attempt must be a positive integer (the claim''s attempts), got %',
      pg_catalog.quote_nullable(fail.attempt)
      using errcode = 'invalid_parameter_value';
  end if;
  select * into v_job
    from queue.jobs as j
   where j.id = fail.job_id and j.locked_by = fail.worker_id and j.attempts = fail.attempt and j.status = 'running'
     for update;
  if not found then
    raise exception 'queue.fail: job % is not running under worker % as attempt %', fail.job_id, fail.worker_id, fail.attempt
      using errcode = 'object_not_in_prerequisite_state';
  end if;
  v_status := queue.status_after_attempt(v_job.cancel_requested_at, fail.retryable, v_job.attempts, v_job.max_attempts);

  update queue.jobs as j
     set status      = v_status,
         run_at      = case when v_status = 'queued' then pg_catalog.now() + queue.retry_delay(j.attempts) else j.run_at end,
         finished_at = case when v_status = 'queued' then null else pg_catalog.now() end,
         last_error  = fail.error,
         locked_by   = null,
         lease_until = null,
         updated_at  = pg_catalog.now()
   where j.id = fail.job_id
  returning j.* into v_job;
  insert into queue.job_events (job_id, event, worker_id, message, data)
  values (v_job.id, case v_status when 'queued' then 'retry' else v_status end, fail.worker_id, fail.error,
          pg_catalog.jsonb_build_object('attempt', v_job.attempts, 'started_at', v_job.started_at,
                                        'retryable', fail.retryable,
                                        'next_run_at', case when v_status = 'queued' then v_job.run_at end));
  if v_status = 'queued' and v_job.run_at <= pg_catalog.now() then
    perform queue.notify_claimable(array[v_job.kind]);
  end if;
  return v_job;
end;
$$;
comment on function queue.fail(bigint, text, integer, text, boolean) is
$$Record a failed attempt of a job running under worker_id as attempt.

Fenced: 55000 unless the job is running under worker_id as attempt (the attempts its claim
returned; 22023 if null or below 1), so a late failure of an earlier attempt changes nothing.

The next status is queue.status_after_attempt's: cancelled when a cancellation was requested (as
through release and rescue_expired); queued again with run_at = now() + queue.retry_delay(attempts)
when retryable and attempts < max_attempts; otherwise failed for good. Cancelled and failed get
finished_at. Either way last_error holds the error and an event (retry, failed or cancelled) keeps
it with the attempt number and its started_at.$$;

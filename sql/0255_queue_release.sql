-- sql/0255_queue_release.sql
-- queue.release: a worker shutting down gives a job back without counting the attempt.
-- Depends on queue.jobs, queue.job_events (migrations/0005_queue.sql), queue.notify_claimable (sql/0203),
-- queue.status_after_attempt (sql/0245);
-- old signature dropped by migrations/0011.

create or replace function queue.release(job_id bigint, worker_id text, attempt integer)
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
  if release.attempt is null or release.attempt < 1 then
    raise exception 'queue.release: attempt must be a positive integer (the claim''s attempts), got %',
      pg_catalog.quote_nullable(release.attempt)
      using errcode = 'invalid_parameter_value';
  end if;
  select * into v_job
    from queue.jobs as j
   where j.id = release.job_id and j.locked_by = release.worker_id and j.attempts = release.attempt
     and j.status = 'running'
     for update;
  if not found then
    raise exception 'queue.release: job % is not running under worker % as attempt %',
      release.job_id, release.worker_id, release.attempt
      using errcode = 'object_not_in_prerequisite_state';
  end if;
  -- The attempt is given back, so it is always retried (queued) unless a cancellation was requested.
  v_status := queue.status_after_attempt(v_job.cancel_requested_at, true, v_job.attempts - 1, v_job.max_attempts);

  update queue.jobs as j
     set status = v_status,
         finished_at = case when v_status = 'queued' then null else pg_catalog.now() end,
         run_at = pg_catalog.now(), attempts = j.attempts - 1,
         locked_by = null, lease_until = null, updated_at = pg_catalog.now()
   where j.id = release.job_id
  returning j.* into v_job;
  insert into queue.job_events (job_id, event, worker_id, data)
  values (v_job.id, case v_status when 'queued' then 'released' else v_status end, release.worker_id,
          pg_catalog.jsonb_build_object('started_at', v_job.started_at));
  if v_status = 'queued' then
    perform queue.notify_claimable(array[v_job.kind]);
  end if;
  return v_job;
end;
$$;
comment on function queue.release(bigint, text, integer) is
$$Give a running job back to the queue, claimable now, without counting the attempt.

For a worker that stops (SIGTERM) before finishing. Fenced: 55000 unless the job is running
under worker_id as attempt (the attempts its claim returned; 22023 if null or below 1). The next
claim gets the same attempt number again: only the releasing worker could send a late answer for
it, and it releases only once its handler stopped or it is exiting.
Keeps progress, so a resumable handler can continue where it stopped. A job whose cancellation
was requested is cancelled instead of requeued (queue.status_after_attempt, as in fail and
rescue_expired).$$;

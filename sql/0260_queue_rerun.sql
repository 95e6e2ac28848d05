-- sql/0260_queue_rerun.sql
-- queue.rerun: put a finished job (succeeded, failed or cancelled) back in the queue from scratch.
-- Depends on queue.jobs, queue.job_events (migrations/0005_queue.sql), queue.notify_claimable (sql/0203).

create or replace function queue.rerun(job_id bigint)
returns queue.jobs
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_job queue.jobs;
begin
  select * into v_job from queue.jobs as j where j.id = rerun.job_id for update;
  if not found then
    raise exception 'queue.rerun: no job %', rerun.job_id using errcode = 'no_data_found';
  end if;
  if v_job.status not in ('succeeded', 'failed', 'cancelled') then
    raise exception 'queue.rerun: job % is %; only succeeded, failed or cancelled jobs can be rerun', rerun.job_id, v_job.status
      using errcode = 'object_not_in_prerequisite_state';
  end if;

  update queue.jobs as j
     set status = 'queued', attempts = 0, run_at = pg_catalog.now(),
         last_error = null, result = null, progress = null, progress_message = null,
         progress_notified_at = null, cancel_requested_at = null,
         started_at = null, finished_at = null, updated_at = pg_catalog.now()
   where j.id = rerun.job_id
  returning j.* into v_job;
  insert into queue.job_events (job_id, event, message) values (rerun.job_id, 'rerun', 'by ' || session_user);
  perform queue.notify_claimable(array[v_job.kind]);
  return v_job;
end;
$$;
comment on function queue.rerun(bigint) is
$$Queue a finished job again: attempts 0, error, result and progress cleared, run_at now().

Queued or running jobs: 55000. A unique_key now held by another live job: 23505.$$;

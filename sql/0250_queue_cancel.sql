-- sql/0250_queue_cancel.sql
-- queue.cancel (operator) and queue.finish_cancelled (worker): cancel a queued job at once, a running one cooperatively.
-- Depends on queue.jobs, queue.job_events (migrations/0005_queue.sql); old finish_cancelled signature dropped by migrations/0011.

create or replace function queue.cancel(job_id bigint)
returns queue.jobs
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_job queue.jobs;
begin
  select * into v_job from queue.jobs as j where j.id = cancel.job_id for update;
  if not found then
    raise exception 'queue.cancel: no job %', cancel.job_id using errcode = 'no_data_found';
  end if;

  if v_job.status = 'queued' then
    update queue.jobs as j
       set status = 'cancelled', finished_at = pg_catalog.now(), cancel_requested_at = pg_catalog.now(),
           updated_at = pg_catalog.now()
     where j.id = cancel.job_id
    returning j.* into v_job;
    insert into queue.job_events (job_id, event, message) values (cancel.job_id, 'cancelled', 'cancelled while queued by ' || session_user);
  elsif v_job.status = 'running' then
    if v_job.cancel_requested_at is null then
      update queue.jobs as j
         set cancel_requested_at = pg_catalog.now(), updated_at = pg_catalog.now()
       where j.id = cancel.job_id
      returning j.* into v_job;
      insert into queue.job_events (job_id, event, worker_id, message)
      values (cancel.job_id, 'cancel_requested', v_job.locked_by, 'requested by ' || session_user);
    end if;
    perform pg_catalog.pg_notify('queue_cancel', cancel.job_id::text);
  else
    raise exception 'queue.cancel: job % is already finished (status %); only queued or running jobs can be cancelled',
      cancel.job_id, v_job.status
      using errcode = 'object_not_in_prerequisite_state';
  end if;
  return v_job;
end;
$$;
comment on function queue.cancel(bigint) is
$$Cancel a job.

Queued: cancelled at once. Running: sets cancel_requested_at and sends pg_notify('queue_cancel',
job id); the worker sees it (notification, heartbeat or report_progress) and calls
queue.finish_cancelled. Already succeeded, failed or cancelled: 55000. No such job: P0002.$$;

create or replace function queue.finish_cancelled(job_id bigint, worker_id text, attempt integer)
returns queue.jobs
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_job queue.jobs;
begin
  if finish_cancelled.attempt is null or finish_cancelled.attempt < 1 then
    raise exception 'queue.finish_cancelled: attempt must be a positive integer (the claim''s attempts), got %',
      pg_catalog.quote_nullable(finish_cancelled.attempt)
      using errcode = 'invalid_parameter_value';
  end if;
  with done as (
    update queue.jobs as j
       set status = 'cancelled', locked_by = null, lease_until = null,
           cancel_requested_at = coalesce(j.cancel_requested_at, pg_catalog.now()),
           finished_at = pg_catalog.now(), updated_at = pg_catalog.now()
     where j.id = finish_cancelled.job_id and j.locked_by = finish_cancelled.worker_id
       and j.attempts = finish_cancelled.attempt and j.status = 'running'
    returning j.*
  ), logged as (
    insert into queue.job_events (job_id, event, worker_id, data)
    select d.id, 'cancelled', finish_cancelled.worker_id,
           pg_catalog.jsonb_build_object('attempt', d.attempts, 'started_at', d.started_at)
      from done as d
  )
  select * into v_job from done;
  if v_job.id is null then
    raise exception 'queue.finish_cancelled: job % is not running under worker % as attempt %',
      finish_cancelled.job_id, finish_cancelled.worker_id, finish_cancelled.attempt
      using errcode = 'object_not_in_prerequisite_state';
  end if;
  return v_job;
end;
$$;
comment on function queue.finish_cancelled(bigint, text, integer) is
$$A worker stopped a running job it holds because of a cancel request: status cancelled.

Fenced: 55000 unless the job is running under worker_id as attempt (the attempts its claim
returned; 22023 if null or below 1).$$;

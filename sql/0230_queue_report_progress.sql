-- sql/0230_queue_report_progress.sql
-- queue.report_progress: store a running job's progress, extend its lease, notify queue_progress (throttled).
-- Depends on queue.jobs, queue.job_kinds, queue.job_events (migrations/0005_queue.sql); old signature dropped by migrations/0011.

create or replace function queue.report_progress(job_id bigint, worker_id text, attempt integer, fraction double precision, message text)
returns boolean
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_old    real;
  v_new    real;
  v_kind   text;
  v_cancel boolean;
  v_notify boolean;
  v_now    timestamptz := pg_catalog.clock_timestamp();
begin
  if report_progress.attempt is null or report_progress.attempt < 1 then
    raise exception 'queue.report_progress: attempt must be a positive integer (the claim''s attempts), got %',
      pg_catalog.quote_nullable(report_progress.attempt)
      using errcode = 'invalid_parameter_value';
  end if;
  if fraction is null or fraction < 0 or fraction > 1 then
    raise exception 'queue.report_progress: fraction must be from 0 to 1, got %', pg_catalog.quote_nullable(fraction)
      using errcode = 'invalid_parameter_value';
  end if;
  v_new := fraction::real;

  select j.progress, j.kind, j.cancel_requested_at is not null,
         (v_new = 1 or j.progress_notified_at is null or j.progress_notified_at <= v_now - interval '250 milliseconds')
    into v_old, v_kind, v_cancel, v_notify
    from queue.jobs as j
   where j.id = report_progress.job_id and j.locked_by = report_progress.worker_id
     and j.attempts = report_progress.attempt and j.status = 'running'
     for no key update;
  if not found then
    raise exception 'queue.report_progress: job % is not running under worker % as attempt %',
      report_progress.job_id, report_progress.worker_id, report_progress.attempt
      using errcode = 'object_not_in_prerequisite_state';
  end if;

  update queue.jobs as j
     set progress             = v_new,
         progress_message     = report_progress.message,
         progress_notified_at = case when v_notify then v_now else j.progress_notified_at end,
         -- Never shorter than the lease a heartbeat gave (the worker's --lease-seconds may be longer
         -- than the kind's lease, and its next heartbeat comes a third of that later).
         lease_until          = greatest(j.lease_until, pg_catalog.now() + k.lease),
         updated_at           = pg_catalog.now()
    from queue.job_kinds as k
   where j.id = report_progress.job_id and k.kind = j.kind;

  if v_notify then
    perform pg_catalog.pg_notify('queue_progress', pg_catalog.json_build_object(
      'job_id', report_progress.job_id, 'kind', v_kind, 'progress', v_new,
      'message', pg_catalog.left(report_progress.message, 200))::pg_catalog.text);
  end if;

  -- One event per 25% milestone crossed (0.25, 0.5, 0.75, 1).
  insert into queue.job_events (job_id, event, worker_id, message, data)
  select report_progress.job_id, 'progress', report_progress.worker_id, report_progress.message,
         pg_catalog.jsonb_build_object('progress', m / 4.0)
    from pg_catalog.generate_series(pg_catalog.floor(coalesce(v_old, 0) * 4)::int + 1, pg_catalog.floor(v_new * 4)::int) as m;

  return v_cancel;
end;
$$;
comment on function queue.report_progress(bigint, text, integer, double precision, text) is
$$Store the progress of a running job; returns true when its cancellation was requested.

Fenced: 55000 unless the job is running under worker_id as attempt (the attempts its claim
returned; 22023 if null or below 1), so a late report of an earlier attempt changes nothing.
Extends the lease to at least now() plus the kind's lease (never shortens a longer lease set by queue.heartbeat).
The row always holds the latest fraction and message; pg_notify('queue_progress',
{"job_id","kind","progress","message"}) is sent at most every 250 ms per job, and always at 1.
A progress event row is written for each 25% milestone crossed.$$;

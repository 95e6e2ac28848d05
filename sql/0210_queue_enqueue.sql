-- sql/0210_queue_enqueue.sql
-- queue.enqueue: queue a job (same validation as INSERT); a live job with the same unique_key is returned instead.
-- Depends on queue.jobs and its triggers (migrations/0005_queue.sql, sql/0202, sql/0203).

create or replace function queue.enqueue(kind text, payload jsonb default '{}', priority smallint default null,
                                         run_at timestamptz default null, unique_key text default null,
                                         max_attempts integer default null, parent_id bigint default null)
returns queue.jobs
language plpgsql
volatile
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_job queue.jobs;
begin
  if enqueue.unique_key is null then
    insert into queue.jobs (kind, payload, priority, run_at, max_attempts, parent_id, created_by)
    values (enqueue.kind, coalesce(enqueue.payload, '{}'), enqueue.priority, coalesce(enqueue.run_at, pg_catalog.now()),
            enqueue.max_attempts, enqueue.parent_id, session_user)
    returning * into v_job;
    return v_job;
  end if;

  -- The live job may finish between a conflict and the look-up: try again then.
  for i in 1..10 loop
    insert into queue.jobs (kind, payload, priority, run_at, unique_key, max_attempts, parent_id, created_by)
    values (enqueue.kind, coalesce(enqueue.payload, '{}'), enqueue.priority, coalesce(enqueue.run_at, pg_catalog.now()),
            enqueue.unique_key, enqueue.max_attempts, enqueue.parent_id, session_user)
    on conflict (unique_key) where unique_key is not null and status in ('queued', 'running') do nothing
    returning * into v_job;
    if found then
      return v_job;
    end if;
    select * into v_job
      from queue.jobs as j
     where j.unique_key = enqueue.unique_key and j.status in ('queued', 'running');
    if found then
      return v_job;
    end if;
  end loop;
  raise exception 'queue.enqueue: unique_key % keeps conflicting with a job that finishes at once', enqueue.unique_key
    using errcode = 'lock_not_available';
end;
$$;
comment on function queue.enqueue(text, jsonb, smallint, timestamptz, text, integer, bigint) is
$$Queue a job and return it.

Same validation and defaults as INSERT INTO queue.jobs (unknown kind or bad payload: 22023).
Null priority and max_attempts come from queue.job_kinds; null run_at means now. With a
unique_key that a queued or running job already holds, returns that job and queues nothing.
created_by is the session user (the login), since the function runs as its owner.$$;

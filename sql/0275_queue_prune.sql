-- sql/0275_queue_prune.sql
-- Pruning: queue.prune_pick_jobs, queue.prune_jobs, queue.prune_batch, queue.prune (finished jobs, events, workers).
-- Depends on queue.jobs, queue.job_events, queue.workers (migrations/0005_queue.sql), queue.retention (0012).

-- Until migration 0012 prune(interval) returned (jobs_deleted, events_deleted): a changed result type
-- needs a drop, done only that once so later changes of this file keep the grants (sql/0279 gives them).
do $$
begin
  if pg_catalog.cardinality((select p.proargnames from pg_catalog.pg_proc as p
                              where p.oid operator(pg_catalog.=) pg_catalog.to_regprocedure('queue.prune(interval)')))
     operator(pg_catalog.=) 3 then
    drop function queue.prune(interval);
  end if;
end;
$$;

create or replace function queue.prune_check_args(caller text, batch_size integer, older_than interval)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if prune_check_args.batch_size is null or prune_check_args.batch_size not between 1 and 100000 then
    raise exception '%: batch_size must be from 1 to 100000, got %', prune_check_args.caller,
      pg_catalog.quote_nullable(prune_check_args.batch_size)
      using errcode = 'invalid_parameter_value';
  end if;
  if prune_check_args.older_than < interval '1 hour' then
    raise exception '%: older_than must be null (use queue.retention) or at least 1 hour, got %',
      prune_check_args.caller, prune_check_args.older_than
      using errcode = 'invalid_parameter_value',
            hint = 'A bare number is read as seconds: write ''30 days''.';
  end if;
end;
$$;
comment on function queue.prune_check_args(text, integer, interval) is
$$Refuse a bad batch_size (1..100000) or older_than (null or at least 1 hour) with SQLSTATE 22023.

Shared by the prune functions; caller names the function in the message.$$;

create or replace function queue.prune_cutoff(what text, older_than interval default null)
returns timestamptz
language sql
stable
set search_path = ''
as $$
  select pg_catalog.now() - coalesce(prune_cutoff.older_than,
                                     (select r.keep from queue.retention as r where r.what = prune_cutoff.what))
$$;
comment on function queue.prune_cutoff(text, interval) is
$$Rows of this kind (a queue.retention.what) older than the result may be pruned.

now() minus older_than when given, else minus the retention's keep; null (prune nothing) when the
kind has no row in queue.retention.$$;

create or replace function queue.prune_pick_jobs(after_job_id bigint, batch_size integer, older_than interval default null)
returns setof bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_succeeded timestamptz := queue.prune_cutoff('succeeded', prune_pick_jobs.older_than);
  v_failed    timestamptz := queue.prune_cutoff('failed', prune_pick_jobs.older_than);
  v_cancelled timestamptz := queue.prune_cutoff('cancelled', prune_pick_jobs.older_than);
begin
  perform queue.prune_check_args('queue.prune_pick_jobs', prune_pick_jobs.batch_size, prune_pick_jobs.older_than);
  -- By primary key from the cursor: a whole prune run walks the table once, however many batches.
  return query
  select j.id
    from queue.jobs as j
   where j.id > prune_pick_jobs.after_job_id
     and j.status in ('succeeded', 'failed', 'cancelled')
     and j.finished_at < case j.status when 'succeeded' then v_succeeded
                                       when 'failed' then v_failed
                                       else v_cancelled end
     and not exists (select 1 from queue.jobs as c
                      where c.parent_id = j.id and c.status in ('queued', 'running'))
   order by j.id
   limit prune_pick_jobs.batch_size
     for update of j skip locked;
end;
$$;
comment on function queue.prune_pick_jobs(bigint, integer, interval) is
$$Ids (above after_job_id, ascending, at most batch_size) of finished jobs past their retention.

Past retention: finished_at older than queue.retention's keep for the job's state (or older_than).
A finished parent with a queued or running child is not picked. Locks the rows it returns (SKIP
LOCKED), so a job being rerun right now is skipped; queue.prune_jobs checks again anyway.$$;

create or replace function queue.prune_jobs(job_ids bigint[], older_than interval default null)
returns table (jobs_deleted bigint, events_deleted bigint)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_succeeded timestamptz := queue.prune_cutoff('succeeded', prune_jobs.older_than);
  v_failed    timestamptz := queue.prune_cutoff('failed', prune_jobs.older_than);
  v_cancelled timestamptz := queue.prune_cutoff('cancelled', prune_jobs.older_than);
begin
  perform queue.prune_check_args('queue.prune_jobs', 1, prune_jobs.older_than);
  -- The same conditions as the pick, checked again on the row being deleted: a job rerun (or given a
  -- live child) since it was picked is not finished past its retention any more and stays.
  -- Its events go by ON DELETE CASCADE; they are counted from the statement's snapshot.
  with gone as (
    delete from queue.jobs as j
     where j.id = any (prune_jobs.job_ids)
       and j.status in ('succeeded', 'failed', 'cancelled')
       and j.finished_at < case j.status when 'succeeded' then v_succeeded
                                         when 'failed' then v_failed
                                         else v_cancelled end
       and not exists (select 1 from queue.jobs as c
                        where c.parent_id = j.id and c.status in ('queued', 'running'))
    returning j.id
  )
  select (select pg_catalog.count(*) from gone),
         (select pg_catalog.count(*) from queue.job_events as e where e.job_id in (select g.id from gone as g))
    into jobs_deleted, events_deleted;
  return next;
end;
$$;
comment on function queue.prune_jobs(bigint[], interval) is
$$Delete those of job_ids that are still finished past their retention; returns jobs and events deleted.

Re-checks status, finished_at and live children in the DELETE itself, so an id picked earlier by
queue.prune_pick_jobs whose job was rerun since is kept. Events go with their job (cascade).$$;

create or replace function queue.prune_batch(batch_size integer default 1000, after_job_id bigint default 0,
                                             older_than interval default null)
returns table (jobs_deleted bigint, events_deleted bigint, workers_deleted bigint, last_job_id bigint, more boolean)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_ids     bigint[];
  v_events  timestamptz := queue.prune_cutoff('job_events', prune_batch.older_than);
  v_workers timestamptz := queue.prune_cutoff('workers', prune_batch.older_than);
  v_n       bigint;
begin
  perform queue.prune_check_args('queue.prune_batch', prune_batch.batch_size, prune_batch.older_than);

  select pg_catalog.array_agg(p.id order by p.id) into v_ids
    from queue.prune_pick_jobs(prune_batch.after_job_id, prune_batch.batch_size, prune_batch.older_than) as p(id);
  select d.jobs_deleted, d.events_deleted into jobs_deleted, events_deleted
    from queue.prune_jobs(coalesce(v_ids, '{}'), prune_batch.older_than) as d;
  last_job_id := coalesce(v_ids[pg_catalog.cardinality(v_ids)], prune_batch.after_job_id);
  more := coalesce(pg_catalog.cardinality(v_ids), 0) = prune_batch.batch_size;

  -- Events by age, whatever their job: the oldest first (ids follow at), batch_size at most.
  delete from queue.job_events as e
   where e.id in (select o.id from queue.job_events as o where o.at < v_events
                   order by o.id limit prune_batch.batch_size);
  get diagnostics v_n = row_count;
  events_deleted := events_deleted + v_n;
  more := more or v_n = prune_batch.batch_size;

  delete from queue.workers as w
   where w.id in (select o.id from queue.workers as o where o.last_seen < v_workers
                   order by o.id limit prune_batch.batch_size);
  get diagnostics workers_deleted = row_count;
  more := more or workers_deleted = prune_batch.batch_size;
  return next;
end;
$$;
comment on function queue.prune_batch(integer, bigint, interval) is
$$One bounded step of pruning: at most batch_size jobs, batch_size old events and batch_size workers.

Retention from queue.retention (older_than, when given, replaces every keep). Jobs are taken by id
above after_job_id; pass the returned last_job_id back as after_job_id and call again while more is
true. Each call can be its own transaction (the prune job does that), so no lock or dead row
outlives a batch. A job's events go with it; other events go when older than the job_events keep;
queue.workers rows go when not seen for the workers keep.$$;

create or replace function queue.prune(older_than interval default null)
returns table (jobs_deleted bigint, events_deleted bigint, workers_deleted bigint)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_after bigint := 0;
  v_step  record;
begin
  perform queue.prune_check_args('queue.prune', 1000, prune.older_than);
  jobs_deleted := 0; events_deleted := 0; workers_deleted := 0;
  loop
    select * into v_step from queue.prune_batch(1000, v_after, prune.older_than);
    jobs_deleted := jobs_deleted + v_step.jobs_deleted;
    events_deleted := events_deleted + v_step.events_deleted;
    workers_deleted := workers_deleted + v_step.workers_deleted;
    v_after := v_step.last_job_id;
    exit when not v_step.more;
  end loop;
  return next;
end;
$$;
comment on function queue.prune(interval) is
$$Prune everything past retention now, in batches of 1000, in the caller's transaction; returns the counts.

For psql. Retention from queue.retention, or older_than (at least 1 hour) for everything. The
scheduled prune job (kind prune, sql/0316) runs queue.prune_batch instead, one transaction per
batch. The only way rows leave queue.job_events.$$;

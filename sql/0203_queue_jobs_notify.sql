-- sql/0203_queue_jobs_notify.sql
-- Wake idle workers: NOTIFY queue_jobs once per inserting statement and kind.
-- Depends on queue.jobs (migrations/0005_queue.sql).

create or replace function queue.notify_claimable(kinds text[])
returns void
language sql
volatile
set search_path = ''
as $$
  select pg_catalog.pg_notify('queue_jobs', k)
    from (select distinct k from pg_catalog.unnest(kinds) as k where k is not null) as s
$$;
comment on function queue.notify_claimable(text[]) is
$$NOTIFY queue_jobs once per distinct kind, payload = the kind name.

A hint for idle workers (they also poll); delivered at commit, merged with identical
notifications of the same transaction.$$;

create or replace function queue.jobs_after_insert()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
begin
  -- One query, no nested function call: this runs on every INSERT into queue.jobs and is on the
  -- path of the wake-up latency (calling queue.notify_claimable here, a SQL function that is
  -- planned afresh on each call, cost ~0.1 ms per INSERT; see bench/queue-insert.sh).
  perform pg_catalog.pg_notify('queue_jobs', s.kind)
     from (select distinct n.kind from new_jobs as n where n.run_at <= pg_catalog.now()) as s;
  return null;
end;
$$;
comment on function queue.jobs_after_insert() is
$$Trigger: NOTIFY queue_jobs once per statement and kind for newly inserted jobs claimable now.

Jobs with a future run_at send nothing: workers find them by polling. Same notifications as
queue.notify_claimable, written inline because it runs on every INSERT.$$;

create or replace trigger jobs_notify
  after insert on queue.jobs
  referencing new table as new_jobs
  for each statement execute function queue.jobs_after_insert();
comment on trigger jobs_notify on queue.jobs is
$$Statement-level: one queue_jobs notification per inserting statement and kind.$$;

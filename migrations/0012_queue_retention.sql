-- migrations/0012_queue_retention.sql
-- queue.retention: how long the queue keeps finished jobs (per final state), job events and worker rows.
-- Depends on 0005_queue.sql. queue.prune_batch and queue.prune (sql/0275) read it; the prune job kind
-- and its hourly schedule are sql/0316_queue_job_kind_prune.sql; grants in sql/0279_queue_prune_grants.sql.
-- squawk: this file only creates a new table and fills it: no session uses it yet, so nothing waits
-- on a lock held by live traffic; lock_timeout/statement_timeout would only add ways to fail.
-- squawk-ignore-file require-lock-timeout, require-statement-timeout
set local search_path = pg_catalog, pg_temp;

create table queue.retention (
  what text     primary key
                constraint retention_what_is_known
                check (what in ('succeeded', 'failed', 'cancelled', 'job_events', 'workers')),
  -- At least an hour: a bare number is read as seconds ('7'::interval is 7 seconds), and zero or a
  -- negative value would delete what was just written; the constraint name is the error's message.
  keep interval not null
                constraint retention_keep_is_at_least_an_hour check (keep >= interval '1 hour')
);
comment on table queue.retention is
$$How long the queue keeps what it no longer needs: one row per kind of row kept.

succeeded, failed, cancelled: jobs in that final state, counted from finished_at (a finished job
with a queued or running child is kept). job_events: events, counted from their at (the events of
a deleted job go with it). workers: rows of queue.workers not seen (last_seen) for that long.
queue.prune_batch reads it on every call, so an UPDATE takes effect at the next prune. Refuses a
keep under an hour (check retention_keep_is_at_least_an_hour).$$;
comment on column queue.retention.what is 'succeeded, failed or cancelled (jobs by final state), job_events, or workers.';
comment on column queue.retention.keep is
$$How long to keep it, at least '1 hour'.

Jobs: since finished_at; job_events: since at; workers: since last_seen.$$;

insert into queue.retention (what, keep) values
  ('succeeded',  interval '7 days'),
  ('cancelled',  interval '7 days'),
  ('failed',     interval '30 days'),
  ('job_events', interval '30 days'),
  ('workers',    interval '7 days');

-- migrations/0010_queue_schedule_failures.sql
-- Schedules fail on their own: queue.schedules records the error of a schedule whose job was refused
-- and when to try it again (queue.enqueue_due, sql/0270), and refuses a period shorter than a second.
-- Depends on 0005_queue.sql (queue.schedules).
-- squawk: the four new columns are nullable or have a constant default (no rewrite in PostgreSQL 11+).
-- The CHECK on every is swapped in one ALTER TABLE: queue.schedules holds a few rows per watchlist
-- entry (hundreds at most), so the ACCESS EXCLUSIVE lock is held for milliseconds, and lock_timeout
-- makes a migration behind a long reader fail cleanly instead of queueing every worker behind it.
set local search_path = pg_catalog, pg_temp;
set local lock_timeout = '10s';
set local statement_timeout = '10min';

-- squawk: 0..2^31 by the CHECK; a count of consecutive failures, never near the limit.
-- squawk-ignore prefer-bigint-over-int
alter table queue.schedules add column failures integer not null default 0 constraint schedule_failures_is_not_negative check (failures >= 0);
alter table queue.schedules add column last_error text;
alter table queue.schedules add column last_failed_at timestamptz;
alter table queue.schedules add column failing_since timestamptz;
alter table queue.schedules add column retry_at timestamptz;

-- A period under a second would ask every worker to enqueue on every pass (they pass every few
-- seconds); one microsecond was accepted. The old CHECK (every > 0) is replaced by the stricter one.
-- squawk-ignore ban-drop-constraint, constraint-missing-not-valid
alter table queue.schedules drop constraint schedule_every_is_positive, add constraint schedule_every_is_at_least_one_second check (every >= interval '1 second');

comment on column queue.schedules.failures is
$$Consecutive times the schedule's job was refused (0 while it fires).

queue.enqueue_due adds one per refused attempt and sets it back to 0 when the job is enqueued.
A schedule with failures >= 3 that is enabled "keeps failing": candlestack health is unhealthy.$$;
comment on column queue.schedules.last_error is 'Error of the latest refused attempt, with its SQLSTATE; kept after the schedule recovers, for the record.';
comment on column queue.schedules.last_failed_at is 'When the latest refused attempt happened; kept after the schedule recovers.';
comment on column queue.schedules.failing_since is 'First refused attempt of the current run of failures; null while the schedule fires.';
comment on column queue.schedules.retry_at is
$$When a failing schedule is tried again (null while it fires).

Set by queue.enqueue_due to now() + queue.schedule_retry_delay(failures) after a refused attempt:
the schedule is due again when both next_run_at and retry_at have come. Set it to null to retry at once.$$;

-- migrations/0005_queue.sql
-- The job queue's tables: job_kinds, jobs, job_events, workers, schedules, and their indexes.
-- Depends on 0002_roles.sql. Functions, triggers, views and grants live in sql/02NN_queue_*.sql.

-- squawk: this file creates the queue schema: every table and index is new.
-- `candlestack migrate` applies it in one transaction before anything uses these objects, so no
-- statement waits behind live traffic: lock_timeout/statement_timeout would only add ways to fail.
-- squawk-ignore-file require-lock-timeout, require-statement-timeout

-- Unqualified names below (now(), jsonb, =, ...) resolve in pg_catalog whatever search_path the
-- migrating session has; `local`: the migrator's transaction for this file only.
set local search_path = pg_catalog, pg_temp;

create schema queue;
comment on schema queue is
$$The job queue.

A job is a row of queue.jobs. Workers only call the queue.* functions (claim, heartbeat,
report_progress, complete, fail, ...); psql users INSERT into queue.jobs or call queue.enqueue.$$;

-- Functions created in this schema are not executable by PUBLIC unless sql/0290 grants them.
alter default privileges in schema queue revoke execute on functions from public;

create table queue.job_kinds (
  kind         text        primary key
                           constraint job_kind_name_is_identifier check (kind ~ '^[a-z][a-z0-9_]{0,62}$'),
  description  text        not null,
  -- squawk: 1..1000 by the CHECK below; queue.enqueue takes integer.
  -- squawk-ignore prefer-bigint-over-int
  max_attempts integer     not null default 5
                           constraint job_kind_max_attempts_in_range check (max_attempts between 1 and 1000),
  -- squawk: 0..1000 by the CHECK below; queue.enqueue takes smallint.
  -- squawk-ignore prefer-bigint-over-smallint
  priority     smallint    not null default 100
                           constraint job_kind_priority_in_range check (priority between 0 and 1000),
  timeout      interval    constraint job_kind_timeout_is_positive check (timeout > interval '0'),
  lease        interval    not null default interval '30 seconds'
                           constraint job_kind_lease_is_positive check (lease > interval '0'),
  validator    text        not null
                           constraint job_kind_validator_is_qualified_name
                           check (validator ~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$'),
  enabled      boolean     not null default true
);
comment on table queue.job_kinds is
$$Kinds of job the workers know how to run.

One row per kind, registered by the sql/ file that defines the kind's payload validator
(insert ... on conflict (kind) do update). Holds the defaults a new job of the kind gets.$$;
comment on column queue.job_kinds.max_attempts is 'Default queue.jobs.max_attempts for jobs of this kind: claims before the job fails for good.';
comment on column queue.job_kinds.priority is 'Default queue.jobs.priority for jobs of this kind; lower runs first.';
comment on column queue.job_kinds.timeout is 'Longest a single attempt may run before the worker abandons it (enforced by the worker); null = no limit.';
comment on column queue.job_kinds.lease is 'How long report_progress extends the lease of a running job of this kind.';
comment on column queue.job_kinds.validator is
$$Schema-qualified name of a function (payload jsonb) returns jsonb.

It raises SQLSTATE 22023 naming the field on a bad payload, and returns the normalized payload
with defaults filled in. Called by the queue.jobs insert trigger for every new job.$$;
comment on column queue.job_kinds.enabled is 'False refuses new jobs of this kind (SQLSTATE 55000); jobs already queued still run.';

create table queue.jobs (
  id                   bigint      generated always as identity primary key,
  kind                 text        not null references queue.job_kinds (kind),
  payload              jsonb       not null default '{}'
                                   constraint job_payload_is_object check (jsonb_typeof(payload) = 'object'),
  -- squawk: 0..1000 by the CHECK below; queue.enqueue takes smallint.
  -- squawk-ignore prefer-bigint-over-smallint
  priority             smallint    not null
                                   constraint job_priority_in_range check (priority between 0 and 1000),
  run_at               timestamptz not null default now(),
  status               text        not null default 'queued'
                                   constraint job_status_is_known
                                   check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  -- squawk: 0..max_attempts (at most 1000) by job_attempts_within_max.
  -- squawk-ignore prefer-bigint-over-int
  attempts             integer     not null default 0,
  -- squawk: 1..1000 by the CHECK below; queue.enqueue takes integer.
  -- squawk-ignore prefer-bigint-over-int
  max_attempts         integer     not null
                                   constraint job_max_attempts_in_range check (max_attempts between 1 and 1000),
  locked_by            text,
  lease_until          timestamptz,
  cancel_requested_at  timestamptz,
  progress             real        constraint job_progress_in_range check (progress between 0 and 1),
  progress_message     text,
  progress_notified_at timestamptz,
  result               jsonb,
  last_error           text,
  unique_key           text        constraint job_unique_key_is_not_empty check (unique_key <> ''),
  parent_id            bigint      references queue.jobs (id) on delete cascade
                                   constraint job_is_not_its_own_parent check (parent_id <> id),
  created_by           text        not null default current_user,
  created_at           timestamptz not null default now(),
  started_at           timestamptz,
  finished_at          timestamptz,
  updated_at           timestamptz not null default now(),
  constraint job_attempts_within_max check (attempts between 0 and max_attempts),
  constraint job_lease_only_while_running check (
    case when status = 'running' then locked_by is not null and lease_until is not null
         else locked_by is null and lease_until is null end),
  constraint job_finished_at_only_when_finished check (
    (status in ('succeeded', 'failed', 'cancelled')) = (finished_at is not null))
);
comment on table queue.jobs is
$$Jobs: one row per unit of work.

Insert a row (or call queue.enqueue) to queue work: the insert trigger validates and normalizes
the payload with the kind's validator and fills priority and max_attempts from queue.job_kinds.
Workers move rows through queued -> running -> succeeded | failed | cancelled with the queue.*
functions only; a failed attempt goes back to queued after a backoff until max_attempts.$$;
comment on column queue.jobs.payload is 'The kind''s arguments, as normalized by its validator (defaults filled in).';
comment on column queue.jobs.priority is 'Lower runs first; ties go to the earliest run_at, then the lowest id. Default from queue.job_kinds.';
comment on column queue.jobs.run_at is 'Not claimed before this time: scheduled jobs and retry backoff.';
comment on column queue.jobs.status is 'queued, running, succeeded, failed (for good) or cancelled.';
comment on column queue.jobs.attempts is 'Claims so far, counting the running one; release gives one back, rerun resets it.';
comment on column queue.jobs.locked_by is 'Worker id holding the job while it runs; null otherwise.';
comment on column queue.jobs.lease_until is
$$While running: when the job is presumed abandoned.

Extended by heartbeat and report_progress; queue.rescue_expired requeues (or fails) jobs past it.$$;
comment on column queue.jobs.cancel_requested_at is 'Set by queue.cancel on a running job: the worker stops at its next check and calls finish_cancelled.';
comment on column queue.jobs.progress is 'Fraction done, 0..1, latest value reported by the worker.';
comment on column queue.jobs.progress_notified_at is 'When report_progress last sent a queue_progress notification: throttles them to about 4 per second per job.';
comment on column queue.jobs.result is 'What the handler returned on success.';
comment on column queue.jobs.last_error is 'Error of the latest failed attempt (or lease expiry).';
comment on column queue.jobs.unique_key is 'At most one queued or running job per key; queue.enqueue returns the live job instead of a second one.';
comment on column queue.jobs.parent_id is 'Job that fanned this one out; deleting the parent deletes its children.';
comment on column queue.jobs.created_by is 'Role that queued the job (session user for queue.enqueue).';
comment on column queue.jobs.started_at is 'When the latest attempt was claimed (earlier attempts: their failed/rescued events).';
comment on column queue.jobs.finished_at is 'When the job reached succeeded, failed or cancelled; null while queued or running.';

-- A queue table churns: every job is updated twice soon after it is inserted. Vacuum it early so
-- the claim index does not fill with dead entries, and leave room on each page so heartbeats and
-- progress reports (which change no indexed column) are HOT updates.
alter table queue.jobs set (fillfactor = 90,
                            autovacuum_vacuum_scale_factor = 0.02,
                            autovacuum_vacuum_insert_scale_factor = 0.02,
                            autovacuum_analyze_scale_factor = 0.02);

-- Every non-HOT update of a job writes every index whose predicate the new row version
-- matches, so the indexes are partial and few: each serves one function.
create index jobs_claimable on queue.jobs (priority, run_at, id) where status = 'queued';
comment on index queue.jobs_claimable is 'queue.claim: queued jobs in claim order (priority, run_at, id).';
-- Keyed on locked_by, not lease_until: heartbeats change lease_until only and can stay HOT.
-- rescue_expired scans the running jobs (bounded by the worker slots) and filters on lease_until.
create index jobs_running on queue.jobs (locked_by) where status = 'running';
comment on index queue.jobs_running is 'queue.rescue_expired and per-worker lookups: running jobs only.';
create unique index jobs_unique_key_live on queue.jobs (unique_key)
  where unique_key is not null and status in ('queued', 'running');
comment on index queue.jobs_unique_key_live is 'At most one queued or running job per unique_key.';
create index jobs_parent on queue.jobs (parent_id) where parent_id is not null;
comment on index queue.jobs_parent is 'Children of a job: cascading deletes and fan-out lookups.';

create table queue.job_events (
  id        bigint      generated always as identity primary key,
  job_id    bigint      not null references queue.jobs (id) on delete cascade,
  at        timestamptz not null default clock_timestamp(),
  event     text        not null
                        constraint job_event_is_known check (event in (
                          'enqueued', 'claimed', 'succeeded', 'failed', 'retry', 'cancel_requested',
                          'cancelled', 'released', 'rescued', 'rerun', 'progress')),
  worker_id text,
  message   text,
  data      jsonb
);
comment on table queue.job_events is
$$History of a job: state changes, errors and progress milestones. Append-only.

Written by the queue.* functions in the same statement as the transition. Not written for the
hot path (enqueued, claimed, succeeded): those are implied by queue.jobs.created_at, started_at
and finished_at with status = 'succeeded'. Measured with bench/queue-sql.sh (2 cores, fsync on,
claim + complete_many of no-op jobs): a claimed and a succeeded row per job raise the cluster's
CPU from 29-40 to 42-58 microseconds per job and its WAL from about 850 to 1,400 bytes per job,
and cut the median throughput at batches of 200 from 49,000 to 22,000 jobs/s: barely the 20,000
target before the Swift workers, which share the same 2 cores, spend anything. Every other
transition has a row:
retry and failed (with the error and the attempt's started_at), cancel_requested, cancelled,
released, rescued, rerun, and progress at 25/50/75/100%.
Only the owner deletes rows (queue.prune); nobody is granted UPDATE or DELETE.$$;
comment on column queue.job_events.event is
$$What happened.

failed (for good), retry (failed attempt, requeued), cancel_requested, cancelled, released,
rescued (lease expired), rerun, progress (a 25% milestone). enqueued, claimed and succeeded are
allowed for callers that want them but the queue functions do not write them.$$;
comment on column queue.job_events.worker_id is 'Worker involved, if any.';
comment on column queue.job_events.data is 'Details: attempt number, started_at of the attempt, progress fraction, next run_at.';
create index job_events_job on queue.job_events (job_id, id);
comment on index queue.job_events_job is 'A job''s history in order; also serves the cascade from queue.jobs.';
create index job_events_at on queue.job_events using brin (at);
comment on index queue.job_events_at is 'queue.prune by age: rows arrive in time order, so a BRIN index is nearly free.';

create table queue.workers (
  id         text        primary key constraint worker_id_is_not_empty check (id <> ''),
  host       text,
  -- squawk: an operating-system process id (Linux caps them at 2^22); queue.register_worker takes integer.
  -- squawk-ignore prefer-bigint-over-int
  pid        integer,
  kinds      text[],
  started_at timestamptz not null default now(),
  last_seen  timestamptz not null default now(),
  stopped_at timestamptz
);
comment on table queue.workers is
$$Worker processes, live and stopped.

Registered at start (queue.register_worker), touched by heartbeats (last_seen), marked
stopped_at on a clean shutdown. A worker killed with -9 just stops being seen.$$;
comment on column queue.workers.kinds is 'Kinds the worker claims; null = any kind.';
comment on column queue.workers.last_seen is 'Latest heartbeat or worker_seen call.';
comment on column queue.workers.stopped_at is 'Set by queue.unregister_worker on a clean shutdown; null while running (or killed).';

create table queue.schedules (
  name        text        primary key constraint schedule_name_is_not_empty check (name <> ''),
  kind        text        not null references queue.job_kinds (kind),
  payload     jsonb       not null default '{}'
                          constraint schedule_payload_is_object check (jsonb_typeof(payload) = 'object'),
  every       interval    not null constraint schedule_every_is_positive check (every > interval '0'),
  next_run_at timestamptz not null default now(),
  enabled     boolean     not null default true,
  last_job_id bigint      references queue.jobs (id) on delete set null
);
comment on table queue.schedules is
$$Periodic jobs.

queue.enqueue_due, called by every worker now and then, enqueues a schedule's job when
next_run_at has come and moves next_run_at to the next period boundary: at most one job per
period, whichever worker gets there first. The payload is validated on insert and update.$$;
comment on column queue.schedules.every is 'Period; next_run_at advances by whole periods, skipping any missed while nobody ran.';
comment on column queue.schedules.next_run_at is 'When the next job is due.';
comment on column queue.schedules.last_job_id is 'Job enqueued for the latest period (null once pruned).';

create table queue.noop_effects (
  job_id      bigint      primary key,
  worker_id   text        not null,
  attempt     bigint      not null,
  recorded_at timestamptz not null default now()
);
comment on table queue.noop_effects is
$$Effects of noop jobs that asked for one ("record_effect": true): a test device.

The worker inserts the row in the same transaction that completes the job, so a job that
succeeded has exactly one row here and a job whose completion was refused (its lease was lost)
has none. The reliability suite counts these rows to prove exactly-once completion.$$;
comment on column queue.noop_effects.attempt is 'The attempt (queue.jobs.attempts) that recorded the effect.';

-- sql/0290_queue_grants.sql
-- Who may do what in schema queue. Re-applied whenever it changes; run it again after a queue function is dropped and recreated.
-- Depends on every queue table (migrations/0005_queue.sql) and function (sql/0200..0280), roles of migrations/0002_roles.sql.

revoke all on schema queue from public;
revoke all on all tables in schema queue from public;
revoke all on all sequences in schema queue from public;
revoke all on all functions in schema queue from public;

grant usage on schema queue to candlestack_worker, candlestack_operator;

-- Both read everything in the queue; nobody but the owner updates or deletes jobs or events.
grant select on queue.job_kinds, queue.jobs, queue.job_events, queue.workers, queue.schedules
  to candlestack_worker, candlestack_operator;

-- Operators queue jobs from psql with a plain INSERT of the user-settable columns, and manage schedules.
grant insert (kind, payload, priority, run_at, unique_key, max_attempts, parent_id) on queue.jobs to candlestack_operator;
grant usage on sequence queue.jobs_id_seq to candlestack_operator;
grant insert on queue.noop_effects to candlestack_worker;
grant select on queue.noop_effects to candlestack_worker, candlestack_operator;
grant insert, update, delete on queue.schedules to candlestack_operator;

-- Called by the triggers of queue.jobs and queue.schedules as the inserting role, and useful as a dry run.
grant execute on function queue.validate_payload(text, jsonb) to candlestack_worker, candlestack_operator;
grant execute on function queue.validate_job(text, jsonb) to candlestack_worker, candlestack_operator;
grant execute on function queue.notify_claimable(text[]) to candlestack_worker, candlestack_operator;
grant execute on function queue.okx_bars() to candlestack_worker, candlestack_operator;

grant execute on function queue.enqueue(text, jsonb, smallint, timestamptz, text, integer, bigint)
  to candlestack_worker, candlestack_operator;
grant execute on function queue.cancel(bigint) to candlestack_operator;
grant execute on function queue.rerun(bigint) to candlestack_operator;

grant execute on function
  queue.claim(text, text[], integer, interval),
  queue.heartbeat(text, bigint[], integer[], interval),
  queue.report_progress(bigint, text, integer, double precision, text),
  queue.complete(bigint, text, integer, jsonb),
  queue.complete_many(bigint[], text, integer[]),
  queue.fail(bigint, text, integer, text, boolean),
  queue.finish_cancelled(bigint, text, integer),
  queue.release(bigint, text, integer),
  queue.rescue_expired(),
  queue.enqueue_due(),
  queue.prune(interval),
  queue.register_worker(text, text, integer, text[]),
  queue.worker_seen(text),
  queue.unregister_worker(text)
  to candlestack_worker;

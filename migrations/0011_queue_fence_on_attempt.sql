-- migrations/0011_queue_fence_on_attempt.sql
-- The worker-side queue functions take the attempt the claim returned (fence on job, worker and
-- attempt): drop their old signatures, which fenced on the worker id only, so no caller can still
-- pass the old fence. The new ones are created by sql/0225..0255 and granted by sql/0290.
-- Depends on 0005_queue.sql. On a new database none of these exist yet (if exists: nothing to do).
-- squawk: breaking the old callers is the point: a worker of the previous release still calling an
-- old signature gets 42883 (undefined function) rather than passing a fence that no longer holds.
-- Dropping a function locks no table; the timeouts only bound a wait on the catalog.
-- squawk-ignore-file ban-drop-function
set local search_path = pg_catalog, pg_temp;
set local lock_timeout = '10s';
set local statement_timeout = '1min';

drop function if exists queue.heartbeat(text, bigint[], interval);
drop function if exists queue.report_progress(bigint, text, double precision, text);
drop function if exists queue.complete(bigint, text, jsonb);
drop function if exists queue.complete_many(bigint[], text);
drop function if exists queue.fail(bigint, text, text, boolean);
drop function if exists queue.finish_cancelled(bigint, text);
drop function if exists queue.release(bigint, text);

comment on column queue.jobs.attempts is
$$Claims so far, counting the running one; release gives one back, rerun resets it.

The worker-side functions (heartbeat, report_progress, complete, complete_many, fail,
finish_cancelled, release) take the attempt the claim returned and refuse any other, so a late
answer from an earlier attempt is ignored even when the same worker id claimed the job again.$$;

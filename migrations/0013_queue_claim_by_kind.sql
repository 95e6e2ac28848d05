-- migrations/0013_queue_claim_by_kind.sql
-- jobs_claimable_by_kind: the queued jobs of each kind in claim order, so a worker that claims only some
-- kinds (--kinds backtest) reads its own kinds' heads instead of walking every other kind's backlog.
-- Depends on 0005_queue.sql (queue.jobs, jobs_claimable); queue.claim (sql/0220) uses it when kinds is given.
-- Cost: one more index entry per queued row version (insert, retry): 355 -> 439 WAL bytes per
-- inserted noop job here; a claim or completion writes none (their row versions are not queued).
-- squawk: CREATE INDEX CONCURRENTLY cannot run in the migrator's transaction. The plain build takes a
-- SHARE lock on queue.jobs: readers go on, writers (enqueue, claim, complete) wait for the build, which
-- reads the table once and writes only the queued rows (0.3 to 1.1 s for 200,000 queued rows on
-- the 2-core bench machine, bench/claim-backlog.sh).
-- lock_timeout makes a migration behind a long transaction fail cleanly instead of queueing every
-- writer behind it. A site with a big queue builds the index by hand first, without blocking anyone
-- (docs/operations.md, "Claiming by kind"), and IF NOT EXISTS then makes this file a no-op.
set local search_path = pg_catalog, pg_temp;
set local lock_timeout = '10s';
set local statement_timeout = '30min';

-- A concurrent build that failed leaves an INVALID index that IF NOT EXISTS would accept and the
-- planner would never use: refuse it, naming the fix.
do $$
begin
  if exists (select 1 from pg_catalog.pg_index as i
              where i.indexrelid operator(pg_catalog.=) pg_catalog.to_regclass('queue.jobs_claimable_by_kind')
                and not i.indisvalid) then
    raise exception 'migration 0013: index queue.jobs_claimable_by_kind exists but is INVALID (a failed CREATE INDEX CONCURRENTLY)'
      using errcode = 'object_not_in_prerequisite_state',
            hint = 'drop index concurrently queue.jobs_claimable_by_kind; then migrate again (or build it concurrently again first).';
  end if;
end;
$$;

-- squawk-ignore require-concurrent-index-creation
create index if not exists jobs_claimable_by_kind on queue.jobs (kind, priority, run_at, id) where status = 'queued';
comment on index queue.jobs_claimable_by_kind is
$$queue.claim with a kinds list: each kind's queued jobs in claim order (priority, run_at, id).

jobs_claimable (no kind) still serves claims of any kind (kinds null).$$;

-- migrations/0017_backtest_runs_once_per_job.sql
-- At most one run per job: backtest.runs.job_id becomes unique (index runs_job_id_is_unique).
-- Each backtest, optimize or walk_forward job stores exactly one run row (optimize's combinations
-- and walk_forward's windows hang off that run), so the job id alone identifies it.
-- Depends on 0007_backtest.sql. backtest.insert_run (sql/0420) replaces an earlier attempt's run.
--
-- Existing duplicates (a worker died, or its completion was refused, after committing its run,
-- and the retry stored the run again) are removed first: per job the newest run (highest id, the
-- one the job's result names when it succeeded) is kept, the older ones are deleted with their
-- trades, equity, metrics and optimisation or walk-forward rows (on delete cascade). A NOTICE
-- says how many runs were removed.
-- squawk: backtest.runs holds one row per finished job (thousands, not millions), and its writers
-- are backtest workers only; the index is built inside the migrator's transaction (CONCURRENTLY
-- cannot run there) under lock_timeout, so a migration behind a long reader fails cleanly.
set local search_path = pg_catalog, pg_temp;
set local lock_timeout = '10s';
set local statement_timeout = '10min';

do $$
declare
  v_removed bigint;
begin
  with older as (
    select r.id
      from backtest.runs as r
     where r.job_id is not null
       and exists (select 1 from backtest.runs as n where n.job_id = r.job_id and n.id > r.id)
  )
  delete from backtest.runs as r using older where r.id = older.id;
  get diagnostics v_removed = row_count;
  raise notice 'migration 0017: removed % duplicate backtest run(s), keeping the newest run of each job', v_removed;
end;
$$;

-- a small table written by workers only (see the header)
-- squawk-ignore require-concurrent-index-creation
create unique index runs_job_id_is_unique on backtest.runs (job_id);
comment on index backtest.runs_job_id_is_unique is
$$At most one run per queue job (NULLs, runs whose job was pruned, are not compared).

backtest.insert_run deletes an earlier attempt's run before inserting, so a retry replaces it;
a second writer racing the first fails on this index instead of storing a duplicate.$$;

-- the unique index serves every lookup the plain one did
-- squawk-ignore require-concurrent-index-deletion
drop index backtest.runs_job_id;

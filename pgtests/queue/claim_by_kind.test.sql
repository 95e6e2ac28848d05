-- pgtests/queue/claim_by_kind.test.sql
-- queue.claim with kinds reads only those kinds' heads (jobs_claimable_by_kind), however many other jobs are
-- queued ahead, and keeps the claim order across several kinds.
begin;
select plan(9);

-- SETUP: (pg_stat_get_xact_*: this transaction's own reads, counted as they happen) 5,000 noop jobs ahead of everything (priority 0), two rare kinds behind them.
delete from queue.jobs;
insert into queue.job_kinds (kind, description, validator) values
  ('test_rare', 'test kind', 'queue.validate_noop'), ('test_rare2', 'test kind', 'queue.validate_noop'),
  ('test_other', 'test kind', 'queue.validate_noop');
insert into queue.jobs (kind, priority, run_at) select 'noop', 0, now() - interval '1 hour' from generate_series(1, 5000);
insert into queue.jobs (kind, priority, run_at, unique_key) values
  ('test_rare',  10, now() - interval '3 min', 'a10'),
  ('test_rare',  30, now() - interval '1 min', 'a30'),
  ('test_rare2', 10, now() - interval '5 min', 'b10'),
  ('test_rare2', 20, now() - interval '1 min', 'b20'),
  ('test_rare2', 0,  now() + interval '1 hour', 'b-future'),
  ('test_other', 5,  now() - interval '1 hour', 'c5');
analyze queue.jobs;
create temporary table reads_before as
select (select sum(pg_stat_get_xact_tuples_returned(indexrelid)) from pg_index where indrelid = 'queue.jobs'::regclass) as idx_read,
       (select coalesce(seq_tup_read, 0) from pg_stat_xact_user_tables where relid = 'queue.jobs'::regclass) as seq_read,
       pg_stat_get_xact_numscans('queue.jobs_claimable_by_kind'::regclass) as by_kind_scans,
       pg_stat_get_xact_numscans('queue.jobs_claimable'::regclass) as any_kind_scans;

-- TEST
select is((select array_agg(unique_key) from queue.claim('w1', array['test_rare'], 1, '30 s')), array['a10'],
          'one job of a rare kind behind 5,000 others');
select cmp_ok((select sum(pg_stat_get_xact_tuples_returned(indexrelid)) from pg_index where indrelid = 'queue.jobs'::regclass)
                - (select idx_read from reads_before)
                + (select coalesce(seq_tup_read, 0) from pg_stat_xact_user_tables where relid = 'queue.jobs'::regclass)
                - (select seq_read from reads_before), '<', 20::numeric,
              'the claim visited fewer than 20 rows and index entries (not the 5,000 queued noop jobs)');
select is((select coalesce(seq_tup_read, 0) from pg_stat_xact_user_tables where relid = 'queue.jobs'::regclass)
            - (select seq_read from reads_before), 0::bigint, 'and no sequential scan of queue.jobs');
select cmp_ok(pg_stat_get_xact_numscans('queue.jobs_claimable_by_kind'::regclass)
                - (select by_kind_scans from reads_before), '>', 0::bigint, 'through jobs_claimable_by_kind');
select is(pg_stat_get_xact_numscans('queue.jobs_claimable'::regclass)
            - (select any_kind_scans from reads_before), 0::bigint, 'not through jobs_claimable');
select results_eq($$ select unique_key from queue.claim('w1', array['test_rare2', 'test_rare', 'test_rare2'], 2, '30 s')
                     order by priority, run_at, id $$,
                  array['b10', 'b20'], 'several kinds (listed twice, in any order): the best two overall, by priority, run_at, id');
select is((select array_agg(unique_key) from queue.claim('w1', array['test_rare', 'test_rare2'], 10, '30 s')), array['a30'],
          'then the rest; a future run_at and other kinds are not claimed');
select is((select count(*)::int from queue.claim('w1', array[]::text[], 10, '30 s')), 0, 'an empty kinds list claims nothing');
select is((select count(*)::int from queue.jobs where status = 'running' and locked_by = 'w1'), 4,
          'exactly the four claimed jobs are running, none locked in passing');

select * from finish();
rollback;

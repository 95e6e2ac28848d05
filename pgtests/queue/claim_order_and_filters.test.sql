-- pgtests/queue/claim_order_and_filters.test.sql
-- queue.claim takes claimable jobs by priority, run_at, id; skips future run_at and other kinds; sets the lease.
begin;
select plan(12);

-- SETUP
delete from queue.jobs;
insert into queue.job_kinds (kind, description, validator) values ('test_other', 'test kind', 'queue.validate_noop');
insert into queue.jobs (kind, priority, run_at, unique_key) values
  ('noop', 50, now() - interval '1 min', 'c'),
  ('noop', 10, now() - interval '1 min', 'b'),
  ('noop', 10, now() - interval '2 min', 'a'),
  ('noop', 50, now() - interval '1 min', 'd'),
  ('noop', 0,  now() + interval '1 hour', 'future'),
  ('test_other', 0, now() - interval '1 hour', 'other');

-- TEST
select results_eq($$ select unique_key from queue.claim('w1', array['noop'], 3, '30 s') order by priority, run_at, id $$,
                  array['a', 'b', 'c'], 'by priority, then run_at, then id');
select is((select array_agg(unique_key order by id) from queue.jobs where status = 'running'), array['c', 'b', 'a'],
          'exactly the three first are running');
select is((select count(*)::int from queue.jobs where status = 'running' and locked_by = 'w1' and attempts = 1
             and lease_until = now() + interval '30 s' and started_at = now()), 3,
          'locked by the worker, attempt counted, leased, started');
select is((select array_agg(unique_key) from queue.claim('w1', array['noop'], 10, '30 s')), array['d'],
          'a job whose run_at is in the future is skipped');
select is((select count(*)::int from queue.claim('w1', array['noop'], 10, '30 s')), 0, 'nothing left of that kind');
select is((select array_agg(unique_key) from queue.claim('w2', null, 10, '30 s')), array['other'],
          'kinds null claims any kind');
update queue.jobs set run_at = now() where unique_key = 'future';
select is((select array_agg(unique_key) from queue.claim('w2', array['test_other'], 10, '30 s')), null::text[],
          'a job of another kind is not claimed');
select is((select array_agg(unique_key) from queue.claim('w2', array['noop'], 10, '30 s')), array['future'],
          'a job claims once its run_at has come');
select throws_ok($$ select * from queue.claim('w1', null, 0, '30 s') $$, '22023', null, 'max_jobs must be positive');
select throws_ok($$ select * from queue.claim('w1', null, 1, '0 s') $$, '22023', null, 'lease must be positive');
select throws_ok($$ select * from queue.claim('', null, 1, '30 s') $$, '22023', null, 'worker_id must be given');
select is((select count(*)::int from queue.claim('w1', null, 10, '30 s')), 0, 'running jobs are not claimed again');

select * from finish();
rollback;

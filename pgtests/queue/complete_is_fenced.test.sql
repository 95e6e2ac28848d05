-- pgtests/queue/complete_is_fenced.test.sql
-- queue.complete and queue.complete_many apply only to jobs running under the calling worker.
begin;
select plan(10);

-- SETUP
delete from queue.jobs;
insert into queue.jobs (kind, unique_key) select 'noop', 'j' || i from generate_series(1, 4) as i;
select count(*) from queue.claim('w1', null, 3, '30 s');
select count(*) from queue.claim('w2', null, 1, '30 s');

-- TEST
select throws_ok($$ select queue.complete((select id from queue.jobs where unique_key = 'j1'), 'w2', 1) $$,
                 '55000', null, 'complete by another worker is refused');
select is((select (queue.complete((select id from queue.jobs where unique_key = 'j1'), 'w1', 1, '{"n": 1}')).status), 'succeeded',
          'complete by the holder succeeds');
select is((select row(result, progress, locked_by, lease_until, finished_at)::text from queue.jobs where unique_key = 'j1'),
          row('{"n": 1}'::jsonb, 1::real, null::text, null::timestamptz, now())::text,
          'result stored, progress 1, lease dropped, finished_at set');
select throws_ok($$ select queue.complete((select id from queue.jobs where unique_key = 'j1'), 'w1', 1) $$,
                 '55000', null, 'completing twice is refused');
select results_eq(
  $$ select * from queue.complete_many((select array_agg(id order by id) from queue.jobs), 'w1',
                                         (select array_agg(attempts order by id) from queue.jobs)) order by 1 $$,
  $$ select id from queue.jobs where unique_key in ('j2', 'j3') order by id $$,
  'complete_many completes only the jobs running under the worker and returns their ids');
select is((select count(*)::int from queue.jobs where status = 'succeeded'), 3, 'three succeeded');
select is((select status from queue.jobs where unique_key = 'j4'), 'running', 'the other worker''s job is untouched');
select is((select count(*)::int from queue.complete_many(array[]::bigint[], 'w2', array[]::integer[])), 0, 'an empty list completes nothing');
select is((select count(*)::int from queue.job_events), 0, 'success writes no event row (implied by the jobs row)');
select throws_ok($$ select queue.complete(-1, 'w1', 1) $$, '55000', null, 'an unknown job is refused');

select * from finish();
rollback;

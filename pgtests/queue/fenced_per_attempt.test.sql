-- pgtests/queue/fenced_per_attempt.test.sql
-- The worker-side functions are fenced on (job, worker, attempt): after a rescue and a new claim by the
-- same worker id (a restarted worker), the earlier attempt's answers are refused and change nothing.
begin;
select plan(22);

-- SETUP
delete from queue.jobs;
insert into queue.jobs (kind, unique_key, priority) values ('noop', 'a', 1), ('noop', 'b', 2);
select count(*) from queue.claim('w1', null, 2, '30 s');
update queue.jobs set lease_until = now() - interval '1 s';
select queue.rescue_expired();
update queue.jobs set run_at = now();   -- whatever backoff the rescue chose: claimable now
select count(*) from queue.claim('w1', null, 2, '30 s');
create temporary table t_before as select * from queue.jobs;
create temporary table t_events_before as select count(*) as n from queue.job_events;

-- TEST
select is((select array_agg(attempts order by id) from queue.jobs), array[2, 2], 'both jobs run again under w1, as attempt 2');
select throws_ok($$ select queue.complete((select id from queue.jobs where unique_key = 'a'), 'w1', 1) $$,
                 '55000', null, 'attempt 1: complete is refused');
select throws_ok($$ select queue.fail((select id from queue.jobs where unique_key = 'a'), 'w1', 1, 'late') $$,
                 '55000', null, 'attempt 1: fail is refused');
select throws_ok($$ select queue.report_progress((select id from queue.jobs where unique_key = 'a'), 'w1', 1, 0.5, 'late') $$,
                 '55000', null, 'attempt 1: report_progress is refused');
select throws_ok($$ select queue.release((select id from queue.jobs where unique_key = 'a'), 'w1', 1) $$,
                 '55000', null, 'attempt 1: release is refused');
select throws_ok($$ select queue.finish_cancelled((select id from queue.jobs where unique_key = 'a'), 'w1', 1) $$,
                 '55000', null, 'attempt 1: finish_cancelled is refused');
select is((select count(*)::int from queue.heartbeat('w1', (select array_agg(id order by id) from queue.jobs), array[1, 1], '1 hour')),
          0, 'attempt 1: heartbeat extends no lease');
select is((select count(*)::int from queue.complete_many((select array_agg(id order by id) from queue.jobs), 'w1', array[1, 1])),
          0, 'attempt 1: complete_many completes nothing');
select is((select array_agg(j::text order by j.id) from queue.jobs as j),
          (select array_agg(b::text order by b.id) from t_before as b), 'the refused calls changed no job');
select is((select count(*) from queue.job_events), (select n from t_events_before), 'and wrote no event');

select is((select array_agg(job_id order by job_id) from queue.heartbeat('w1', (select array_agg(id order by id) from queue.jobs),
                                                                          array[2, 2], '1 hour')),
          (select array_agg(id order by id) from queue.jobs), 'attempt 2: heartbeat extends both leases');
select is((select lease_until from queue.jobs where unique_key = 'a'), now() + interval '1 hour', 'to now() + lease');
select is(queue.report_progress((select id from queue.jobs where unique_key = 'a'), 'w1', 2, 0.5, 'half'), false,
          'attempt 2: report_progress is stored');
select is((select (queue.complete((select id from queue.jobs where unique_key = 'a'), 'w1', 2, '{"n": 2}')).status), 'succeeded',
          'attempt 2: complete succeeds');
select is((select (queue.fail((select id from queue.jobs where unique_key = 'b'), 'w1', 2, 'boom', false)).status), 'failed',
          'attempt 2: fail records the failure');

select throws_ok($$ select queue.complete(1, 'w1', null) $$, '22023', null, 'complete: a null attempt is refused');
select throws_ok($$ select queue.fail(1, 'w1', 0, 'x') $$, '22023', null, 'fail: attempt 0 is refused');
select throws_ok($$ select queue.report_progress(1, 'w1', -1, 0.5, null) $$, '22023', null, 'report_progress: a negative attempt is refused');
select throws_ok($$ select queue.release(1, 'w1', null) $$, '22023', null, 'release: a null attempt is refused');
select throws_ok($$ select queue.finish_cancelled(1, 'w1', 0) $$, '22023', null, 'finish_cancelled: attempt 0 is refused');
select throws_ok($$ select * from queue.heartbeat('w1', array[1, 2], array[1], '30 s') $$, '22023', null,
                 'heartbeat: one attempt per job id');
select throws_ok($$ select * from queue.complete_many(array[1, 2], 'w1', array[1, null]) $$, '22023', null,
                 'complete_many: a null attempt is refused');

select * from finish();
rollback;

-- pgtests/queue/cancel_queued_and_running.test.sql
-- queue.cancel: a queued job is cancelled at once, a running one is flagged; finished jobs are refused.
begin;
select plan(12);

-- SETUP
delete from queue.jobs;
insert into queue.jobs (kind, unique_key, priority) values ('noop', 'run', 1), ('noop', 'wait', 2);
select count(*) from queue.claim('w1', null, 1, '30 s');

-- TEST
select is((select (queue.cancel((select id from queue.jobs where unique_key = 'wait'))).status), 'cancelled',
          'a queued job is cancelled at once');
select is((select finished_at from queue.jobs where unique_key = 'wait'), now(), 'with finished_at');
select is((select count(*)::int from queue.claim('w2', null, 10, '30 s')), 0, 'and is never claimed');
select is((select (queue.cancel((select id from queue.jobs where unique_key = 'run'))).status), 'running',
          'a running job keeps running');
select is((select cancel_requested_at from queue.jobs where unique_key = 'run'), now(), 'with cancel_requested_at set');
select is((select event from queue.job_events where job_id = (select id from queue.jobs where unique_key = 'run')),
          'cancel_requested', 'a cancel_requested event');
select is((select cancel_requested from queue.heartbeat('w1', array[(select id from queue.jobs where unique_key = 'run')], array[1], '30 s')),
          true, 'the worker sees the request in its heartbeat');
select throws_ok($$ select queue.finish_cancelled((select id from queue.jobs where unique_key = 'run'), 'w2', 1) $$,
                 '55000', null, 'finish_cancelled by another worker is refused');
select is((select (queue.finish_cancelled((select id from queue.jobs where unique_key = 'run'), 'w1', 1)).status), 'cancelled',
          'finish_cancelled by the holder cancels it');
select is((select row(locked_by, lease_until, finished_at)::text from queue.jobs where unique_key = 'run'),
          row(null::text, null::timestamptz, now())::text, 'lease dropped, finished_at set');
select throws_ok($$ select queue.cancel((select id from queue.jobs where unique_key = 'run')) $$,
                 '55000', null, 'a finished job cannot be cancelled');
select throws_ok($$ select queue.cancel(-1) $$, 'P0002', null, 'an unknown job is reported');

select * from finish();
rollback;

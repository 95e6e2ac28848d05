-- pgtests/queue/fail_retries_with_backoff.test.sql
-- queue.fail requeues after queue.retry_delay until max_attempts, then fails for good; it is fenced.
begin;
select plan(13);

-- SETUP
delete from queue.jobs;
insert into queue.jobs (kind, max_attempts, unique_key) values ('noop', 2, 'f1'), ('noop', 5, 'f2');
select count(*) from queue.claim('w1', null, 10, '30 s');

-- TEST
select throws_ok($$ select queue.fail((select id from queue.jobs where unique_key = 'f1'), 'w2', 1, 'boom') $$,
                 '55000', null, 'fail by another worker is refused');
select is((select (queue.fail((select id from queue.jobs where unique_key = 'f1'), 'w1', 1, 'boom 1')).status), 'queued',
          'a first failure requeues');
select ok((select run_at between now() + interval '1.5 s' and now() + interval '2.5 s' from queue.jobs where unique_key = 'f1'),
          'after 2^1 s with jitter 0.75..1.25');
select is((select row(last_error, locked_by, lease_until, finished_at, attempts)::text from queue.jobs where unique_key = 'f1'),
          row('boom 1', null::text, null::timestamptz, null::timestamptz, 1)::text, 'error kept, lease dropped, attempt counted');
select is((select row(event, worker_id, message, (data ->> 'attempt')::int)::text from queue.job_events
            where job_id = (select id from queue.jobs where unique_key = 'f1')),
          row('retry', 'w1', 'boom 1', 1)::text, 'a retry event keeps the error and the attempt');
update queue.jobs set run_at = now() where unique_key = 'f1';
select is((select count(*)::int from queue.claim('w1', null, 10, '30 s')), 1, 'claimable again after the backoff');
select is((select (queue.fail((select id from queue.jobs where unique_key = 'f1'), 'w1', 2, 'boom 2')).status), 'failed',
          'the failure at max_attempts is final');
select is((select row(attempts, finished_at, last_error)::text from queue.jobs where unique_key = 'f1'),
          row(2, now(), 'boom 2')::text, 'with finished_at and the last error');
select is((select event from queue.job_events where job_id = (select id from queue.jobs where unique_key = 'f1') order by id desc limit 1),
          'failed', 'a failed event');
select throws_ok($$ select queue.fail((select id from queue.jobs where unique_key = 'f1'), 'w1', 2, 'again') $$,
                 '55000', null, 'a failed job cannot fail again');
select is((select (queue.fail((select id from queue.jobs where unique_key = 'f2'), 'w1', 1, 'bad input', false)).status), 'failed',
          'retryable = false fails for good at once');
select is((select attempts from queue.jobs where unique_key = 'f2'), 1, 'after one attempt of five');
select is((select count(*)::int from queue.jobs where status = 'failed' and finished_at is not null), 2, 'both failed for good');

select * from finish();
rollback;

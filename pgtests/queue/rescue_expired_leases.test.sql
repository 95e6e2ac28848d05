-- pgtests/queue/rescue_expired_leases.test.sql
-- queue.rescue_expired requeues running jobs past their lease after a backoff (attempt kept) or fails them at max_attempts.
begin;
select plan(10);

-- SETUP
delete from queue.jobs;
insert into queue.jobs (kind, unique_key, max_attempts) values ('noop', 'again', 3), ('noop', 'last', 1), ('noop', 'alive', 3);
select count(*) from queue.claim('w1', null, 10, '30 s');
update queue.jobs set lease_until = now() - interval '1 s' where unique_key in ('again', 'last');

-- TEST
select is(queue.rescue_expired(), 2, 'two expired leases handled');
select is((select row(status, attempts, locked_by, lease_until)::text from queue.jobs where unique_key = 'again'),
          row('queued', 1, null::text, null::timestamptz)::text, 'requeued, the attempt stays counted');
select ok((select run_at between now() + interval '1.5 s' and now() + interval '2.5 s' from queue.jobs where unique_key = 'again'),
          'after queue.retry_delay(1), like a failed attempt, not at once');
select ok((select last_error like '%lease expired%w1%' from queue.jobs where unique_key = 'again'), 'last_error names the lost worker');
select is((select row(status, finished_at)::text from queue.jobs where unique_key = 'last'),
          row('failed', now())::text, 'at max_attempts the job fails for good');
select is((select status from queue.jobs where unique_key = 'alive'), 'running', 'a job within its lease is untouched');
select is((select array_agg(event order by event) from queue.job_events), array['failed', 'rescued'],
          'a rescued and a failed event');
select throws_ok($$ select queue.complete((select id from queue.jobs where unique_key = 'again'), 'w1', 1) $$,
                 '55000', null, 'the late worker''s answer is refused');
update queue.jobs set run_at = now() where unique_key = 'again';
select is((select attempts from queue.claim('w2', null, 1, '30 s')), 2, 'the next claim is attempt 2');
select is(queue.rescue_expired(), 0, 'nothing more to rescue');

select * from finish();
rollback;

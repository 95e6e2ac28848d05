-- pgtests/queue/release_does_not_count_attempt.test.sql
-- queue.release gives a running job back, claimable now, without counting the attempt; fenced.
begin;
select plan(6);

-- SETUP
delete from queue.jobs;
insert into queue.jobs (kind, unique_key) values ('noop', 'r');
select count(*) from queue.claim('w1', null, 1, '30 s');
select queue.report_progress((select id from queue.jobs), 'w1', 1, 0.3, 'a third');

-- TEST
select throws_ok($$ select queue.release((select id from queue.jobs), 'w2', 1) $$, '55000', null, 'release by another worker is refused');
select is((select row(status, attempts, locked_by, lease_until, run_at)::text from queue.release((select id from queue.jobs), 'w1', 1)),
          row('queued', 0, null::text, null::timestamptz, now())::text, 'queued again, attempt not counted, claimable now');
select is((select progress from queue.jobs), 0.3::real, 'progress kept for a resumable handler');
select is((select event from queue.job_events where event <> 'progress'), 'released', 'a released event');
select is((select attempts from queue.claim('w2', null, 1, '30 s')), 1, 'the next claim is attempt 1');
select throws_ok($$ select queue.release((select id from queue.jobs), 'w1', 1) $$, '55000', null, 'the former holder cannot release it again');

select * from finish();
rollback;

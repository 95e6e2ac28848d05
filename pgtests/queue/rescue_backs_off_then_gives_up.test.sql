-- pgtests/queue/rescue_backs_off_then_gives_up.test.sql
-- A job that kills its worker every time (its lease always expires) is retried after a growing backoff,
-- then failed for good at max_attempts with an error saying how many times the lease expired.
begin;
select plan(9);

-- SETUP
delete from queue.jobs;
insert into queue.jobs (kind, unique_key, max_attempts) values ('noop', 'killer', 3);
create temporary table t_run_at (attempt int, delay interval);
-- Attempts 1 and 2: claimed, the worker dies (lease in the past), rescued.
do $$
begin
  for i in 1..2 loop
    perform count(*) from queue.claim('w1', null, 1, '30 s');
    update queue.jobs set lease_until = now() - interval '1 s' where unique_key = 'killer';
    perform queue.rescue_expired();
    insert into t_run_at select i, run_at - now() from queue.jobs where unique_key = 'killer';
    update queue.jobs set run_at = now() where unique_key = 'killer';
  end loop;
end $$;

-- TEST
select ok((select delay between interval '1.5 s' and interval '2.5 s' from t_run_at where attempt = 1),
          'after the first expiry: queue.retry_delay(1), 1.5 to 2.5 s');
select ok((select delay between interval '3 s' and interval '5 s' from t_run_at where attempt = 2),
          'after the second: queue.retry_delay(2), 3 to 5 s');
select is((select status from queue.jobs where unique_key = 'killer'), 'queued', 'still queued before its last attempt');
select is((select attempts from queue.claim('w1', null, 1, '30 s')), 3, 'the last attempt is claimed');
update queue.jobs set lease_until = now() - interval '1 s' where unique_key = 'killer';
select is(queue.rescue_expired(), 1, 'its lease expires again');
select is((select row(status, finished_at, locked_by)::text from queue.jobs where unique_key = 'killer'),
          row('failed', now(), null::text)::text, 'failed for good at max_attempts');
select ok((select last_error like 'lease expired 3 time(s) in 3 attempt(s)%under worker w1 (attempt 3 of 3)'
             from queue.jobs where unique_key = 'killer'), 'the error says the lease expired 3 times and names the worker');
select is((select array_agg(event order by id) from queue.job_events), array['rescued', 'rescued', 'failed'],
          'two rescued events, then failed');
select is((select array_agg((data ->> 'lease_expiries')::int order by id) from queue.job_events), array[1, 2, 3],
          'each event counts the expiries so far');

select * from finish();
rollback;

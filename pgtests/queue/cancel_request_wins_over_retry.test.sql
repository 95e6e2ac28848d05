-- pgtests/queue/cancel_request_wins_over_retry.test.sql
-- One rule (queue.status_after_attempt): a running job whose cancellation was requested ends cancelled,
-- never queued or failed, whether its attempt fails (retryable or not, at max_attempts or not), is
-- released, or loses its lease.
begin;
select plan(13);

-- SETUP
delete from queue.jobs;
insert into queue.jobs (kind, unique_key, max_attempts) values
  ('noop', 'fail_retryable', 3), ('noop', 'fail_permanent', 3), ('noop', 'fail_last', 1),
  ('noop', 'release', 3), ('noop', 'rescue', 3), ('noop', 'rescue_last', 1);
select count(*) from queue.claim('w1', null, 10, '30 s');
select queue.cancel(id) from queue.jobs;
update queue.jobs set lease_until = now() - interval '1 s' where unique_key like 'rescue%';

-- TEST
select is((select status from queue.fail((select id from queue.jobs where unique_key = 'fail_retryable'), 'w1', 1, 'boom')),
          'cancelled', 'fail, retryable: cancelled, not retried');
select is((select status from queue.fail((select id from queue.jobs where unique_key = 'fail_permanent'), 'w1', 1, 'bad', false)),
          'cancelled', 'fail, not retryable: cancelled, not failed');
select is((select status from queue.fail((select id from queue.jobs where unique_key = 'fail_last'), 'w1', 1, 'boom')),
          'cancelled', 'fail at max_attempts: cancelled, not failed');
select is((select last_error from queue.jobs where unique_key = 'fail_retryable'), 'boom', 'fail keeps the error');
select is((select status from queue.release((select id from queue.jobs where unique_key = 'release'), 'w1', 1)),
          'cancelled', 'release: cancelled, not requeued');
select is(queue.rescue_expired(), 2, 'rescue_expired handles the two expired leases');
select is((select status from queue.jobs where unique_key = 'rescue'), 'cancelled', 'rescue: cancelled, not requeued');
select is((select status from queue.jobs where unique_key = 'rescue_last'), 'cancelled', 'rescue at max_attempts: cancelled, not failed');
select is((select count(*)::int from queue.jobs where status = 'cancelled' and finished_at = now() and locked_by is null), 6,
          'every path: finished_at set, lease dropped');
select is((select array_agg(distinct e.event) from queue.job_events as e where e.event <> 'cancel_requested'), array['cancelled'],
          'every path writes a cancelled event');
select is(queue.status_after_attempt(now(), true, 1, 5), 'cancelled', 'the rule: a cancel request wins');
select is(queue.status_after_attempt(null, true, 1, 5), 'queued', 'the rule: retried while attempts remain');
select is(array[queue.status_after_attempt(null, true, 5, 5), queue.status_after_attempt(null, false, 1, 5)], array['failed', 'failed'],
          'the rule: failed at max_attempts or when not retryable');

select * from finish();
rollback;

-- pgtests/queue/cancel_request_wins_over_retry.test.sql
-- A running job whose cancellation was requested is not requeued by fail, release or rescue_expired.
begin;
select plan(4);

-- SETUP
delete from queue.jobs;
insert into queue.jobs (kind, unique_key) values ('noop', 'f'), ('noop', 'r'), ('noop', 'x');
select count(*) from queue.claim('w1', null, 3, '30 s');
select queue.cancel(id) from queue.jobs;
update queue.jobs set lease_until = now() - interval '1 s' where unique_key = 'x';

-- TEST
select is((select status from queue.fail((select id from queue.jobs where unique_key = 'f'), 'w1', 1, 'boom')), 'failed',
          'fail does not retry a job whose cancellation was requested');
select is((select status from queue.release((select id from queue.jobs where unique_key = 'r'), 'w1', 1)), 'cancelled',
          'release cancels it instead of requeueing');
select is(queue.rescue_expired(), 1, 'rescue_expired handles the expired one');
select is((select row(status, finished_at)::text from queue.jobs where unique_key = 'x'), row('cancelled', now())::text,
          'and cancels it instead of requeueing');

select * from finish();
rollback;

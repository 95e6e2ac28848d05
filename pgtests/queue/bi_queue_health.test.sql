-- pgtests/queue/bi_queue_health.test.sql
-- bi.queue_health counts jobs per kind by state and window, and documents every column.
begin;
select plan(4);

-- SETUP
delete from queue.jobs;
insert into queue.jobs (kind, run_at, unique_key) values
  ('noop', now() - interval '10 min', 'a'), ('noop', now() - interval '5 min', 'b'), ('noop', now(), 'c'),
  ('noop', now() + interval '1 hour', 'later');
select count(*) from queue.claim('w1', null, 1, '30 s');
select count(*) from queue.claim('w1', null, 1, '30 s');
select queue.complete((select id from queue.jobs where unique_key = 'a'), 'w1', 1);
update queue.jobs set started_at = now() - interval '2 s' where unique_key = 'a';

-- TEST
select is((select row(queued_now, scheduled, running, succeeded_24h, failed_24h, cancelled_24h)::text
             from bi.queue_health where kind = 'noop'),
          row(1, 1, 1, 1, 0, 0)::text, 'counts by state');
select is((select oldest_queued_age from bi.queue_health where kind = 'noop'), interval '0', 'oldest claimable job age');
select is((select run_time_p50_1h from bi.queue_health where kind = 'noop'), interval '2 s', 'median run time');
select is((select count(*)::int from pg_attribute a
            where a.attrelid = 'bi.queue_health'::regclass and a.attnum > 0
              and col_description(a.attrelid, a.attnum) is null), 0, 'every column has a comment');

select * from finish();
rollback;

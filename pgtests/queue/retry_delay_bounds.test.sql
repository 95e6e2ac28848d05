-- pgtests/queue/retry_delay_bounds.test.sql
-- queue.retry_delay is least(1 hour, 2^attempts s) times a jitter in [0.75, 1.25).
begin;
select plan(4);

-- TEST
select ok((select bool_and(queue.retry_delay(a) >= make_interval(secs => least(3600, 2 ^ a) * 0.75)
                       and queue.retry_delay(a) <  make_interval(secs => least(3600, 2 ^ a) * 1.25))
             from generate_series(0, 20) as a, generate_series(1, 20) as r),
          'within the bounds for attempts 0..20');
select ok((select max(queue.retry_delay(30)) < interval '75 min' from generate_series(1, 50)), 'capped at 1 hour (+25%)');
select ok((select count(distinct queue.retry_delay(3)) > 1 from generate_series(1, 20)), 'jittered');
select ok(queue.retry_delay(1) > interval '0', 'never zero: a failed job is not retried in the same instant');

select * from finish();
rollback;

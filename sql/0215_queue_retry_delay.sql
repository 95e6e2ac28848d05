-- sql/0215_queue_retry_delay.sql
-- queue.retry_delay: exponential backoff with jitter between attempts of a failing job.
-- Depends on schema queue only.

create or replace function queue.retry_delay(attempts integer)
returns interval
language sql
volatile
parallel safe
set search_path = ''
as $$
  select pg_catalog.make_interval(secs => least(3600.0, pg_catalog.power(2.0, greatest(attempts, 0)))
                                          * (0.75 + pg_catalog.random() * 0.5))
$$;
comment on function queue.retry_delay(integer) is
$$Delay before the next attempt after attempts failed ones.

least(1 hour, 2^attempts seconds) times a random factor in [0.75, 1.25): 1.5-2.5 s after the
first failure, 3-5 s after the second, ... at most 45-75 minutes. The jitter spreads retries of
jobs that failed together (an OKX outage) so they do not come back at the same instant.$$;

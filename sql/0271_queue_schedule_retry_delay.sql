-- sql/0271_queue_schedule_retry_delay.sql
-- queue.schedule_retry_delay: bounded exponential backoff of a schedule whose job was refused.
-- Depends on schema queue only; queue.enqueue_due (sql/0270) calls it.

create or replace function queue.schedule_retry_delay(failures integer)
returns interval
language sql
immutable
parallel safe
set search_path = ''
as $$
  select pg_catalog.make_interval(secs => least(3600.0, 15.0 * pg_catalog.power(2.0, greatest(failures, 1) - 1)))
$$;
comment on function queue.schedule_retry_delay(integer) is
$$Delay before a failing schedule is tried again, after failures consecutive refused attempts.

least(1 hour, 15 s * 2^(failures - 1)): 15 s after the first refusal, 30 s, 1 min, 2 min, ...
and at most 1 hour from the ninth on. No jitter: schedules fail for a reason of their own (a
disabled kind, a payload the validator refuses), not all together, and the delay stays testable.$$;

-- pgtests/queue/enqueue_due_schedules_fail_alone.test.sql
-- queue.enqueue_due: a schedule whose job is refused (its kind disabled) records the error and backs off
-- alone while the others fire; once its kind is back it fires and its failures are reset.
begin;
select plan(24);

-- SETUP
delete from queue.jobs;
delete from queue.schedules;
insert into queue.job_kinds (kind, description, validator) values ('test_sfa', 'test kind', 'queue.validate_noop');
-- 'bad' is the oldest due: before the fix its refusal rolled the whole call back, every time.
insert into queue.schedules (name, kind, payload, every, next_run_at) values
  ('bad', 'test_sfa', '{}', interval '1 hour', now() - interval '90 min'),
  ('good1', 'noop', '{}', interval '1 hour', now() - interval '10 min'),
  ('good2', 'noop', '{}', interval '1 hour', now() - interval '5 min');
update queue.job_kinds set enabled = false where kind = 'test_sfa';

-- TEST
select is(queue.enqueue_due(), 2, 'the two good schedules fire although the oldest due one is refused');
select is((select array_agg(unique_key order by unique_key) from queue.jobs), array['schedule:good1', 'schedule:good2'],
          'their jobs are queued, and no job of the refused schedule');
select is((select failures from queue.schedules where name = 'bad'), 1, 'the refused schedule counts one failure');
select ok((select last_error like '%(SQLSTATE 55000)' from queue.schedules where name = 'bad'),
          'its last_error carries the SQLSTATE of the refusal (55000: kind disabled)');
select is((select row(last_failed_at, failing_since)::text from queue.schedules where name = 'bad'), row(now(), now())::text,
          'last_failed_at and failing_since are set');
select is((select retry_at from queue.schedules where name = 'bad'), now() + interval '15 seconds', 'it backs off 15 s');
select is((select next_run_at from queue.schedules where name = 'bad'), now() - interval '90 min',
          'its next_run_at is kept: the period it has not fired for');
select is((select array_agg(failures order by name) from queue.schedules where name like 'good%'), array[0, 0],
          'the good schedules record no failure');
select is((select array_agg(name || ':' || keeps_failing) from bi.failing_schedules), array['bad:false'],
          'bi.failing_schedules lists it, not yet as keeping failing');

select is(queue.enqueue_due(), 0, 'while it backs off, it is not tried');
select is((select failures from queue.schedules where name = 'bad'), 1, 'so its failures stay at 1');

update queue.schedules set retry_at = now() - interval '1 s' where name = 'bad';
select is(queue.enqueue_due(), 0, 'tried again once retry_at has come, and refused again');
update queue.schedules set retry_at = now() - interval '1 s' where name = 'bad';
select is(queue.enqueue_due(), 0, 'and a third time');
select is((select row(failures, retry_at)::text from queue.schedules where name = 'bad'), row(3, now() + interval '1 min')::text,
          'three failures in a row: the backoff doubled to 1 min');
select is((select keeps_failing from bi.failing_schedules where name = 'bad'), true, 'three in a row: it keeps failing');
select is((select failing_since from queue.schedules where name = 'bad'), now(), 'failing_since is the first failure of the run');

update queue.job_kinds set enabled = true where kind = 'test_sfa';
update queue.schedules set retry_at = now() - interval '1 s' where name = 'bad';
select is(queue.enqueue_due(), 1, 'its kind enabled again, it fires');
select is((select count(*)::int from queue.jobs where unique_key = 'schedule:bad' and kind = 'test_sfa'), 1, 'its job is queued');
select is((select row(failures, failing_since, retry_at)::text from queue.schedules where name = 'bad'),
          row(0, null::timestamptz, null::timestamptz)::text, 'failures reset, failing_since and retry_at cleared');
select is((select next_run_at from queue.schedules where name = 'bad'), now() + interval '30 min',
          'next_run_at moves to the next period boundary');
select is((select count(*)::int from bi.failing_schedules), 0, 'bi.failing_schedules is empty again');

select is(array[queue.schedule_retry_delay(1), queue.schedule_retry_delay(2), queue.schedule_retry_delay(9), queue.schedule_retry_delay(1000)],
          array[interval '15 s', interval '30 s', interval '1 hour', interval '1 hour'], 'the backoff is bounded at 1 hour');

select throws_ok($$ insert into queue.schedules (name, kind, every) values ('too_fast', 'noop', interval '1 microsecond') $$,
                 '23514', 'new row for relation "schedules" violates check constraint "schedule_every_is_at_least_one_second"',
                 'a period of one microsecond is refused, naming the rule on every');
select throws_ok($$ update queue.schedules set every = interval '0.5 s' where name = 'good1' $$,
                 '23514', null, 'and so is an update to half a second');

select * from finish();
rollback;

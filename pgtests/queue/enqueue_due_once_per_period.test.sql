-- pgtests/queue/enqueue_due_once_per_period.test.sql
-- queue.enqueue_due fires each due schedule once per period, advances next_run_at, and never doubles a live job.
begin;
select plan(11);

-- SETUP
delete from queue.jobs;
delete from queue.schedules;
insert into queue.schedules (name, kind, payload, every, next_run_at) values
  ('tick', 'noop', '{"sleep_ms": 1}', interval '1 hour', now() - interval '150 min'),
  ('later', 'noop', '{}', interval '1 hour', now() + interval '5 min');
insert into queue.schedules (name, kind, every, next_run_at, enabled) values ('off', 'noop', interval '1 min', now() - interval '1 hour', false);

-- TEST
select is(queue.enqueue_due(), 1, 'one schedule is due');
select is((select row(kind, payload, unique_key)::text from queue.jobs),
          row('noop', '{"sleep_ms": 1, "fail": false, "record_effect": false}'::jsonb, 'schedule:tick')::text, 'its job is queued with its payload');
select is((select next_run_at from queue.schedules where name = 'tick'), now() + interval '30 min',
          'next_run_at moves to the next period boundary after now (missed periods skipped)');
select is((select last_job_id from queue.schedules where name = 'tick'), (select id from queue.jobs), 'last_job_id recorded');
select is(queue.enqueue_due(), 0, 'a second call in the same period fires nothing');
select is((select count(*)::int from queue.jobs), 1, 'one job per period');
update queue.schedules set next_run_at = now() - interval '1 s' where name = 'tick';
select is(queue.enqueue_due(), 1, 'due again while the previous job is still queued');
select is((select count(*)::int from queue.jobs), 1, 'the live job is not doubled (unique_key)');
select is((select next_run_at from queue.schedules where name = 'tick'), now() + interval '1 hour' - interval '1 s', 'still advanced');
select is((select next_run_at from queue.schedules where name = 'off'), now() - interval '1 hour', 'a disabled schedule is left alone');
select throws_ok($$ insert into queue.schedules (name, kind, payload, every) values ('bad', 'noop', '{"sleep_ms": "x"}', '1 min') $$,
                 '22023', null, 'a schedule with a bad payload is refused when written');

select * from finish();
rollback;

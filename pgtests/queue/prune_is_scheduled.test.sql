-- pgtests/queue/prune_is_scheduled.test.sql
-- The schema ships an hourly schedule 'prune' of kind prune, so pruning runs with nobody acting.
begin;
select plan(5);

-- SETUP
delete from queue.jobs;
delete from queue.schedules where name <> 'prune';

-- TEST
select is((select row(kind, every, enabled)::text from queue.schedules where name = 'prune'),
          row('prune', interval '1 hour', true)::text, 'an enabled hourly schedule of kind prune exists');
select ok((select next_run_at > now() from queue.schedules where name = 'prune'),
          'on a fresh schema it is not due yet (first run a day after the migration)');
update queue.schedules set next_run_at = now() - interval '1 second' where name = 'prune';
select is(queue.enqueue_due(), 1, 'it fires when due');
select is((select row(kind, payload)::text from queue.jobs), row('prune', '{"batch_size": 1000}'::jsonb)::text,
          'a prune job is queued, its payload normalized');
select throws_ok($$ select queue.validate_prune('{"batch_size": 0}') $$, '22023', null, 'a batch_size of 0 is refused');

select * from finish();
rollback;

-- pgtests/queue/insert_trigger_fills_defaults.test.sql
-- A plain INSERT into queue.jobs gets its payload normalized and priority/max_attempts from queue.job_kinds.
begin;
select plan(8);

-- SETUP
insert into queue.job_kinds (kind, description, max_attempts, priority, validator)
values ('test_defaults', 'test kind', 7, 42, 'queue.validate_noop');
insert into queue.jobs (kind, payload) values ('test_defaults', '{"sleep_ms": 10}');
insert into queue.jobs (kind, payload, priority, max_attempts) values ('test_defaults', '{}', 3, 2);

-- TEST
select is((select payload from queue.jobs where kind = 'test_defaults' and priority = 42),
          '{"sleep_ms": 10, "fail": false, "record_effect": false}'::jsonb, 'missing payload fields get their defaults');
select is((select max_attempts from queue.jobs where kind = 'test_defaults' and priority = 42), 7,
          'max_attempts defaults to the kind''s');
select is((select count(*)::int from queue.jobs where kind = 'test_defaults' and priority = 3 and max_attempts = 2), 1,
          'explicit priority and max_attempts are kept');
select is((select status from queue.jobs where kind = 'test_defaults' and priority = 42), 'queued', 'a new job is queued');
select is((select attempts from queue.jobs where kind = 'test_defaults' and priority = 42), 0, 'with no attempts');
select is((select created_by from queue.jobs where kind = 'test_defaults' and priority = 42), current_user::text,
          'created_by is the inserting role');
select is((select payload from queue.jobs where kind = 'test_defaults' and priority = 3),
          '{"sleep_ms": 0, "fail": false, "record_effect": false}'::jsonb, 'an empty payload is filled in completely');
update queue.jobs set payload = '{"fail": true}' where kind = 'test_defaults' and priority = 3;
select is((select payload from queue.jobs where kind = 'test_defaults' and priority = 3),
          '{"sleep_ms": 0, "fail": true, "record_effect": false}'::jsonb, 'an UPDATE of payload is normalized too');

select * from finish();
rollback;

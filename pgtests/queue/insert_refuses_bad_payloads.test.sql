-- pgtests/queue/insert_refuses_bad_payloads.test.sql
-- A bad job row is refused at INSERT (and by queue.enqueue), with SQLSTATE 22023, or 55000 for a disabled kind.
begin;
select plan(13);

-- SETUP
insert into queue.job_kinds (kind, description, validator, enabled)
values ('test_disabled', 'test kind', 'queue.validate_noop', false);

-- TEST
select throws_ok($$ insert into queue.jobs (kind, payload) values ('no_such_kind', '{}') $$,
                 '22023', null, 'unknown kind');
select throws_ok($$ insert into queue.jobs (kind, payload) values ('noop', '{"sleep_ms": "10"}') $$,
                 '22023', null, 'an integer given as a string');
select throws_ok($$ insert into queue.jobs (kind, payload) values ('noop', '{"sleep_ms": 1.5}') $$,
                 '22023', null, 'a fraction for an integer');
select throws_ok($$ insert into queue.jobs (kind, payload) values ('noop', '{"sleep_ms": -1}') $$,
                 '22023', null, 'below the range');
select throws_ok($$ insert into queue.jobs (kind, payload) values ('noop', '{"sleep_ms": 3600001}') $$,
                 '22023', null, 'above the range');
select throws_ok($$ insert into queue.jobs (kind, payload) values ('noop', '{"fail": "yes"}') $$,
                 '22023', null, 'a boolean given as a string');
select throws_ok($$ insert into queue.jobs (kind, payload) values ('noop', '{"sleep": 10}') $$,
                 '22023', null, 'an unknown field');
select throws_ok($$ insert into queue.jobs (kind, payload) values ('noop', '[1, 2]') $$,
                 '22023', null, 'a payload that is not an object');
select throws_ok($$ insert into queue.jobs (kind, payload) values ('test_disabled', '{}') $$,
                 '55000', null, 'a disabled kind');
select throws_ok($$ select queue.enqueue('noop', '{"sleep_ms": true}') $$,
                 '22023', null, 'queue.enqueue validates the same way');
select throws_ok($$ select queue.enqueue('no_such_kind') $$,
                 '22023', null, 'queue.enqueue refuses an unknown kind');
insert into queue.jobs (kind, payload) values ('noop', '{}');
select throws_ok($$ update queue.jobs set payload = '{"sleep_ms": null, "bogus": 1}' where kind = 'noop' $$,
                 '22023', null, 'an UPDATE of payload is validated');
select throws_ok($$ insert into queue.jobs (kind, payload, priority) values ('noop', '{}', 5000) $$,
                 '23514', null, 'priority out of range (job_priority_in_range)');

select * from finish();
rollback;

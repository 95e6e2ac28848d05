-- pgtests/queue/validate_job.test.sql
-- queue.validate_job: one look-up gives the normalized payload and the kind's defaults; its errors are
-- those of queue.validate_payload, which returns the same payload.
begin;
select plan(9);

-- SETUP
insert into queue.job_kinds (kind, description, max_attempts, priority, validator)
values ('test_vj', 'test kind', 7, 42, 'queue.validate_noop');
insert into queue.job_kinds (kind, description, max_attempts, priority, validator, enabled)
values ('test_vj_off', 'disabled test kind', 1, 1, 'queue.validate_noop', false);

-- TEST
select is((select normalized from queue.validate_job('test_vj', '{"sleep_ms": 5}')),
          '{"sleep_ms": 5, "fail": false, "record_effect": false}'::jsonb, 'normalized payload with defaults filled in');
select is((select default_priority from queue.validate_job('test_vj', '{}')), 42::smallint, 'default_priority is the kind''s');
select is((select default_max_attempts from queue.validate_job('test_vj', '{}')), 7, 'default_max_attempts is the kind''s');
select is((select normalized from queue.validate_job('test_vj', null)),
          '{"sleep_ms": 0, "fail": false, "record_effect": false}'::jsonb, 'a null payload is an empty object');
select is(queue.validate_payload('test_vj', '{"sleep_ms": 5}'),
          (select normalized from queue.validate_job('test_vj', '{"sleep_ms": 5}')), 'validate_payload returns the same payload');
select throws_ok($$select queue.validate_job('test_vj_missing', '{}')$$, '22023', null, 'unknown kind: 22023');
select throws_ok($$select queue.validate_job('test_vj_off', '{}')$$, '55000', null, 'disabled kind: 55000');
select throws_ok($$select queue.validate_job('test_vj', '[1]')$$, '22023', null, 'a payload that is not an object: 22023');
select throws_ok($$select queue.validate_job('test_vj', '{"sleep_ms": 1, "slep_ms": 2}')$$, '22023',
                 'noop payload: unknown field(s) {slep_ms}, allowed fields are {sleep_ms,fail,fail_attempts,record_effect}',
                 'an unknown field is named, with the allowed ones');

select * from finish();
rollback;

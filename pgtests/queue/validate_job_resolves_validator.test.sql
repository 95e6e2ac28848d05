-- pgtests/queue/validate_job_resolves_validator.test.sql
-- queue.validate_job resolves a kind's validator to a function (payload jsonb) before calling it, and
-- says which kind and validator when there is none.
begin;
select plan(4);

-- SETUP
insert into queue.job_kinds (kind, description, validator) values
  ('test_vr_missing', 'validator that does not exist', 'queue.no_such_validator'),
  ('test_vr_wrong_args', 'validator that takes no jsonb', 'queue.retry_delay'),
  ('test_vr_ok', 'validator that exists', 'queue.validate_noop');

-- TEST
select throws_ok($$ select queue.validate_job('test_vr_missing', '{}') $$, '42883',
                 'queue.jobs: validator queue.no_such_validator of kind test_vr_missing is not a function (payload jsonb)',
                 'a validator that does not exist: 42883 naming the validator and the kind');
select throws_ok($$ select queue.validate_job('test_vr_wrong_args', '{}') $$, '42883',
                 'queue.jobs: validator queue.retry_delay of kind test_vr_wrong_args is not a function (payload jsonb)',
                 'a function that takes no jsonb is not a validator');
select throws_ok($$ insert into queue.jobs (kind, payload) values ('test_vr_missing', '{}') $$, '42883', null,
                 'so a job of that kind is refused at insert');
select is((select normalized from queue.validate_job('test_vr_ok', '{"sleep_ms": 3}')),
          '{"sleep_ms": 3, "fail": false, "record_effect": false}'::jsonb, 'an existing validator is called');

select * from finish();
rollback;

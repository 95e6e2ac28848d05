-- pgtests/queue/noop_effects_are_workers_only.test.sql
-- queue.noop_effects: the noop kind's record_effect flag is validated, and only workers write effects.
begin;
select plan(4);

-- TEST
select is((select queue.validate_noop('{"record_effect": true}')->'record_effect'), 'true'::jsonb,
          'record_effect is kept when true');
select throws_ok($$ select queue.validate_noop('{"record_effect": "yes"}') $$, '22023', null,
                 'record_effect must be a boolean');

set local role candlestack_worker;
select lives_ok($$ insert into queue.noop_effects (job_id, worker_id, attempt) values (-1, 'w', 1) $$,
                'a worker records an effect');
reset role;
set local role candlestack_operator;
select throws_ok($$ insert into queue.noop_effects (job_id, worker_id, attempt) values (-2, 'w', 1) $$,
                 '42501', null, 'an operator cannot fake an effect');

select * from finish();
rollback;

-- pgtests/queue/grants_by_role.test.sql
-- Roles: operators insert jobs and manage schedules, workers only call functions, bi sees only bi views; nobody edits jobs or events directly.
begin;
select plan(27);

-- SETUP: pgTAP keeps its counters in temporary tables; let the tested roles write them.
grant all on __tcache__, __tcache___id_seq, __tresults___numb_seq to public;
delete from queue.jobs;
insert into queue.jobs (kind, unique_key) values ('noop', 'g1');

-- TEST: operator
set local role candlestack_operator;
select lives_ok($$ insert into queue.jobs (kind, payload) values ('noop', '{"sleep_ms": 1}') $$, 'operator: plain INSERT of a job');
select throws_ok($$ insert into queue.jobs (kind, status) values ('noop', 'running') $$, '42501', null,
                 'operator: cannot INSERT the status column');
select throws_ok($$ insert into queue.jobs (kind, created_by) values ('noop', 'someone') $$, '42501', null,
                 'operator: cannot INSERT created_by');
select throws_ok($$ update queue.jobs set status = 'succeeded' $$, '42501', null, 'operator: no direct UPDATE of jobs');
select throws_ok($$ delete from queue.jobs $$, '42501', null, 'operator: no direct DELETE of jobs');
select throws_ok($$ insert into queue.job_events (job_id, event) values (1, 'rerun') $$, '42501', null, 'operator: no INSERT of events');
select lives_ok($$ select count(*) from queue.jobs, queue.job_events, queue.workers, queue.job_kinds, queue.schedules $$,
                'operator: SELECT on queue tables');
select lives_ok($$ select queue.enqueue('noop') $$, 'operator: enqueue');
select lives_ok($$ select queue.cancel((select id from queue.jobs where unique_key = 'g1')) $$, 'operator: cancel');
select lives_ok($$ select queue.rerun((select id from queue.jobs where unique_key = 'g1')) $$, 'operator: rerun');
select lives_ok($$ insert into queue.schedules (name, kind, every) values ('g_sched', 'noop', '1 hour');
                   update queue.schedules set enabled = false where name = 'g_sched';
                   delete from queue.schedules where name = 'g_sched' $$, 'operator: manage schedules');
select throws_ok($$ select * from queue.claim('op', null, 1, '30 s') $$, '42501', null, 'operator: cannot claim');
select throws_ok($$ select queue.validate_noop('{}') $$, '42501', null, 'operator: validators are not callable directly');
select throws_ok($$ update queue.job_kinds set enabled = false $$, '42501', null, 'operator: no UPDATE of job kinds');
reset role;

-- TEST: worker
set local role candlestack_worker;
select lives_ok($$ select count(*) from queue.claim('gw', null, 10, '30 s') $$, 'worker: claim');
select lives_ok($$ select queue.complete_many((select array_agg(id order by id) from queue.jobs where locked_by = 'gw'), 'gw',
                                     (select array_agg(attempts order by id) from queue.jobs where locked_by = 'gw')) $$, 'worker: complete_many');
select lives_ok($$ select queue.register_worker('gw', 'h', 1, null); select queue.rescue_expired(); select queue.enqueue_due() $$,
                'worker: register, rescue, enqueue_due');
select lives_ok($$ select queue.enqueue('noop') $$, 'worker: enqueue (fan-out)');
select throws_ok($$ insert into queue.jobs (kind) values ('noop') $$, '42501', null, 'worker: no direct INSERT of jobs');
select throws_ok($$ update queue.jobs set priority = 0 $$, '42501', null, 'worker: no direct UPDATE of jobs');
select throws_ok($$ delete from queue.job_events $$, '42501', null, 'worker: no DELETE of events');
select throws_ok($$ select queue.cancel(1) $$, '42501', null, 'worker: cannot cancel (an operator''s call)');
select throws_ok($$ create table queue.x (i int) $$, '42501', null, 'worker: no DDL in queue');
reset role;

-- TEST: bi
set local role candlestack_bi;
select throws_ok($$ select count(*) from queue.jobs $$, '42501', null, 'bi: no access to queue tables');
select throws_ok($$ select queue.enqueue('noop') $$, '42501', null, 'bi: no queue functions');
select lives_ok($$ select * from bi.queue_health $$, 'bi: reads bi.queue_health');
reset role;

-- TEST: public
select ok(not has_function_privilege('public', 'queue.claim(text, text[], integer, interval)', 'execute'),
          'PUBLIC cannot execute queue functions');

select * from finish();
rollback;

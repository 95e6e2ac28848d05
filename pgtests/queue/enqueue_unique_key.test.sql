-- pgtests/queue/enqueue_unique_key.test.sql
-- A unique_key allows one live (queued or running) job: enqueue returns it; once it finished, a new one is queued.
begin;
select plan(6);

-- SETUP
delete from queue.jobs;
create temporary table t_first as select * from queue.enqueue('noop', unique_key => 'k1');

-- TEST
select is((select id from queue.enqueue('noop', '{"sleep_ms": 1}', unique_key => 'k1')), (select id from t_first),
          'a second enqueue with the key returns the queued job');
select is((select count(*)::int from queue.jobs where unique_key = 'k1'), 1, 'and queues nothing');
select * from queue.claim('w1', null, 1, '30 s');
select is((select id from queue.enqueue('noop', unique_key => 'k1')), (select id from t_first),
          'also while the job runs');
select throws_ok($$ insert into queue.jobs (kind, unique_key) values ('noop', 'k1') $$, '23505', null,
                 'a plain INSERT with a live key is refused');
select queue.complete((select id from t_first), 'w1', 1);
select isnt((select id from queue.enqueue('noop', unique_key => 'k1')), (select id from t_first),
            'after it finished, a new job is queued');
select is((select count(*)::int from queue.jobs where unique_key = 'k1'), 2, 'two jobs with the key, one live');

select * from finish();
rollback;

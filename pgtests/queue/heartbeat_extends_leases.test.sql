-- pgtests/queue/heartbeat_extends_leases.test.sql
-- queue.heartbeat extends the leases of jobs still held, returns them with the cancel flag, and marks the worker seen.
begin;
select plan(5);

-- SETUP
delete from queue.jobs;
select queue.register_worker('w1', 'host-a', 123, null);
update queue.workers set last_seen = now() - interval '1 hour' where id = 'w1';
insert into queue.jobs (kind, unique_key, priority) values ('noop', 'mine', 1), ('noop', 'theirs', 2);
select count(*) from queue.claim('w1', null, 1, '30 s');
select count(*) from queue.claim('w2', null, 1, '30 s');

-- TEST
select results_eq($$ select job_id, cancel_requested from queue.heartbeat('w1', (select array_agg(id order by id) from queue.jobs),
                                                                    (select array_agg(attempts order by id) from queue.jobs), '10 min') $$,
                  $$ select id, false from queue.jobs where unique_key = 'mine' $$,
                  'only the jobs the worker still holds are returned');
select is((select lease_until from queue.jobs where unique_key = 'mine'), now() + interval '10 min', 'the lease is extended');
select is((select lease_until from queue.jobs where unique_key = 'theirs'), now() + interval '30 s', 'another worker''s lease is not');
select is((select last_seen from queue.workers where id = 'w1'), now(), 'the worker is marked seen');
select throws_ok($$ select * from queue.heartbeat('w1', array[1], array[1], '-1 s') $$, '22023', null, 'a non-positive lease is refused');

select * from finish();
rollback;

-- pgtests/queue/prune_old_finished_jobs.test.sql
-- queue.prune deletes jobs finished before the retention and old events; live and recent jobs stay.
begin;
select plan(7);

-- SETUP
delete from queue.jobs;
insert into queue.jobs (kind, unique_key) select 'noop', 'p' || i from generate_series(1, 5) as i;
select count(*) from queue.claim('w1', null, 4, '30 s');
select queue.fail(id, 'w1', attempts, 'x', false) from queue.jobs where unique_key in ('p1', 'p2');
select queue.complete(id, 'w1', attempts) from queue.jobs where unique_key in ('p3', 'p4');
update queue.jobs set finished_at = now() - interval '8 days' where unique_key in ('p1', 'p3');
update queue.job_events set at = now() - interval '8 days' where job_id = (select id from queue.jobs where unique_key = 'p2');
insert into queue.jobs (kind, unique_key, parent_id) values ('noop', 'child', (select id from queue.jobs where unique_key = 'p3'));

-- TEST
select is((select row(jobs_deleted, events_deleted)::text from queue.prune()), row(1::bigint, 2::bigint)::text,
          'one job and two events deleted (the pruned job''s and an old one)');
select is((select array_agg(unique_key order by unique_key) from queue.jobs),
          array['child', 'p2', 'p3', 'p4', 'p5'], 'recent, live and parents of live children are kept');
select is((select count(*)::int from queue.job_events), 0, 'old events are gone');
select is((select row(jobs_deleted, events_deleted)::text from queue.prune('7 days')), row(0::bigint, 0::bigint)::text,
          'pruning again deletes nothing');
update queue.jobs set finished_at = now() - interval '1 min' where unique_key in ('p2', 'p4');
select is((select jobs_deleted from queue.prune('30 s')), 2::bigint, 'a short retention deletes every older finished job without live children');
select is((select array_agg(unique_key order by unique_key) from queue.jobs), array['child', 'p3', 'p5'], 'live jobs stay');
select throws_ok($$ select * from queue.prune('-1 day') $$, '22023', null, 'a negative retention is refused');

select * from finish();
rollback;

-- pgtests/queue/prune_old_finished_jobs.test.sql
-- queue.prune deletes jobs finished before their state's retention (queue.retention) with their events; live and recent jobs stay.
begin;
select plan(8);

-- SETUP: retention as shipped by migrations/0012: succeeded and cancelled 7 days, failed 30 days.
delete from queue.jobs;
delete from queue.workers;
update queue.retention set keep = interval '7 days' where what in ('succeeded', 'cancelled');
update queue.retention set keep = interval '30 days' where what in ('failed', 'job_events');
insert into queue.jobs (kind, unique_key) select 'noop', 'p' || i from generate_series(1, 6) as i;
select count(*) from queue.claim('w1', null, 5, '30 s');
select queue.fail(id, 'w1', attempts, 'x', false) from queue.jobs where unique_key in ('p1', 'p2');
select queue.complete(id, 'w1', attempts) from queue.jobs where unique_key in ('p3', 'p4');
select queue.cancel(id) from queue.jobs where unique_key = 'p5';
select queue.finish_cancelled(id, 'w1', attempts) from queue.jobs where unique_key = 'p5';
-- p1 failed 8 days ago (kept: failed 30 days), p2 failed 31 days ago, p3 succeeded 8 days ago (a parent), p5 cancelled 8 days ago.
update queue.jobs set finished_at = now() - interval '8 days' where unique_key in ('p1', 'p3', 'p5');
update queue.jobs set finished_at = now() - interval '31 days' where unique_key = 'p2';
insert into queue.jobs (kind, unique_key, parent_id) values ('noop', 'child', (select id from queue.jobs where unique_key = 'p3'));

-- TEST
select is((select row(jobs_deleted, events_deleted, workers_deleted)::text from queue.prune()),
          row(2::bigint, 3::bigint, 0::bigint)::text,
          'p2 (failed 31 days ago) and p5 (cancelled 8 days ago) deleted, with their events');
select is((select array_agg(unique_key order by unique_key) from queue.jobs),
          array['child', 'p1', 'p3', 'p4', 'p6'], 'failed within 30 days, recent, live and a parent of a live child are kept');
select is((select count(*)::int from queue.job_events where job_id not in (select id from queue.jobs)), 0, 'no event of a deleted job is left');
select is((select row(jobs_deleted, events_deleted)::text from queue.prune()), row(0::bigint, 0::bigint)::text,
          'pruning again deletes nothing');
update queue.retention set keep = interval '1 day' where what = 'failed';
select is((select jobs_deleted from queue.prune()), 1::bigint, 'a shorter retention in queue.retention takes effect at the next prune');
update queue.jobs set finished_at = now() - interval '2 hours' where unique_key = 'p4';
select is((select jobs_deleted from queue.prune('1 hour')), 1::bigint, 'older_than overrides every retention for one call');
select is((select array_agg(unique_key order by unique_key) from queue.jobs), array['child', 'p3', 'p6'], 'live jobs stay');
select throws_ok($$ select * from queue.prune('-1 day') $$, '22023', null, 'a negative older_than is refused');

select * from finish();
rollback;

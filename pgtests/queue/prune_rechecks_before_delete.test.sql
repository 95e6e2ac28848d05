-- pgtests/queue/prune_rechecks_before_delete.test.sql
-- queue.prune_jobs re-checks each picked id in the DELETE: a job rerun (or given a live child) after the pick survives.
begin;
select plan(6);

-- SETUP: four jobs succeeded 8 days ago (succeeded keep: 7 days).
delete from queue.jobs;
update queue.retention set keep = interval '7 days' where what = 'succeeded';
insert into queue.jobs (kind, unique_key) select 'noop', 'r' || i from generate_series(1, 4) as i;
select count(*) from queue.claim('w1', null, 4, '30 s');
select queue.complete(id, 'w1', attempts) from queue.jobs;
update queue.jobs set finished_at = now() - interval '8 days';
create temporary table picked as select id from queue.prune_pick_jobs(0, 100) as p(id);

-- TEST: the order that used to break: pick, then a rerun and a fan-out, then delete the picked ids.
select is((select count(*)::int from picked), 4, 'all four are picked');
select queue.rerun(id) from queue.jobs where unique_key = 'r2';
insert into queue.jobs (kind, unique_key, parent_id) values ('noop', 'r3-child', (select id from queue.jobs where unique_key = 'r3'));
select is((select jobs_deleted from queue.prune_jobs((select array_agg(id) from picked))), 2::bigint,
          'only the two still finished without a live child are deleted');
select is((select array_agg(unique_key order by unique_key) from queue.jobs), array['r2', 'r3', 'r3-child'],
          'the rerun job and the new parent survive');
select is((select status from queue.jobs where unique_key = 'r2'), 'queued', 'the rerun job is queued, as rerun left it');
select is((select count(*)::int from queue.job_events where job_id = (select id from queue.jobs where unique_key = 'r2') and event = 'rerun'), 1,
          'its rerun event is kept');
select is((select count(*)::int from queue.prune_pick_jobs(0, 100)), 0, 'nothing of them is picked any more');

select * from finish();
rollback;

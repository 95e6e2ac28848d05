-- pgtests/queue/prune_in_batches.test.sql
-- queue.prune_batch deletes at most batch_size rows of each kind per call and says whether more is left; the cursor moves on.
begin;
select plan(8);

-- SETUP: five jobs succeeded 8 days ago, a recent one between them, three events 31 days old of a live job.
delete from queue.jobs;
delete from queue.workers;
update queue.retention set keep = interval '7 days' where what = 'succeeded';
update queue.retention set keep = interval '30 days' where what = 'job_events';
insert into queue.jobs (kind, unique_key) select 'noop', 'b' || i from generate_series(1, 6) as i;
select count(*) from queue.claim('w1', null, 6, '30 s');
select queue.complete(id, 'w1', attempts) from queue.jobs;
update queue.jobs set finished_at = now() - interval '8 days' where unique_key <> 'b3';
insert into queue.jobs (kind, unique_key) values ('noop', 'live');
insert into queue.job_events (job_id, event, at)
select id, 'progress', now() - interval '31 days' from queue.jobs, generate_series(1, 3) where unique_key = 'live';

-- TEST
create temporary table step1 as select * from queue.prune_batch(2, 0);
select is((select row(jobs_deleted, events_deleted, more)::text from step1), row(2::bigint, 2::bigint, true)::text,
          'first call: two jobs and two old events, more left');
select is((select array_agg(unique_key order by unique_key) from queue.jobs), array['b3', 'b4', 'b5', 'b6', 'live'],
          'the two lowest ids went first');
create temporary table step2 as select * from queue.prune_batch(2, (select last_job_id from step1));
select is((select row(jobs_deleted, events_deleted, more)::text from step2), row(2::bigint, 1::bigint, true)::text,
          'second call, from the cursor: two more jobs (skipping the recent b3) and the last old event');
select is((select array_agg(unique_key order by unique_key) from queue.jobs), array['b3', 'b6', 'live'], 'b4 and b5 went');
create temporary table step3 as select * from queue.prune_batch(2, (select last_job_id from step2));
select is((select row(jobs_deleted, events_deleted, more)::text from step3), row(1::bigint, 0::bigint, false)::text,
          'third call: the last one, nothing more');
select is((select array_agg(unique_key order by unique_key) from queue.jobs), array['b3', 'live'], 'recent and live jobs stay');
select is((select row(jobs_deleted, events_deleted, workers_deleted, more)::text from queue.prune_batch(2, 0)),
          row(0::bigint, 0::bigint, 0::bigint, false)::text, 'from the start again: nothing left');
select throws_ok($$ select * from queue.prune_batch(0) $$, '22023', null, 'batch_size 0 is refused');

select * from finish();
rollback;

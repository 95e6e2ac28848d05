-- pgtests/queue/prune_workers_and_events.test.sql
-- queue.prune deletes queue.workers rows not seen for the workers retention and events older than the job_events retention.
begin;
select plan(5);

-- SETUP
delete from queue.jobs;
delete from queue.workers;
update queue.retention set keep = interval '7 days' where what = 'workers';
update queue.retention set keep = interval '30 days' where what = 'job_events';
select queue.register_worker(w, 'h', 1, null) from unnest(array['gone', 'stopped_recently', 'alive', 'killed']) as w;
update queue.workers set last_seen = now() - interval '8 days', stopped_at = now() - interval '8 days' where id = 'gone';
update queue.workers set last_seen = now() - interval '2 days', stopped_at = now() - interval '2 days' where id = 'stopped_recently';
update queue.workers set last_seen = now() - interval '9 days' where id = 'killed';
insert into queue.jobs (kind, unique_key) values ('noop', 'e1');
insert into queue.job_events (job_id, event, at)
select id, 'progress', now() - d * interval '1 day' from queue.jobs, unnest(array[40, 31, 29, 1]) as d where unique_key = 'e1';

-- TEST
select is((select row(jobs_deleted, events_deleted, workers_deleted)::text from queue.prune()),
          row(0::bigint, 2::bigint, 2::bigint)::text, 'two old events and two workers deleted');
select is((select array_agg(id order by id) from queue.workers), array['alive', 'stopped_recently'],
          'workers not seen for 7 days are gone (stopped or killed), the others stay');
select is((select count(*)::int from queue.job_events), 2, 'events younger than 30 days stay');
select is((select min(at) from queue.job_events), now() - interval '29 days', 'the oldest kept is 29 days old');
update queue.retention set keep = interval '1 day' where what = 'workers';
select is((select workers_deleted from queue.prune()), 1::bigint, 'a shorter workers retention deletes the one stopped 2 days ago');

select * from finish();
rollback;

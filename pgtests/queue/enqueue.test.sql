-- pgtests/queue/enqueue.test.sql
-- queue.enqueue inserts a validated job with the kind's defaults and the given options.
begin;
select plan(7);

-- SETUP
create temporary table t_job as
select * from queue.enqueue('noop', '{"sleep_ms": 5}', 7::smallint, now() + interval '1 hour', null, 9, null);

-- TEST
select is((select payload from t_job), '{"sleep_ms": 5, "fail": false, "record_effect": false}'::jsonb, 'payload normalized');
select is((select priority from t_job), 7::smallint, 'priority as given');
select is((select run_at from t_job), now() + interval '1 hour', 'run_at as given');
select is((select max_attempts from t_job), 9, 'max_attempts as given');
select is((select status from t_job), 'queued', 'queued');
select is((select priority from queue.enqueue('noop')), 100::smallint, 'defaults: priority from queue.job_kinds');
select is((select parent_id from queue.enqueue('noop', parent_id => (select id from t_job))), (select id from t_job),
          'parent_id links a fanned-out child');

select * from finish();
rollback;

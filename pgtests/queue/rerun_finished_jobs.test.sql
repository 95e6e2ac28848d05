-- pgtests/queue/rerun_finished_jobs.test.sql
-- queue.rerun puts a succeeded, failed or cancelled job back from scratch; queued or running jobs are refused.
begin;
select plan(7);

-- SETUP
delete from queue.jobs;
insert into queue.jobs (kind, unique_key, priority) values ('noop', 'x', 1), ('noop', 'q', 2);
select count(*) from queue.claim('w1', null, 1, '30 s');

-- TEST
select throws_ok($$ select queue.rerun((select id from queue.jobs where unique_key = 'x')) $$, '55000', null, 'a running job is refused');
select throws_ok($$ select queue.rerun((select id from queue.jobs where unique_key = 'q')) $$, '55000', null, 'a queued job is refused');
select queue.report_progress((select id from queue.jobs where unique_key = 'x'), 'w1', 1, 0.5, 'half');
select queue.fail((select id from queue.jobs where unique_key = 'x'), 'w1', 1, 'boom', false);
select is((select row(status, attempts, last_error, result, progress, progress_message, started_at, finished_at, run_at)::text
             from queue.rerun((select id from queue.jobs where unique_key = 'x'))),
          row('queued', 0, null::text, null::jsonb, null::real, null::text, null::timestamptz, null::timestamptz, now())::text,
          'a failed job is queued again with attempts, error, result and progress cleared');
select is((select event from queue.job_events where job_id = (select id from queue.jobs where unique_key = 'x') order by id desc limit 1),
          'rerun', 'a rerun event');
select queue.complete(id, 'w1', attempts) from queue.claim('w1', null, 1, '30 s');
select is((select status from queue.rerun((select id from queue.jobs where unique_key = 'x'))), 'queued', 'a succeeded job can be rerun');
select queue.cancel((select id from queue.jobs where unique_key = 'q'));
select is((select status from queue.rerun((select id from queue.jobs where unique_key = 'q'))), 'queued', 'a cancelled job can be rerun');
select throws_ok($$ select queue.rerun(-1) $$, 'P0002', null, 'an unknown job is reported');

select * from finish();
rollback;

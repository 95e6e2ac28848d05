-- pgtests/queue/report_progress_stores_and_flags_cancel.test.sql
-- queue.report_progress stores progress, extends the lease by the kind's lease (never shortening a longer one),
-- writes 25% milestones, returns the cancel flag.
begin;
select plan(11);

-- SETUP
delete from queue.jobs;
insert into queue.jobs (kind) values ('noop');
select count(*) from queue.claim('w1', null, 1, '1 s');

-- TEST
select is(queue.report_progress((select id from queue.jobs), 'w1', 1, 0.1, 'starting'), false, 'false while no cancel is requested');
select is((select row(progress, progress_message)::text from queue.jobs), row(0.1::real, 'starting')::text, 'progress and message stored');
select is((select lease_until from queue.jobs), now() + (select lease from queue.job_kinds where kind = 'noop'),
          'lease extended by the kind''s lease');
select ok((select progress_notified_at is not null from queue.jobs), 'the first report is notified');
select queue.heartbeat('w1', array[(select id from queue.jobs)], array[1], '10 minutes');
select queue.report_progress((select id from queue.jobs), 'w1', 1, 0.2, 'still starting');
select is((select lease_until from queue.jobs), now() + interval '10 minutes',
          'a longer lease from a heartbeat (the worker''s --lease-seconds) is not shortened');
select is((select count(*)::int from queue.job_events), 0, 'no milestone below 25%');
create temporary table t_notified as select progress_notified_at from queue.jobs;
select queue.report_progress((select id from queue.jobs), 'w1', 1, 0.8, 'most');
select is((select progress_notified_at from queue.jobs), (select progress_notified_at from t_notified),
          'a report within 250 ms is not notified (throttled) ...');
select is((select progress from queue.jobs), 0.8::real, '... but stored');
select is((select array_agg((data ->> 'progress')::numeric order by id) from queue.job_events where event = 'progress'),
          array[0.25, 0.5, 0.75]::numeric[], 'one event per milestone crossed');
select queue.cancel((select id from queue.jobs));
select is(queue.report_progress((select id from queue.jobs), 'w1', 1, 1, 'done'), true, 'true once a cancel is requested');
select throws_ok($$ select queue.report_progress((select id from queue.jobs), 'w2', 1, 0.5, null) $$, '55000', null,
                 'fenced: another worker is refused');

select * from finish();
rollback;

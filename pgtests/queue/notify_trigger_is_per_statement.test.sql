-- pgtests/queue/notify_trigger_is_per_statement.test.sql
-- The queue_jobs wake-up is a statement-level AFTER INSERT trigger (delivery itself is tested from Swift with two connections).
begin;
select plan(4);

-- TEST
select has_trigger('queue', 'jobs', 'jobs_notify', 'queue.jobs has the jobs_notify trigger');
select ok((select (tgtype & 1) = 0 and (tgtype & 2) = 0 and (tgtype & 4) <> 0
             from pg_trigger where tgrelid = 'queue.jobs'::regclass and tgname = 'jobs_notify'),
          'it fires AFTER INSERT, once per statement');
select has_trigger('queue', 'jobs', 'jobs_validate', 'queue.jobs has the jobs_validate trigger');
select lives_ok($$ insert into queue.jobs (kind) select 'noop' from generate_series(1, 100) $$,
                'a multi-row insert goes through both triggers');

select * from finish();
rollback;

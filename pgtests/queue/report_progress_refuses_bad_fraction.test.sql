-- pgtests/queue/report_progress_refuses_bad_fraction.test.sql
-- queue.report_progress refuses a fraction outside 0..1 (and NaN) with 22023.
begin;
select plan(3);

-- SETUP
delete from queue.jobs;
insert into queue.jobs (kind) values ('noop');
select count(*) from queue.claim('w1', null, 1, '30 s');

-- TEST
select throws_ok($$ select queue.report_progress((select id from queue.jobs), 'w1', 1, 1.5, null) $$, '22023', null, 'above 1');
select throws_ok($$ select queue.report_progress((select id from queue.jobs), 'w1', 1, -0.1, null) $$, '22023', null, 'below 0');
select throws_ok($$ select queue.report_progress((select id from queue.jobs), 'w1', 1, 'NaN', null) $$, '22023', null, 'NaN');

select * from finish();
rollback;

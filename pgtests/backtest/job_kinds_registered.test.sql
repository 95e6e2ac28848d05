-- pgtests/backtest/job_kinds_registered.test.sql
-- The three backtest job kinds are registered with their validators.
begin;
select plan(3);

-- TEST
select is((select validator from queue.job_kinds where kind = 'backtest'), 'backtest.validate_backtest', 'backtest');
select is((select validator from queue.job_kinds where kind = 'optimize'), 'backtest.validate_optimize', 'optimize');
select is((select validator from queue.job_kinds where kind = 'walk_forward'), 'backtest.validate_walk_forward', 'walk_forward');

select * from finish();
rollback;

-- pgtests/dashboard/bi_reads_dashboard_views.test.sql
-- candlestack_bi reads the dashboard's bi views (sql/0500) and cannot change the queue through them.
begin;
select plan(4);

-- SETUP
set local role candlestack_bi;

-- TEST
select lives_ok('select * from bi.backtest_runs, bi.backtest_trades, bi.backtest_equity limit 1', 'reads runs, trades and equity');
select lives_ok('select * from bi.jobs, bi.workers, bi.strategies limit 1', 'reads jobs, workers and strategies');
select throws_ok($$ update bi.jobs set status = 'cancelled' $$, '42501', null, 'cannot update jobs through bi.jobs');
select throws_ok($$ select queue.cancel(1) $$, '42501', null, 'cannot call queue.cancel');

select * from finish();
rollback;

-- pgtests/backtest/grants_by_role.test.sql
-- Worker writes results, operator manages strategies and reads results, BI reads the bi views only.
begin;
select plan(14);

-- TEST
select ok(has_table_privilege('candlestack_worker', 'backtest.runs', 'INSERT'), 'worker inserts runs');
select ok(has_table_privilege('candlestack_worker', 'backtest.trades', 'INSERT'), 'worker inserts trades');
select ok(has_table_privilege('candlestack_worker', 'backtest.optimization_results', 'INSERT'), 'worker inserts optimisation rows');
select ok(not has_table_privilege('candlestack_worker', 'backtest.strategies', 'INSERT'), 'worker does not write strategies');
select ok(has_table_privilege('candlestack_worker', 'backtest.strategies', 'SELECT'), 'worker reads strategies');
select ok(has_table_privilege('candlestack_operator', 'backtest.strategies', 'INSERT'), 'operator inserts strategies');
select ok(has_table_privilege('candlestack_operator', 'backtest.strategies', 'UPDATE'), 'operator updates strategies');
select ok(has_table_privilege('candlestack_operator', 'backtest.strategies', 'DELETE'), 'operator deletes strategies');
select ok(has_table_privilege('candlestack_operator', 'backtest.metrics', 'SELECT'), 'operator reads results');
select ok(not has_table_privilege('candlestack_operator', 'backtest.trades', 'INSERT'), 'operator does not write results');
select ok(not has_schema_privilege('candlestack_bi', 'backtest', 'USAGE'), 'bi has no right on schema backtest');
select ok(has_table_privilege('candlestack_bi', 'bi.backtest_leaderboard', 'SELECT'), 'bi reads bi.backtest_leaderboard');
select ok(has_table_privilege('candlestack_bi', 'bi.optimization_results', 'SELECT'), 'bi reads bi.optimization_results');
select ok(has_table_privilege('candlestack_bi', 'bi.walk_forward_results', 'SELECT'), 'bi reads bi.walk_forward_results');

select * from finish();
rollback;

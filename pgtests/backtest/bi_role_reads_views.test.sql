-- pgtests/backtest/bi_role_reads_views.test.sql
-- candlestack_bi selects from the backtest views (owner's rights) but not from schema backtest.
begin;
select plan(6);

-- TEST
set local role candlestack_bi;
select lives_ok($$ select * from bi.backtest_leaderboard $$, 'bi reads the leaderboard');
select lives_ok($$ select * from bi.optimization_results $$, 'bi reads optimisation results');
select lives_ok($$ select * from bi.walk_forward_results $$, 'bi reads walk-forward results');
select throws_ok($$ select * from backtest.runs $$, '42501', null, 'bi cannot read backtest.runs');
select is((select count(rules)::int from bi.strategy_engines), 7, 'bi reads the engine list and its rules');
select throws_ok($$ select * from backtest.engine_parameters $$, '42501', null, 'bi cannot read backtest.engine_parameters');
reset role;

select * from finish();
rollback;

-- pgtests/backtest/strategy_rsi_levels.test.sql
-- rsi_reversion needs 0 < lower < upper < 100 (23514).
begin;
select plan(5);

-- TEST
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'rsi_reversion', '{"period": 14, "lower": 0, "upper": 70}') $$, '23514', null, 'lower 0');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'rsi_reversion', '{"period": 14, "lower": 30, "upper": 100}') $$, '23514', null, 'upper 100');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'rsi_reversion', '{"period": 14, "lower": 70, "upper": 30}') $$, '23514', null, 'lower > upper');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'rsi_reversion', '{"period": 14, "lower": 50, "upper": 50}') $$, '23514', null, 'lower = upper');
select lives_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'rsi_reversion', '{"period": 14, "lower": 0.5, "upper": 99.5}') $$, 'fractional levels inside (0, 100)');

select * from finish();
rollback;

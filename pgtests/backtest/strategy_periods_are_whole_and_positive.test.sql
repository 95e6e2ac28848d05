-- pgtests/backtest/strategy_periods_are_whole_and_positive.test.sql
-- Every period parameter of every engine must be a whole number from 1 to 1000000 (23514).
begin;
select plan(12);

-- TEST
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'sma_cross', '{"fast": 0, "slow": 30}') $$, '23514', null, 'sma_cross fast 0');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'sma_cross', '{"fast": 2.5, "slow": 30}') $$, '23514', null, 'sma_cross fast 2.5');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'ema_cross', '{"fast": 5, "slow": 1000001}') $$, '23514', null, 'ema_cross slow above 1000000');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'ema_cross', '{"fast": -5, "slow": 10}') $$, '23514', null, 'ema_cross negative fast');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'rsi_reversion', '{"period": 0, "lower": 30, "upper": 70}') $$, '23514', null, 'rsi_reversion period 0');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'bollinger_breakout', '{"period": 20.5, "k": 2}') $$, '23514', null, 'bollinger_breakout period 20.5');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'macd_cross', '{"fast": 12, "slow": 26, "signal": 0}') $$, '23514', null, 'macd_cross signal 0');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'macd_cross', '{"fast": 12, "slow": 26.5, "signal": 9}') $$, '23514', null, 'macd_cross slow 26.5');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'donchian_breakout', '{"entry": 0, "exit": 10}') $$, '23514', null, 'donchian_breakout entry 0');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'donchian_breakout', '{"entry": 20, "exit": 1.5}') $$, '23514', null, 'donchian_breakout exit 1.5');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'sma_cross', '{"fast": "10", "slow": 30}') $$, '23514', null, 'a period as a string');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'sma_cross', '{"fast": null, "slow": 30}') $$, '23514', null, 'a null period');

select * from finish();
rollback;

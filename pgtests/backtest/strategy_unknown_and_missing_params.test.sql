-- pgtests/backtest/strategy_unknown_and_missing_params.test.sql
-- Unknown engines and parameters are refused, every required parameter must be there (23514).
begin;
select plan(10);

-- TEST
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'turtle', '{}') $$, '23514', null, 'unknown engine');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'buy_hold', '{"fast": 5}') $$, '23514', null, 'buy_hold takes no fast');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'sma_cross', '{"fast": 5, "slow": 10, "Fast": 3}') $$, '23514', null, 'unknown parameter (case matters)');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'sma_cross', '{"fast": 5}') $$, '23514', null, 'sma_cross without slow');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'ema_cross', '{"slow": 5}') $$, '23514', null, 'ema_cross without fast');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'rsi_reversion', '{"period": 14, "lower": 30}') $$, '23514', null, 'rsi_reversion without upper');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'bollinger_breakout', '{"period": 14}') $$, '23514', null, 'bollinger_breakout without k');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'macd_cross', '{"fast": 12, "slow": 26}') $$, '23514', null, 'macd_cross without signal');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'donchian_breakout', '{"entry": 20}') $$, '23514', null, 'donchian_breakout without exit');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'sma_cross', '[10, 30]') $$, '23514', null, 'params not an object');

select * from finish();
rollback;

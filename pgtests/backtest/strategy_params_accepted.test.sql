-- pgtests/backtest/strategy_params_accepted.test.sql
-- A sound parameter set of every engine is stored, options included.
begin;
select plan(8);

-- TEST
select lives_ok($$ insert into backtest.strategies (name, engine, params) values ('bh', 'buy_hold', '{}') $$, 'buy_hold without params');
select lives_ok($$ insert into backtest.strategies (name, engine, params) values ('sma', 'sma_cross', '{"fast": 10, "slow": 30}') $$, 'sma_cross fast < slow');
select lives_ok($$ insert into backtest.strategies (name, engine, params) values ('ema', 'ema_cross', '{"fast": 12, "slow": 26.0, "allow_short": true}') $$, 'ema_cross with allow_short, 26.0 is whole');
select lives_ok($$ insert into backtest.strategies (name, engine, params) values ('rsi', 'rsi_reversion', '{"period": 14, "lower": 30, "upper": 70}') $$, 'rsi_reversion 0 < lower < upper < 100');
select lives_ok($$ insert into backtest.strategies (name, engine, params) values ('bb', 'bollinger_breakout', '{"period": 20, "k": 2.5}') $$, 'bollinger_breakout k > 0');
select lives_ok($$ insert into backtest.strategies (name, engine, params) values ('macd', 'macd_cross', '{"fast": 12, "slow": 26, "signal": 9}') $$, 'macd_cross');
select lives_ok($$ insert into backtest.strategies (name, engine, params) values ('don', 'donchian_breakout', '{"entry": 20, "exit": 10, "stop_loss_pct": 2, "take_profit_pct": 150}') $$, 'donchian_breakout with stop and take');
select is((select params from backtest.strategies where name = 'sma'), '{"fast": 10, "slow": 30}'::jsonb, 'params are stored as given');

select * from finish();
rollback;

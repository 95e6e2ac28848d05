-- pgtests/backtest/strategy_options.test.sql
-- stop_loss_pct in (0, 100), take_profit_pct > 0 (as the engine's StrategySpec), allow_short boolean (23514).
begin;
select plan(7);

-- TEST
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'buy_hold', '{"stop_loss_pct": 0}') $$, '23514', null, 'stop_loss_pct 0');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'buy_hold', '{"stop_loss_pct": 100}') $$, '23514', null, 'stop_loss_pct 100');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'buy_hold', '{"take_profit_pct": 0}') $$, '23514', null, 'take_profit_pct 0');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'buy_hold', '{"take_profit_pct": -5}') $$, '23514', null, 'take_profit_pct negative');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'sma_cross', '{"fast": 5, "slow": 10, "allow_short": 1}') $$, '23514', null, 'allow_short 1 is not a boolean');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'sma_cross', '{"fast": 5, "slow": 10, "allow_short": "true"}') $$, '23514', null, 'allow_short "true" is not a boolean');
select lives_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'sma_cross', '{"fast": 5, "slow": 10, "allow_short": false, "stop_loss_pct": 99.9, "take_profit_pct": 0.1}') $$, 'sound options');

select * from finish();
rollback;

-- pgtests/backtest/strategy_fast_below_slow.test.sql
-- sma_cross, ema_cross and macd_cross need fast < slow (23514), also on UPDATE.
begin;
select plan(7);

-- SETUP
insert into backtest.strategies (name, engine, params) values ('ok', 'sma_cross', '{"fast": 10, "slow": 30}');

-- TEST
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'sma_cross', '{"fast": 30, "slow": 10}') $$, '23514', null, 'sma_cross fast > slow');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'sma_cross', '{"fast": 10, "slow": 10}') $$, '23514', null, 'sma_cross fast = slow');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'ema_cross', '{"fast": 26, "slow": 12}') $$, '23514', null, 'ema_cross fast > slow');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'macd_cross', '{"fast": 26, "slow": 12, "signal": 9}') $$, '23514', null, 'macd_cross fast > slow');
select throws_ok($$ update backtest.strategies set params = '{"fast": 50, "slow": 30}' where name = 'ok' $$, '23514', null, 'an UPDATE is checked too');
select throws_ok($$ update backtest.strategies set engine = 'rsi_reversion' where name = 'ok' $$, '23514', null, 'changing the engine re-checks the params');
select lives_ok($$ update backtest.strategies set params = '{"fast": 20, "slow": 30}' where name = 'ok' $$, 'a sound UPDATE passes');

select * from finish();
rollback;

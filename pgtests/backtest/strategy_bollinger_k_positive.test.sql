-- pgtests/backtest/strategy_bollinger_k_positive.test.sql
-- bollinger_breakout needs k > 0 (23514).
begin;
select plan(3);

-- TEST
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'bollinger_breakout', '{"period": 20, "k": 0}') $$, '23514', null, 'k 0');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'bollinger_breakout', '{"period": 20, "k": -1}') $$, '23514', null, 'k negative');
select lives_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'bollinger_breakout', '{"period": 20, "k": 0.1}') $$, 'k 0.1');

select * from finish();
rollback;

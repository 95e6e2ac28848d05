-- pgtests/backtest/backtest_payload_validation.test.sql
-- Kind backtest: common fields, strategy or engine + params, each rule refused with 22023.
begin;
select plan(17);

-- SETUP
insert into backtest.strategies (name, engine, params) values ('sma-10-30', 'sma_cross', '{"fast": 10, "slow": 30}');
create temporary table ok (p jsonb);
insert into ok values ('{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-02-01"}');

-- TEST
select lives_ok($$ select queue.enqueue('backtest', (select p from ok) || '{"strategy": "sma-10-30"}') $$, 'a named strategy');
select lives_ok($$ select queue.enqueue('backtest', (select p from ok) || '{"engine": "rsi_reversion", "params": {"period": 14, "lower": 30, "upper": 70}}') $$, 'an inline engine and params');
select throws_ok($$ select queue.enqueue('backtest', (select p from ok) || '{"strategy": "nope"}') $$, '22023', null, 'a strategy that does not exist');
select throws_ok($$ select queue.enqueue('backtest', (select p from ok) || '{"strategy": "sma-10-30", "engine": "sma_cross"}') $$, '22023', null, 'strategy and engine together');
select throws_ok($$ select queue.enqueue('backtest', (select p from ok)) $$, '22023', null, 'neither strategy nor engine');
select throws_ok($$ select queue.enqueue('backtest', (select p from ok) || '{"engine": "sma_cross", "params": {"fast": 30, "slow": 10}}') $$, '22023', null, 'inline params go through the engine rules');
select throws_ok($$ select queue.enqueue('backtest', (select p from ok) || '{"engine": "sma_cross", "params": {"fast": 3, "slow": 10}, "speed": 1}') $$, '22023', null, 'an unknown field');
select throws_ok($$ select queue.enqueue('backtest', (select p from ok) - 'inst_id' || '{"strategy": "sma-10-30"}') $$, '22023', null, 'inst_id is required');
select throws_ok($$ select queue.enqueue('backtest', (select p from ok) || '{"bar": "7m", "strategy": "sma-10-30"}') $$, '22023', null, 'an unknown bar');
select throws_ok($$ select queue.enqueue('backtest', (select p from ok) || '{"to": "2024-01-01", "strategy": "sma-10-30"}') $$, '22023', null, 'from must be before to');
select throws_ok($$ select queue.enqueue('backtest', (select p from ok) || '{"fee_rate": 0.1, "strategy": "sma-10-30"}') $$, '22023', null, 'fee_rate 0.1');
select throws_ok($$ select queue.enqueue('backtest', (select p from ok) || '{"fee_rate": -0.001, "strategy": "sma-10-30"}') $$, '22023', null, 'negative fee_rate');
select throws_ok($$ select queue.enqueue('backtest', (select p from ok) || '{"slippage_bps": 1001, "strategy": "sma-10-30"}') $$, '22023', null, 'slippage_bps above 1000');
select throws_ok($$ select queue.enqueue('backtest', (select p from ok) || '{"capital": 0, "strategy": "sma-10-30"}') $$, '22023', null, 'capital 0');
select throws_ok($$ select queue.enqueue('backtest', (select p from ok) || '{"lot_size": 0, "strategy": "sma-10-30"}') $$, '22023', null, 'lot_size 0');
select throws_ok($$ select queue.enqueue('backtest', (select p from ok) || '{"capital": "10000", "strategy": "sma-10-30"}') $$, '22023', null, 'capital as a string');
select is(queue.validate_payload('backtest', (select p from ok) || '{"strategy": "sma-10-30"}'),
          '{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01T00:00:00Z", "to": "2024-02-01T00:00:00Z", "fee_rate": 0.001,
            "slippage_bps": 0, "capital": 10000, "lot_size": 0.00000001, "strategy": "sma-10-30"}'::jsonb,
          'defaults are filled in');

select * from finish();
rollback;

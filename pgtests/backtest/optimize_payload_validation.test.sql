-- pgtests/backtest/optimize_payload_validation.test.sql
-- Kind optimize: engine, grid (non-empty arrays of numbers, <= 10,000 combinations), objective, min_trades (22023).
begin;
select plan(13);

-- SETUP
create temporary table ok (p jsonb);
insert into ok values ('{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-02-01", "engine": "sma_cross"}');

-- TEST
select lives_ok($$ select queue.enqueue('optimize', (select p from ok) || '{"grid": {"fast": [5, 10, 20], "slow": [30, 50, 100]}, "objective": "sharpe", "min_trades": 10}') $$, 'a sound grid');
select lives_ok($$ select queue.enqueue('optimize', (select p from ok) || '{"grid": {"fast": [5, 10]}, "params": {"slow": 50, "stop_loss_pct": 2}}') $$, 'fixed params complete the grid');
select throws_ok($$ select queue.enqueue('optimize', (select p from ok)) $$, '22023', null, 'grid is required');
select throws_ok($$ select queue.enqueue('optimize', (select p from ok) || '{"grid": {"fast": [], "slow": [30]}}') $$, '22023', null, 'an empty value list');
select throws_ok($$ select queue.enqueue('optimize', (select p from ok) || '{"grid": {"fast": 5, "slow": [30]}}') $$, '22023', null, 'a value that is not an array');
select throws_ok($$ select queue.enqueue('optimize', (select p from ok) || '{"grid": {"fast": ["5"], "slow": [30]}}') $$, '22023', null, 'a string in the grid');
select throws_ok($$ select queue.enqueue('optimize', (select p from ok) || '{"grid": {"fast": [5], "period": [30]}}') $$, '22023', null, 'a grid key the engine does not take');
select throws_ok($$ select queue.enqueue('optimize', (select p from ok) || '{"grid": {"fast": [5]}}') $$, '22023', null, 'a required parameter in neither grid nor params');
select throws_ok($$ select queue.enqueue('optimize', (select p from ok) || '{"grid": {"fast": [5], "slow": [30]}, "params": {"slow": 40}}') $$, '22023', null, 'a key both in grid and params');
select throws_ok($$ select queue.enqueue('optimize', (select p from ok) ||
                      jsonb_build_object('grid', jsonb_build_object('fast', (select jsonb_agg(i) from generate_series(1, 101) i),
                                                                    'slow', (select jsonb_agg(i) from generate_series(200, 300) i)))) $$,
                 '22023', null, 'more than 10,000 combinations');
select throws_ok($$ select queue.enqueue('optimize', (select p from ok) || '{"grid": {"fast": [5], "slow": [30]}, "objective": "luck"}') $$, '22023', null, 'an unknown objective');
select throws_ok($$ select queue.enqueue('optimize', (select p from ok) || '{"grid": {"fast": [5], "slow": [30]}, "min_trades": -1}') $$, '22023', null, 'negative min_trades');
select throws_ok($$ select queue.enqueue('optimize', (select p from ok) || '{"grid": {"fast": [5], "slow": [30]}, "params": {"stop_loss_pct": 100}}') $$, '22023', null, 'a bad fixed param');

select * from finish();
rollback;

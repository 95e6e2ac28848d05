-- pgtests/backtest/optimize_walk_forward_spot_only.test.sql
-- Kinds optimize and walk_forward refuse a SWAP or FUTURES instrument at INSERT, naming inst_id
-- (they would size contracts as coins and charge no funding); spot instruments still pass.
begin;
select plan(7);

-- SETUP
create temporary table p (kind text, body jsonb);
insert into p values
  ('optimize', '{"bar": "1m", "from": "2024-01-01", "to": "2024-02-01", "engine": "sma_cross", "grid": {"fast": [5], "slow": [30]}}'),
  ('walk_forward', '{"bar": "1m", "from": "2024-01-01", "to": "2024-03-01", "engine": "sma_cross", "grid": {"fast": [5], "slow": [30]}, "train": "30 days", "test": "10 days"}');
-- a swap listed in market.instruments under a shape inst_type_of would not guess
insert into market.instruments (inst_id, inst_type, settle_ccy, ct_val, ct_type, lot_sz, raw)
values ('BTC-USDT-PERP', 'SWAP', 'USDT', 0.01, 'linear', 0.01, '{"lever": "50"}');

-- TEST
select throws_like($$ select queue.enqueue('optimize', (select body from p where kind = 'optimize') || '{"inst_id": "BTC-USDT-SWAP"}') $$,
                   '%"inst_id" BTC-USDT-SWAP is a SWAP%', 'optimize refuses a swap, naming inst_id');
select throws_like($$ select queue.enqueue('walk_forward', (select body from p where kind = 'walk_forward') || '{"inst_id": "BTC-USD-240628"}') $$,
                   '%"inst_id" BTC-USD-240628 is a FUTURES%', 'walk_forward refuses a future, naming inst_id');
select throws_like($$ select queue.enqueue('optimize', (select body from p where kind = 'optimize') || '{"inst_id": "BTC-USDT-PERP"}') $$,
                   '%"inst_id" BTC-USDT-PERP is a SWAP%', 'the type comes from market.instruments when listed');
select throws_like($$ select queue.enqueue('optimize', (select body from p where kind = 'optimize') || '{"inst_id": "BTC-USDT-SWAP", "leverage": 3}') $$,
                   '%"inst_id" BTC-USDT-SWAP is a SWAP%', 'a swap with leverage is told why, not only that leverage is unknown');
select throws_ok($$ insert into queue.jobs (kind, payload) select 'walk_forward', body || '{"inst_id": "ETH-USDT-SWAP"}' from p where kind = 'walk_forward' $$,
                 '22023', null, 'a plain INSERT is refused with 22023');
select lives_ok($$ select queue.enqueue('optimize', (select body from p where kind = 'optimize') || '{"inst_id": "BTC-USDT"}') $$, 'optimize on spot passes');
select lives_ok($$ select queue.enqueue('walk_forward', (select body from p where kind = 'walk_forward') || '{"inst_id": "BTC-USDT"}') $$, 'walk_forward on spot passes');

select * from finish();
rollback;

-- pgtests/backtest/optimize_walk_forward_contract_payload.test.sql
-- Kinds optimize and walk_forward take a SWAP or FUTURES instrument with the contract fields of
-- kind backtest (leverage, maintenance_margin_ratio, funding), checked at INSERT with the field
-- named, and give the worker the instrument's terms; spot instruments refuse those fields.
begin;
select plan(14);

-- SETUP
create temporary table p (kind text, body jsonb);
insert into p values
  ('optimize', '{"bar": "1m", "from": "2024-01-01", "to": "2024-02-01", "engine": "sma_cross", "grid": {"fast": [5], "slow": [30]}}'),
  ('walk_forward', '{"bar": "1m", "from": "2024-01-01", "to": "2024-03-01", "engine": "sma_cross", "grid": {"fast": [5], "slow": [30]}, "train": "30 days", "test": "10 days"}');
insert into market.instruments (inst_id, inst_type, settle_ccy, ct_val, ct_type, lot_sz, raw)
values ('BTC-USDT-SWAP', 'SWAP', 'USDT', 0.01, 'linear', 0.01, '{"lever": "50"}'),
       ('BTC-USD-SWAP', 'SWAP', 'BTC', 100, 'inverse', 1, '{"lever": "100"}');

-- TEST
select is((select queue.validate_payload('optimize', body || '{"inst_id": "BTC-USDT-SWAP", "leverage": 5}') -> 'contract'
             from p where kind = 'optimize'),
          '{"inst_type": "SWAP", "ct_type": "linear", "ct_val": 0.01, "settle_ccy": "USDT", "lever": 50}'::jsonb,
          'optimize on a swap carries its contract terms to the worker');
select is((select queue.validate_payload('optimize', body || '{"inst_id": "BTC-USDT-SWAP", "leverage": 5}') ->> 'leverage'
             from p where kind = 'optimize'), '5', 'and its leverage');
select is((select queue.validate_payload('walk_forward', body || '{"inst_id": "BTC-USD-SWAP", "funding": "ignore"}')
             #>> '{contract,ct_type}' from p where kind = 'walk_forward'), 'inverse',
          'walk_forward on an inverse swap carries ct_type inverse');
select is((select queue.validate_payload('walk_forward', body || '{"inst_id": "BTC-USD-SWAP", "funding": "ignore"}') ->> 'funding'
             from p where kind = 'walk_forward'), 'ignore', 'and funding ignore');
select is((select queue.validate_payload('optimize', body || '{"inst_id": "BTC-USDT-SWAP"}') ->> 'lot_size'
             from p where kind = 'optimize'), '0.01', 'lot_size defaults to the swap''s lot_sz (contracts)');
select is((select queue.validate_payload('walk_forward', body || '{"inst_id": "BTC-USDT-SWAP"}') ->> 'train_ms'
             from p where kind = 'walk_forward'), '2592000000', 'the walk_forward fields are still there');
select throws_like($$ select queue.enqueue('optimize', (select body from p where kind = 'optimize') || '{"inst_id": "BTC-USDT-SWAP", "leverage": 51}') $$,
                   '%"leverage"%', 'optimize: leverage above the instrument''s lever is refused, naming leverage');
select throws_like($$ select queue.enqueue('walk_forward', (select body from p where kind = 'walk_forward') || '{"inst_id": "BTC-USDT-SWAP", "maintenance_margin_ratio": 1.5}') $$,
                   '%"maintenance_margin_ratio"%', 'walk_forward: maintenance_margin_ratio outside (0, 1)');
select throws_like($$ select queue.enqueue('optimize', (select body from p where kind = 'optimize') || '{"inst_id": "BTC-USDT-SWAP", "funding": "sometimes"}') $$,
                   '%"funding" must be "charge" or "ignore"%', 'optimize: an unknown funding choice');
select throws_like($$ select queue.enqueue('optimize', (select body from p where kind = 'optimize') || '{"inst_id": "BTC-USDT", "leverage": 3}') $$,
                   '%"leverage" applies to SWAP and FUTURES instruments only%', 'optimize: a spot instrument given leverage');
select throws_like($$ select queue.enqueue('walk_forward', (select body from p where kind = 'walk_forward') || '{"inst_id": "BTC-USDT", "funding": "ignore"}') $$,
                   '%"funding" applies to SWAP and FUTURES instruments only%', 'walk_forward: a spot instrument given funding');
select throws_like($$ select queue.enqueue('optimize', (select body from p where kind = 'optimize') || '{"inst_id": "ETH-USDT-SWAP"}') $$,
                   '%ETH-USDT-SWAP is a SWAP, whose contract terms%', 'a swap without contract terms in market.instruments');
select throws_ok($$ insert into queue.jobs (kind, payload) select 'walk_forward', body || '{"inst_id": "BTC-USDT-SWAP", "leverage": 0.5}' from p where kind = 'walk_forward' $$,
                 '22023', null, 'a plain INSERT is refused with 22023');
select lives_ok($$ select queue.enqueue('optimize', (select body from p where kind = 'optimize') || '{"inst_id": "BTC-USDT"}') $$, 'optimize on spot passes as before');

select * from finish();
rollback;

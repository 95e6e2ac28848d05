-- pgtests/backtest/contract_payload_validation.test.sql
-- Swap payload fields: leverage up to the instrument's lever, maintenance_margin_ratio in (0, 1)
-- and below 1/leverage, funding charge or ignore; a SPOT instrument given any of them is refused
-- at INSERT naming the field; a swap without contract terms is refused naming inst_id.
begin;
select plan(16);

-- SETUP
insert into market.instruments (inst_id, inst_type, lot_sz, ct_val, ct_type, settle_ccy, raw) values
  ('BTC-USDT-SWAP', 'SWAP', 0.01, 0.01, 'linear', 'USDT', '{"lever": "100"}'),
  ('BTC-USD-SWAP', 'SWAP', 1, 100, 'inverse', 'BTC', '{"lever": "75"}'),
  ('ETH-USDT', 'SPOT', 0.0001, null, null, null, '{}');
create temporary table base (p jsonb);
insert into base values ('{"bar": "1m", "from": "2024-01-01", "to": "2024-02-01", "engine": "buy_hold"}');
create function pg_temp.job(p jsonb) returns void language sql as $$
  insert into queue.jobs (kind, payload) values ('backtest', (select b.p from base as b) || p) $$;

-- TEST
select is((queue.validate_payload('backtest', (select p from base) || '{"inst_id": "BTC-USDT-SWAP"}') - array['from', 'to', 'bar', 'engine', 'params', 'inst_id', 'fee_rate', 'slippage_bps', 'capital']),
          '{"lot_size": 0.01, "leverage": 1, "maintenance_margin_ratio": 0.005, "funding": "charge", "contract": {"inst_type": "SWAP", "ct_type": "linear", "ct_val": 0.01, "settle_ccy": "USDT", "lever": 100}}'::jsonb,
          'a swap gets its terms and the defaults: leverage 1, mmr 0.005, funding charge');
select is(queue.validate_payload('backtest', (select p from base) || '{"inst_id": "BTC-USD-SWAP", "leverage": 75, "maintenance_margin_ratio": 0.01, "funding": "ignore"}') -> 'leverage', '75', 'leverage up to the lever is accepted');
select is(queue.validate_payload('backtest', (select p from base) || '{"inst_id": "BTC-USD-SWAP", "funding": "ignore"}') ->> 'funding', 'ignore', 'funding ignore is kept');
select is(queue.validate_payload('backtest', (select p from base) || '{"inst_id": "ETH-USDT"}') ? 'leverage', false, 'spot payloads are unchanged');

select throws_ok($$select pg_temp.job('{"inst_id": "BTC-USDT-SWAP", "leverage": 101}')$$, '22023', null, 'leverage above the lever is refused at INSERT');
select throws_like($$select pg_temp.job('{"inst_id": "BTC-USDT-SWAP", "leverage": 101}')$$, '%"leverage"%', 'the error names leverage');
select throws_ok($$select pg_temp.job('{"inst_id": "BTC-USDT-SWAP", "leverage": 0.5}')$$, '22023', null, 'leverage below 1 is refused');
select throws_like($$select pg_temp.job('{"inst_id": "BTC-USDT-SWAP", "maintenance_margin_ratio": 0}')$$, '%"maintenance_margin_ratio"%', 'mmr 0 is refused naming the field');
select throws_like($$select pg_temp.job('{"inst_id": "BTC-USDT-SWAP", "maintenance_margin_ratio": 1}')$$, '%"maintenance_margin_ratio"%', 'mmr 1 is refused naming the field');
select throws_like($$select pg_temp.job('{"inst_id": "BTC-USDT-SWAP", "leverage": 50, "maintenance_margin_ratio": 0.02}')$$, '%"maintenance_margin_ratio"%below 1 / leverage%', 'mmr at or above 1/leverage is refused');
select throws_like($$select pg_temp.job('{"inst_id": "BTC-USDT-SWAP", "funding": "skip"}')$$, '%"funding"%', 'an unknown funding option is refused naming the field');
select throws_like($$select pg_temp.job('{"inst_id": "ETH-USDT", "leverage": 2}')$$, '%"leverage" applies to SWAP and FUTURES%', 'a SPOT instrument given leverage is refused');
select throws_like($$select pg_temp.job('{"inst_id": "ETH-USDT", "funding": "ignore"}')$$, '%"funding" applies to SWAP and FUTURES%', 'a SPOT instrument given funding is refused');
select throws_like($$select pg_temp.job('{"inst_id": "SOL-USDT", "maintenance_margin_ratio": 0.01}')$$, '%"maintenance_margin_ratio" applies%', 'an unknown spot-shaped id given mmr is refused');
select throws_like($$select pg_temp.job('{"inst_id": "DOGE-USDT-SWAP"}')$$, '%"inst_id" DOGE-USDT-SWAP is a SWAP%', 'a swap without contract terms is refused naming inst_id');
select is((select count(*) from queue.jobs where kind = 'backtest'), 0::bigint, 'nothing was written');

select * from finish();
rollback;

-- pgtests/backtest/payload_lot_size_from_instrument.test.sql
-- lot_size defaults to the instrument's market.instruments.lot_sz, else 1e-8; an explicit one wins.
begin;
select plan(3);

-- SETUP
insert into market.instruments (inst_id, inst_type, lot_sz) values ('ETH-USDT', 'SPOT', 0.0001);
create temporary table ok (p jsonb);
insert into ok values ('{"bar": "1m", "from": "2024-01-01", "to": "2024-02-01", "engine": "buy_hold"}');

-- TEST
select is((queue.validate_payload('backtest', (select p from ok) || '{"inst_id": "ETH-USDT"}') ->> 'lot_size')::numeric, 0.0001, 'the instrument''s lot size');
select is((queue.validate_payload('backtest', (select p from ok) || '{"inst_id": "DOGE-USDT"}') ->> 'lot_size')::numeric, 0.00000001, 'unknown instrument: 1e-8');
select is((queue.validate_payload('backtest', (select p from ok) || '{"inst_id": "ETH-USDT", "lot_size": 0.5}') ->> 'lot_size')::numeric, 0.5, 'an explicit lot_size wins');

select * from finish();
rollback;

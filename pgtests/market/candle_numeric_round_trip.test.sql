-- pgtests/market/candle_numeric_round_trip.test.sql
-- Prices and volumes keep OKX's decimal strings exactly (numeric, never a float).
begin;
select plan(2);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-31Z');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote)
values ('TEST-USDT', '1m', '2024-01-01 00:00Z', '42000.1', '42000.100000001', '0.00000001', '42000.10', '220057933.233687634',
        '0.000000000000000001', '123456789012345678901234567890.123456789');

-- TEST
select is((select volume::text from market.candles where inst_id = 'TEST-USDT'), '220057933.233687634', 'volume keeps every digit');
select is((select array[open, high, low, close, volume_ccy, volume_quote]::text[] from market.candles where inst_id = 'TEST-USDT'),
          array['42000.1', '42000.100000001', '0.00000001', '42000.10', '0.000000000000000001', '123456789012345678901234567890.123456789'],
          'prices and volumes come back as they went in, trailing zeros included');

select * from finish();
rollback;

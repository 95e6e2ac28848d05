-- pgtests/market/upsert_candles_rejects_bad_rows.test.sql
-- One bad staged row fails the whole upsert_candles call with the CHECK's SQLSTATE; nothing is kept.
begin;
select plan(4);

-- SETUP
select market.create_candle_staging();
insert into pg_temp.candle_staging (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote, confirmed) values
  ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 12, 9, 11, 5, null, null, true),
  ('TEST-USDT', '1m', '2024-01-01 00:01Z', 10, 'NaN', 9, 11, 5, null, null, true);

-- TEST
select throws_ok('select * from market.upsert_candles()', '23514', null, 'a NaN high among good rows fails the call');
select is((select count(*) from market.candles where inst_id = 'TEST-USDT'), 0::bigint, 'the good row is not kept either');

select market.create_candle_staging();
insert into pg_temp.candle_staging (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote, confirmed) values
  ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 12, 9, 11, 5, null, null, true);
select is((select inserted from market.upsert_candles()), 1::bigint, 'a good batch is stored');
select market.create_candle_staging();
insert into pg_temp.candle_staging (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote, confirmed) values
  ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 8, 9, 11, 5, null, null, true);
select throws_ok('select * from market.upsert_candles()', '23514', null, 'an update to an impossible candle is refused too');

select * from finish();
rollback;

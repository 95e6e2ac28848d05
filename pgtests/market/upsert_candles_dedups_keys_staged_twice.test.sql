-- pgtests/market/upsert_candles_dedups_keys_staged_twice.test.sql
-- A key staged twice: a confirmed row beats an unconfirmed one, else the last staged wins; new or stored keys alike.
begin;
select plan(5);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-31Z');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, confirmed)
values ('TEST-USDT', '1m', '2024-01-01 00:10Z', 10, 12, 9, 11, 5, false);
select market.create_candle_staging();
insert into pg_temp.candle_staging (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote, confirmed) values
  -- new key: confirmed first, unconfirmed later -> the confirmed one
  ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 12, 9, 11, 5, null, null, true),
  ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 13, 9, 12, 6, null, null, false),
  -- new key: both confirmed -> the last one
  ('TEST-USDT', '1m', '2024-01-01 00:01Z', 10, 12, 9, 11, 5, null, null, true),
  ('TEST-USDT', '1m', '2024-01-01 00:01Z', 10, 14, 9, 13, 8, null, null, true),
  -- stored unconfirmed key: unconfirmed, then confirmed, then unconfirmed -> the confirmed one
  ('TEST-USDT', '1m', '2024-01-01 00:10Z', 10, 12, 9, 11, 6, null, null, false),
  ('TEST-USDT', '1m', '2024-01-01 00:10Z', 10, 12, 9, 11, 7, null, null, true),
  ('TEST-USDT', '1m', '2024-01-01 00:10Z', 10, 12, 9, 11, 8, null, null, false);

-- TEST
select results_eq('select * from market.upsert_candles()', $$ values (2::bigint, 1::bigint, 4::bigint) $$,
                  'two new keys inserted once each, one stored key updated, the four extra copies unchanged');
select is((select count(*) from market.candles where inst_id = 'TEST-USDT'), 3::bigint, 'one row per key');
select results_eq($$ select close, confirmed from market.candles where inst_id = 'TEST-USDT' and ts = '2024-01-01 00:00Z' $$,
                  $$ values (11::numeric, true) $$, 'a confirmed row beats a later unconfirmed one');
select results_eq($$ select close from market.candles where inst_id = 'TEST-USDT' and ts = '2024-01-01 00:01Z' $$,
                  $$ values (13::numeric) $$, 'between two confirmed rows the last staged wins');
select results_eq($$ select volume, confirmed from market.candles where inst_id = 'TEST-USDT' and ts = '2024-01-01 00:10Z' $$,
                  $$ values (7::numeric, true) $$, 'a stored key takes the confirmed staged row');

select * from finish();
rollback;

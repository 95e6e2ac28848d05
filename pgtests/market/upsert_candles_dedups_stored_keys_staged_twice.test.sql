-- pgtests/market/upsert_candles_dedups_stored_keys_staged_twice.test.sql
-- Stored keys staged twice (the fast path's update step): confirmed beats unconfirmed, else the last staged wins.
begin;
select plan(5);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-31Z');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, confirmed) values
  ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 12, 9, 11, 5, false),
  ('TEST-USDT', '1m', '2024-01-01 00:01Z', 10, 12, 9, 11, 5, false),
  ('TEST-USDT', '1m', '2024-01-01 00:02Z', 10, 12, 9, 11, 5, false);
update market.candles set ingested_at = '2000-01-01Z' where inst_id = 'TEST-USDT';
select market.create_candle_staging();
insert into pg_temp.candle_staging (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote, confirmed) values
  -- a different row, then the stored one again: the last staged (= stored) wins, nothing changes
  ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 12, 9, 11, 6, null, null, false),
  ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 12, 9, 11, 5, null, null, false),
  -- a confirmed row, then a later unconfirmed one: the confirmed row wins
  ('TEST-USDT', '1m', '2024-01-01 00:01Z', 10, 12, 9, 11, 7, null, null, true),
  ('TEST-USDT', '1m', '2024-01-01 00:01Z', 10, 12, 9, 11, 8, null, null, false),
  -- two unconfirmed rows: the last one wins
  ('TEST-USDT', '1m', '2024-01-01 00:02Z', 10, 12, 9, 11, 8, null, null, false),
  ('TEST-USDT', '1m', '2024-01-01 00:02Z', 10, 12, 9, 11, 9, null, null, false),
  -- one new key
  ('TEST-USDT', '1m', '2024-01-01 00:03Z', 10, 12, 9, 11, 1, null, null, true);

-- TEST
select results_eq('select * from market.upsert_candles()', $$ values (1::bigint, 2::bigint, 4::bigint) $$,
                  'one inserted, two updated, the other four staged rows unchanged');
select results_eq($$ select volume, ingested_at = '2000-01-01Z' from market.candles where inst_id = 'TEST-USDT' and ts = '2024-01-01 00:00Z' $$,
                  $$ values (5::numeric, true) $$, 'the last staged row equals the stored one: not rewritten');
select results_eq($$ select volume, confirmed from market.candles where inst_id = 'TEST-USDT' and ts = '2024-01-01 00:01Z' $$,
                  $$ values (7::numeric, true) $$, 'the confirmed copy wins over a later unconfirmed one');
select results_eq($$ select volume from market.candles where inst_id = 'TEST-USDT' and ts = '2024-01-01 00:02Z' $$,
                  $$ values (9::numeric) $$, 'between two unconfirmed copies the last staged wins');
select is((select count(*) from market.candles where inst_id = 'TEST-USDT'), 4::bigint, 'one row per key');

select * from finish();
rollback;

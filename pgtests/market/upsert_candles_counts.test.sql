-- pgtests/market/upsert_candles_counts.test.sql
-- market.upsert_candles returns (inserted, updated, unchanged) and writes only what changed.
begin;
select plan(5);

-- SETUP
select market.create_candle_staging();
insert into pg_temp.candle_staging (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote, confirmed) values
  ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 12, 9, 11, 5, 50, 50, true),
  ('TEST-USDT', '1m', '2024-01-01 00:01Z', 11, 13, 10, 12, 6, 60, 60, true),
  ('TEST-USDT', '1m', '2024-01-01 00:02Z', 12, 14, 11, 13, 7, 70, 70, false);

-- TEST
select results_eq('select * from market.upsert_candles()', $$ values (3::bigint, 0::bigint, 0::bigint) $$, 'three new rows are inserted');
select results_eq('select * from market.upsert_candles()', $$ values (0::bigint, 0::bigint, 3::bigint) $$, 'the same batch again changes nothing');

select market.create_candle_staging();
insert into pg_temp.candle_staging (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote, confirmed) values
  ('TEST-USDT', '1m', '2024-01-01 00:01Z', 11, 13, 10, 12, 6, 60, 60, true),
  ('TEST-USDT', '1m', '2024-01-01 00:02Z', 12, 15, 11, 14, 9, 90, 90, true),
  ('TEST-USDT', '1m', '2024-01-01 00:03Z', 14, 15, 13, 14, 1, 10, 10, false);
update market.candles set ingested_at = '2000-01-01Z' where inst_id = 'TEST-USDT';
select results_eq('select * from market.upsert_candles()', $$ values (1::bigint, 1::bigint, 1::bigint) $$,
                  'one new, one changed (the forming candle closed), one unchanged');
select results_eq($$ select close, confirmed from market.candles where inst_id = 'TEST-USDT' and ts = '2024-01-01 00:02Z' $$,
                  $$ values (14::numeric, true) $$, 'the changed row holds the new values');
select is((select count(*) from market.candles where inst_id = 'TEST-USDT' and ingested_at = '2000-01-01Z'), 2::bigint,
          'unchanged rows are not rewritten');

select * from finish();
rollback;

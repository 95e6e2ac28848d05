-- pgtests/market/upsert_candles_never_downgrades.test.sql
-- market.upsert_candles never turns a confirmed candle back into an unconfirmed one.
begin;
select plan(3);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-31Z');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, confirmed)
values ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 12, 9, 11, 5, true);
select market.create_candle_staging();
insert into pg_temp.candle_staging (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote, confirmed)
values ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 12.5, 9, 12, 7, null, null, false);

-- TEST
select results_eq('select * from market.upsert_candles()', $$ values (0::bigint, 0::bigint, 1::bigint) $$,
                  'a late unconfirmed version counts as unchanged');
select results_eq($$ select close, volume, confirmed from market.candles where inst_id = 'TEST-USDT' $$,
                  $$ values (11::numeric, 5::numeric, true) $$, 'the confirmed candle is kept as it was');

select market.create_candle_staging();
insert into pg_temp.candle_staging (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote, confirmed)
values ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 12.5, 9, 12, 7, null, null, true);
select results_eq('select * from market.upsert_candles()', $$ values (0::bigint, 1::bigint, 0::bigint) $$,
                  'a confirmed correction does replace a confirmed candle');

select * from finish();
rollback;

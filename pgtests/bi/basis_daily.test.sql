-- pgtests/bi/basis_daily.test.sql
-- bi.basis_daily compares last, mark and index at the day's last candle where all three are stored.
begin;
select plan(3);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-31Z');
select market.ensure_mark_index_candle_partitions('2024-01-01Z', '2024-01-31Z');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume) values
  ('BTC-USDT-SWAP', '1H', '2024-01-01 22:00Z', 100, 101, 99, 100.5, 1),
  ('BTC-USDT-SWAP', '1H', '2024-01-01 23:00Z', 100, 101, 99, 101, 1);
insert into market.mark_index_candles (price_type, inst_id, bar, ts, open, high, low, close) values
  ('mark', 'BTC-USDT-SWAP', '1H', '2024-01-01 22:00Z', 100, 101, 99, 100),
  ('mark', 'BTC-USDT-SWAP', '1H', '2024-01-01 23:00Z', 100, 101, 99, 100),
  ('index', 'BTC-USDT', '1H', '2024-01-01 22:00Z', 100, 101, 99, 99.9);

-- TEST
select is((select count(*)::int from bi.basis_daily), 1, 'one row per instrument, bar and day');
select results_eq($$ select index_instrument, day, at_time, last_price, mark_price, index_price from bi.basis_daily $$,
                  $$ values ('BTC-USDT', '2024-01-01'::date, '2024-01-01 23:00Z'::timestamptz, 100.5::numeric, 100::numeric, 99.9::numeric) $$,
                  'taken at the last candle with all three prices (23:00 has no index candle)');
select results_eq($$ select last_vs_mark_bps, mark_vs_index_bps from bi.basis_daily $$,
                  $$ values (50.0000::numeric, 10.0100::numeric) $$, 'differences in basis points');

select * from finish();
rollback;

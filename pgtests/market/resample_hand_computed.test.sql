-- pgtests/market/resample_hand_computed.test.sql
-- market.resample against hand-computed 1H, 4H and 1D buckets, complete and incomplete.
begin;
select plan(5);

-- SETUP
-- minute i of 2024-01-01 UTC: open 100+i, high 101+i, low 99.5+i, close 100.5+i, volume 1 (volume_ccy 2, volume_quote 3).
-- Present: hour 00 whole (i 0..59), hour 01 half (i 60..89), hour 02 whole (i 120..179), hour 03 one minute (i 180).
select market.ensure_candle_partitions('2023-12-31Z', '2024-01-02Z');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote)
select 'TEST-USDT', '1m', timestamptz '2024-01-01 00:00Z' + i * interval '1 minute', 100 + i, 101 + i, 99.5 + i, 100.5 + i, 1, 2, 3
  from generate_series(0, 180) as i
 where i < 90 or i >= 120;

-- TEST
select results_eq(
  $$ select ts, open, high, low, close, volume, volume_ccy, volume_quote, source_count, complete
       from market.resample('TEST-USDT', '1H', '2024-01-01 00:00Z', '2024-01-01 04:00Z') $$,
  $$ values ('2024-01-01 00:00Z'::timestamptz, 100::numeric, 160::numeric, 99.5::numeric, 159.5::numeric, 60::numeric, 120::numeric, 180::numeric, 60::bigint, true),
            ('2024-01-01 01:00Z', 160, 190, 159.5, 189.5, 30, 60, 90, 30, false),
            ('2024-01-01 02:00Z', 220, 280, 219.5, 279.5, 60, 120, 180, 60, true),
            ('2024-01-01 03:00Z', 280, 281, 279.5, 280.5, 1, 2, 3, 1, false) $$,
  '1H buckets: first open, max high, min low, last close, summed volumes, counts, completeness');
select results_eq(
  $$ select ts, open, close, source_count, complete from market.resample('TEST-USDT', '1H', '2024-01-01 01:30Z', '2024-01-01 02:01Z') $$,
  $$ values ('2024-01-01 01:00Z'::timestamptz, 160::numeric, 189.5::numeric, 30::bigint, false),
            ('2024-01-01 02:00Z', 220, 279.5, 60, true) $$,
  'a range cutting buckets widens to whole buckets');
select results_eq(
  $$ select ts, open, high, low, close, source_count, complete from market.resample('TEST-USDT', '4H', '2024-01-01Z', '2024-01-02Z') $$,
  $$ values ('2024-01-01 00:00Z'::timestamptz, 100::numeric, 281::numeric, 99.5::numeric, 280.5::numeric, 151::bigint, false) $$,
  '4H: one incomplete bucket of 151 minutes');
select results_eq(
  $$ select ts, source_count, complete from market.resample('TEST-USDT', '1D', '2024-01-01Z', '2024-01-01 12:00Z') $$,
  $$ values ('2023-12-31 16:00Z'::timestamptz, 151::bigint, false) $$,
  '1D buckets open at 16:00 UTC');
select throws_ok($$ select * from market.resample('TEST-USDT', '1m', '2024-01-01Z', '2024-01-02Z', '1H') $$, '22023', null,
                 'a source bar longer than the target is refused');

select * from finish();
rollback;

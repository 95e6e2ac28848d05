-- pgtests/market/resample_every_bucket_on_source_grid.test.sql
-- market.resample refuses a source bar whose grid misses any target bucket start, not only the first.
begin;
select plan(6);

-- SETUP
-- 1W candles (Monday 00:00 Hong Kong = Sunday 16:00 UTC) through January to March 2024; 2024-01-01
-- is a Monday, so the first 1M bucket (2024-01-01 00:00 HK) is on the 1W grid, the next ones are not.
select market.ensure_candle_partitions('2023-12-01Z', '2024-04-30Z');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
select 'TEST-USDT', '1W', timestamptz '2023-12-31 16:00Z' + i * interval '7 days', 10, 12, 9, 11, 5
  from generate_series(0, 12) as i;
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
select 'TEST-USDT', '1D', timestamptz '2023-12-31 16:00Z' + i * interval '1 day', 10, 12, 9, 11, 5
  from generate_series(0, 90) as i;

-- TEST
select throws_ok($$ select * from market.resample('TEST-USDT', '1M', '2024-01-01 00:00+08', '2024-04-01 00:00+08', '1W') $$,
                 '22023', null, '1W into 1M is refused although the first month starts on a Monday');
select throws_ok($$ select * from market.resample('TEST-USDT', '1W', '2024-01-01 00:00+08', '2024-02-01 00:00+08', '2D') $$,
                 '22023', null, '2D into 1W is refused (a week is not a whole number of 2-day bars)');
select throws_ok($$ select * from market.resample('TEST-USDT', '3M', '2024-01-01 00:00+08', '2024-04-01 00:00+08', '1W') $$,
                 '22023', null, '1W into 3M is refused');
select is((select count(*) from market.resample('TEST-USDT', '1M', '2024-01-01 00:00+08', '2024-04-01 00:00+08', '1D')),
          3::bigint, '1D into 1M still gives one bucket per month');
select is((select count(*) from market.resample('TEST-USDT', '1W', '2024-01-01 00:00+08', '2024-02-01 00:00+08', '1D')),
          5::bigint, '1D into 1W still works');
select is((select source_count from market.resample('TEST-USDT', '1M', '2024-02-01 00:00+08', '2024-03-01 00:00+08', '1D')),
          29::bigint, 'February 2024 holds its 29 days');

select * from finish();
rollback;

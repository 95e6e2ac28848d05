-- pgtests/bi/daily_candles.test.sql
-- bi.daily_candles builds 1D (Hong Kong day) and 1Dutc candles from stored 1m candles.
begin;
select plan(2);

-- SETUP
-- 1m candles every minute from 2024-01-01 12:00 to 19:59 UTC (480): minute i has open 100+i, close 100.5+i.
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-31Z');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
select 'TEST-USDT', '1m', timestamptz '2024-01-01 12:00Z' + i * interval '1 minute', 100 + i, 101 + i, 99.5 + i, 100.5 + i, 1
  from generate_series(0, 479) as i;
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
values ('TEST-USDT', '1H', '2024-01-01 12:00Z', 1, 1, 1, 1, 1);  -- not a 1m candle: ignored
select market.refresh_candle_views();

-- TEST
select results_eq(
  $$ select bar, day, day_start, open, high, low, close, volume, minute_count, complete
       from bi.daily_candles where instrument = 'TEST-USDT' order by bar, day_start $$,
  $$ values ('1D', '2024-01-01'::date, '2023-12-31 16:00Z'::timestamptz, 100::numeric, 340::numeric, 99.5::numeric, 339.5::numeric, 240::numeric, 240::bigint, false),
            ('1D', '2024-01-02', '2024-01-01 16:00Z', 340, 580, 339.5, 579.5, 240, 240, false),
            ('1Dutc', '2024-01-01', '2024-01-01 00:00Z', 100, 580, 99.5, 579.5, 480, 480, false) $$,
  'HK days split at 16:00 UTC, the UTC day holds all 480 minutes');
select is((select count(*) from bi.daily_candles where instrument = 'TEST-USDT'), 3::bigint, 'only 1m candles feed it');

select * from finish();
rollback;

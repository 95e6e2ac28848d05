-- pgtests/bi/data_coverage.test.sql
-- bi.data_coverage: per watchlist entry, first and last candle, expected vs present, gaps, staleness.
begin;
select plan(2);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-31Z');
insert into market.watchlist (inst_id, bar) values ('TEST-USDT', '1m'), ('NONE-USDT', '1H');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
select 'TEST-USDT', '1m', timestamptz '2024-01-01 00:00Z' + i * interval '1 minute', 10, 12, 9, 11, 5
  from generate_series(0, 9) as i
 where i not in (2, 3, 6);
select market.refresh_candle_views();

-- TEST
select results_eq(
  $$ select instrument, bar, first_candle, last_candle, expected_count, present_count, gap_count, minutes_since_newest > 0
       from bi.data_coverage order by instrument $$,
  $$ values ('NONE-USDT', '1H', null::timestamptz, null::timestamptz, 0::bigint, 0::bigint, 0::bigint, null::boolean),
            ('TEST-USDT', '1m', '2024-01-01 00:00Z', '2024-01-01 00:09Z', 10, 7, 2, true) $$,
  '10 minutes expected, 7 present, 2 gaps; an entry without candles shows zeros');
select ok((select minutes_since_newest from bi.data_coverage where instrument = 'TEST-USDT')
          = round(extract(epoch from (now() - timestamptz '2024-01-01 00:09Z')) / 60, 1), 'minutes since the newest candle');

select * from finish();
rollback;

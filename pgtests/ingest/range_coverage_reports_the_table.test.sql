-- pgtests/ingest/range_coverage_reports_the_table.test.sql
-- market.range_coverage counts every missing bar of the range, also those before OKX's history.
begin;
select plan(4);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-02Z');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote)
select 'TEST-USDT', '1m', t, 10, 12, 9, 11, 5, 55, 55
  from generate_series(timestamptz '2024-01-01 00:10Z', timestamptz '2024-01-01 00:19Z', interval '1 minute') as t;

-- TEST
select is((select row(c.bars_in_range, c.missing, c.gaps, c.missing_before_history_start, c.history_start)::text
             from market.range_coverage('TEST-USDT', '1m', '2024-01-01 00:00Z', '2024-01-01 00:30Z') as c),
          row(30::bigint, 20::bigint, 2::bigint, 0::bigint, null::timestamptz)::text,
          'two gaps, 20 missing bars, no known history start');
select market.note_candle_history_start('TEST-USDT', '1m', '2024-01-01 00:04Z');
select is((select row(c.missing, c.gaps, c.missing_before_history_start)::text
             from market.range_coverage('TEST-USDT', '1m', '2024-01-01 00:00Z', '2024-01-01 00:30Z') as c),
          row(20::bigint, 2::bigint, 4::bigint)::text,
          'the bars before the known start still count as missing, and are counted apart');
select is((select row(c.bars_in_range, c.missing, c.gaps)::text
             from market.range_coverage('TEST-USDT', '1m', '2024-01-01 00:10Z', '2024-01-01 00:20Z') as c),
          row(10::bigint, 0::bigint, 0::bigint)::text, 'a complete range');
select is((select row(c.missing, c.missing_before_history_start)::text
             from market.range_coverage('NONE-USDT', '1m', '2024-01-01 00:00Z', '2024-01-01 01:00Z') as c),
          row(60::bigint, 0::bigint)::text, 'a series with nothing stored misses every bar');

select * from finish();
rollback;

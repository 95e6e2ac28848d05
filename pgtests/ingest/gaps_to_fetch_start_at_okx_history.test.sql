-- pgtests/ingest/gaps_to_fetch_start_at_okx_history.test.sql
-- market.candle_gaps_to_fetch skips stored candles and the past before OKX's known history start.
begin;
select plan(4);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-02Z');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote)
select 'TEST-USDT', '1m', t, 10, 12, 9, 11, 5, 55, 55
  from generate_series(timestamptz '2024-01-01 00:10Z', timestamptz '2024-01-01 00:19Z', interval '1 minute') as t;

-- TEST
select is((select array_agg(g.missing_count order by g.gap_from)
             from market.candle_gaps_to_fetch('TEST-USDT', '1m', '2024-01-01 00:00Z', '2024-01-01 00:30Z') as g),
          array[10, 10]::bigint[], 'the missing minutes before and after the stored ones');
select market.note_candle_history_start('TEST-USDT', '1m', '2024-01-01 00:05Z');
select is((select array_agg(g.missing_count order by g.gap_from)
             from market.candle_gaps_to_fetch('TEST-USDT', '1m', '2024-01-01 00:00Z', '2024-01-01 00:30Z') as g),
          array[5, 10]::bigint[], 'nothing before OKX''s history start is asked for');
select is(market.candle_history_start('TEST-USDT', '1m'), timestamptz '2024-01-01 00:05Z', 'the start is remembered');
select is((select count(*)::int
             from market.candle_gaps_to_fetch('TEST-USDT', '1m', '2023-12-01 00:00Z', '2024-01-01 00:05Z')),
          0, 'a range wholly before the start has nothing to fetch');

select * from finish();
rollback;

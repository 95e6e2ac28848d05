-- pgtests/backtest/funding_events_mark_price.test.sql
-- backtest.funding_events: the funding times of a range, each with the open of the 1m mark candle
-- at that time (NULL without one), across a month boundary and with other series in the table;
-- and one index probe per funding time, not a scan of the mark table.
begin;
select plan(6);

-- SETUP
select market.ensure_mark_index_candle_partitions('2024-01-01Z', '2024-03-01Z');
insert into market.funding_rates (inst_id, funding_time, rate)
select 'BTC-USDT-SWAP', t, 0.0001
  from generate_series('2024-01-30 00:00Z'::timestamptz, '2024-02-02 00:00Z', '8 hours') as t;
-- mark candles every minute of the four days, open = minutes since 2024-01-30 + 1000, except the
-- one at 2024-02-01 08:00; index candles at the same times with another open, and another
-- instrument's mark candles, must not be picked
insert into market.mark_index_candles (ts, price_type, inst_id, bar, open, high, low, close)
select ts, pt, inst, '1m', o + off, o + off + 1, o + off - 1, o + off
  from (select '2024-01-30 00:00Z'::timestamptz + make_interval(mins => i) as ts, 1000 + i as o
          from generate_series(0, 4 * 1440) as i) as s,
       (values ('mark', 'BTC-USDT-SWAP', 0), ('index', 'BTC-USDT-SWAP', 500000), ('mark', 'ETH-USDT-SWAP', 700000))
         as v (pt, inst, off)
 where not (ts = '2024-02-01 08:00Z' and pt = 'mark' and inst = 'BTC-USDT-SWAP');
analyze market.mark_index_candles;

-- TEST
select is((select count(*) from backtest.funding_events('BTC-USDT-SWAP', '2024-01-30Z', '2024-02-02Z')), 9::bigint,
          'every funding time of [from, to), the one at to left out');
select is((select mark_price from backtest.funding_events('BTC-USDT-SWAP', '2024-01-30Z', '2024-02-02Z')
            where funding_time = '2024-01-31 16:00Z'), 1000 + 2400::float8,
          'the mark price is the open of the 1m mark candle at the funding time');
select is((select mark_price from backtest.funding_events('BTC-USDT-SWAP', '2024-01-30Z', '2024-02-02Z')
            where funding_time = '2024-02-01 00:00Z'), 1000 + 2880::float8,
          'across the month boundary (the candle is in the February partition)');
select ok((select mark_price is null from backtest.funding_events('BTC-USDT-SWAP', '2024-01-30Z', '2024-02-02Z')
            where funding_time = '2024-02-01 08:00Z'),
          'NULL when that mark candle is missing (the engine then uses the trade open)');
select is((select array_agg(funding_time order by funding_time) = array_agg(funding_time)
             from backtest.funding_events('BTC-USDT-SWAP', '2024-01-30Z', '2024-02-02Z')), true,
          'in ascending funding time');

-- the mark candle of each funding time is an index probe: no sequential scan of a mark partition
-- in this transaction (pg_stat_xact_user_tables counts this transaction's scans). A plain join let
-- the planner hash the whole mark table (0.3 s on a million mark candles); on this small table it
-- would not, so the other joins are priced out here: a per-row LATERAL probe has no other plan.
set local enable_nestloop = off;
set local enable_mergejoin = off;
create temporary table scans_before as
select coalesce(sum(seq_scan), 0) as n from pg_stat_xact_user_tables
 where schemaname = 'market' and relname like 'mark_index_candles%';
select count(*) from backtest.funding_events('BTC-USDT-SWAP', '2024-01-30Z', '2024-02-02Z');
select is((select coalesce(sum(seq_scan), 0) from pg_stat_xact_user_tables
            where schemaname = 'market' and relname like 'mark_index_candles%'), (select n from scans_before),
          'backtest.funding_events reads the mark candles by index, not by scanning them');

select * from finish();
rollback;

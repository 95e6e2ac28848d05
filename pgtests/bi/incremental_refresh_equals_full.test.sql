-- pgtests/bi/incremental_refresh_equals_full.test.sql
-- The incrementally kept bi.daily_candles and bi.data_coverage equal a full recomputation (the
-- materialized views' definitions of migrations/0004) after inserts, updates, deletes and late candles.
begin;
select plan(14);

-- SETUP
-- The full recomputations: the definitions of the former materialized views, verbatim.
create temporary view full_daily_candles as
with d (bar) as (values ('1D'), ('1Dutc')),
b as (
  select c.inst_id, d.bar, market.bar_start(d.bar, c.ts) as day_start,
         min(c.ts) as first_ts, max(c.ts) as last_ts,
         max(c.high) as high, min(c.low) as low,
         sum(c.volume) as volume, sum(c.volume_ccy) as volume_ccy, sum(c.volume_quote) as volume_quote,
         count(*) as minute_count, bool_and(c.confirmed) as all_confirmed
    from market.candles as c
   cross join d
   where c.bar = '1m'
   group by c.inst_id, d.bar, market.bar_start(d.bar, c.ts)
)
select b.inst_id as instrument, b.bar as bar,
       pg_catalog.timezone(market.bar_utc_offset(b.bar), b.day_start)::date as day,
       b.day_start as day_start, o.open, b.high, b.low, x.close,
       b.volume, b.volume_ccy, b.volume_quote, b.minute_count,
       b.minute_count = 1440 and b.all_confirmed as complete
  from b
  join market.candles as o on o.inst_id = b.inst_id and o.bar = '1m' and o.ts = b.first_ts
  join market.candles as x on x.inst_id = b.inst_id and x.bar = '1m' and x.ts = b.last_ts;
create temporary view full_data_coverage as
select w.inst_id as instrument, w.bar as bar, w.enabled as enabled, w.history_from as history_from,
       s.first_candle as first_candle, s.last_candle as last_candle,
       coalesce(market.bar_count(w.bar, s.first_candle, market.bar_next(w.bar, s.last_candle)), 0) as expected_count,
       s.present_count as present_count, coalesce(g.gap_count, 0) as gap_count,
       round(extract(epoch from (now() - s.last_candle)) / 60, 1) as minutes_since_newest
  from market.watchlist as w
  left join lateral (
    select min(c.ts) as first_candle, max(c.ts) as last_candle, count(*) as present_count
      from market.candles as c where c.inst_id = w.inst_id and c.bar = w.bar
  ) as s on true
  left join lateral (
    select count(*) as gap_count
      from (select c.ts, lead(c.ts) over (order by c.ts) as next_ts
              from market.candles as c where c.inst_id = w.inst_id and c.bar = w.bar) as n
     where n.next_ts <> market.bar_next(w.bar, n.ts)
  ) as g on true;

select market.ensure_candle_partitions('2024-01-01Z', '2024-03-31Z');
insert into market.watchlist (inst_id, bar) values ('AAA-USDT', '1m'), ('AAA-USDT', '1H'), ('BBB-USDT', '1m'), ('CCC-USDT', '1m');
-- AAA 1m: 2024-03-01 12:00 UTC to 2024-03-03 03:59 UTC, every minute but those divisible by 97
-- (holes inside days and across the 16:00 and 00:00 day boundaries) and all of 2024-03-02 UTC,
-- which is whole (a complete 1Dutc day); the last 10 minutes unconfirmed.
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote, confirmed)
select 'AAA-USDT', '1m', timestamptz '2024-03-01 12:00Z' + i * interval '1 minute',
       100 + i % 13, 125, 90 + i % 7, 101 + i % 11, i % 5, i % 3, 1, i < 2390
  from generate_series(0, 2399) as i
 where i % 97 <> 0 or timestamptz '2024-03-01 12:00Z' + i * interval '1 minute' >= '2024-03-02 00:00Z'
                     and timestamptz '2024-03-01 12:00Z' + i * interval '1 minute' < '2024-03-03 00:00Z';
-- AAA 1H: 48 hours with two holes; BBB 1m: one hour on 2024-02-10.
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
select 'AAA-USDT', '1H', timestamptz '2024-03-01 00:00Z' + i * interval '1 hour', 10, 12, 9, 11, 5
  from generate_series(0, 47) as i where i not in (5, 30);
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
select 'BBB-USDT', '1m', timestamptz '2024-02-10 15:30Z' + i * interval '1 minute', 20, 22, 19, 21, 1
  from generate_series(0, 59) as i;

-- TEST
select cmp_ok(market.refresh_candle_views(), '>', 0::bigint, 'the first refresh recomputes the logged days');
select bag_eq('select * from bi.daily_candles', 'select * from full_daily_candles', 'after inserts: bi.daily_candles = full recomputation');
select bag_eq('select * from bi.data_coverage', 'select * from full_data_coverage', 'after inserts: bi.data_coverage = full recomputation');
select is((select count(*) from bi.daily_candles where complete), 1::bigint, 'the whole UTC day 2024-03-02 is complete');
select is(market.refresh_candle_views(), 0::bigint, 'a refresh with nothing changed recomputes nothing');

-- updates: through market.upsert_candles (a confirmed candle replaces an unconfirmed one, prices
-- change) and by hand (a high raised)
select market.create_candle_staging();
insert into pg_temp.candle_staging
select inst_id, bar, ts, open, high + 5, low, close, volume + 1, volume_ccy, volume_quote, true
  from market.candles where inst_id = 'AAA-USDT' and bar = '1m' and ts >= '2024-03-03 03:50Z';
select is((select updated from market.upsert_candles()), 10::bigint, 'the upsert updates the 10 newest candles');
update market.candles set high = high + 100 where inst_id = 'AAA-USDT' and bar = '1m' and ts = '2024-03-01 16:30Z';
select is(market.refresh_candle_views(), 2::bigint, 'only the two changed (series, day) are recomputed');
select bag_eq('select * from bi.daily_candles', 'select * from full_daily_candles', 'after updates: bi.daily_candles = full recomputation');
select bag_eq('select * from bi.data_coverage', 'select * from full_data_coverage', 'after updates: bi.data_coverage = full recomputation');

-- late candles into old days (a hole of 2024-03-01 filled, a lone minute weeks before everything
-- else), a deleted candle, and a whole series deleted
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
values ('AAA-USDT', '1m', timestamptz '2024-03-01 12:00Z' + 97 * interval '1 minute', 100, 110, 90, 101, 1),
       ('AAA-USDT', '1m', '2024-01-15 07:00Z', 100, 110, 90, 101, 1);
delete from market.candles where inst_id = 'AAA-USDT' and bar = '1m' and ts = '2024-03-01 20:00Z';
delete from market.candles where inst_id = 'BBB-USDT';
select is(market.refresh_candle_views(), 3::bigint, 'three (series, day) are recomputed');
select bag_eq('select * from bi.daily_candles', 'select * from full_daily_candles', 'after late candles and deletes: bi.daily_candles = full recomputation');
select bag_eq('select * from bi.data_coverage', 'select * from full_data_coverage', 'after late candles and deletes: bi.data_coverage = full recomputation');
select is((select count(*) from bi.daily_candles where instrument = 'BBB-USDT'), 0::bigint, 'a deleted series leaves no daily rows');
select is((select count(*) from market.candle_changes), 0::bigint, 'every logged change was taken');

select * from finish();
rollback;

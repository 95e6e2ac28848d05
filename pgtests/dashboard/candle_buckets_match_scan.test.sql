-- pgtests/dashboard/candle_buckets_match_scan.test.sql
-- bi.candle_buckets (hourly rollups + raw candles) returns the same rows as bi.candle_buckets_scan
-- (every candle) for the same buckets: edges inside hours, hour-aligned edges, a range across a
-- month boundary, a one-minute spike inside a bucket, a day changed since the last refresh, an
-- hour without candles, a bar with no rollup; and it does read the rollup. bi.chart_candle_buckets
-- folds whole-hour buckets, each as bi.candle_buckets_scan folds its span.
begin;
select plan(17);

-- SETUP: three days of 1m candles across the January/February boundary, one hour missing, a
-- spike up and a spike down inside buckets; a few 1H candles; then the rollups are built.
select market.ensure_candle_partitions('2024-01-30Z', '2024-02-03Z');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
select 'ROLL-USDT', '1m', '2024-01-30Z'::timestamptz + make_interval(mins => i),
       o, greatest(o, c) + 1 + (i % 13) * 0.01, least(o, c) - 1, c, round((1 + (i % 7) / 3.0)::numeric, 4)
  from (select i, 100 + (i % 97) * 0.5 as o, 100.25 + (i % 89) * 0.5 as c from generate_series(0, 3 * 1440 - 1) as i) as s
 where '2024-01-30Z'::timestamptz + make_interval(mins => i) not between '2024-01-30 07:00Z' and '2024-01-30 07:59Z';
update market.candles set high = 9000 where inst_id = 'ROLL-USDT' and bar = '1m' and ts = '2024-01-31 23:37Z';
update market.candles set low = 1 where inst_id = 'ROLL-USDT' and bar = '1m' and ts = '2024-02-01 00:21Z';
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
select 'ROLL-USDT', '1H', '2024-01-30Z'::timestamptz + make_interval(hours => i), 100 + i, 102 + i, 99 + i, 101 + i, 10
  from generate_series(0, 71) as i;
select market.refresh_candle_views();

create function pg_temp.same(f timestamptz, t timestamptz, n integer, b text default '1m') returns boolean
language sql as $$
  select not exists ((select * from bi.candle_buckets('ROLL-USDT', b, f, t, n)
                      except all select * from bi.candle_buckets_scan('ROLL-USDT', b, f, t, n))
                     union all
                     (select * from bi.candle_buckets_scan('ROLL-USDT', b, f, t, n)
                      except all select * from bi.candle_buckets('ROLL-USDT', b, f, t, n)))
     and exists (select from bi.candle_buckets_scan('ROLL-USDT', b, f, t, n))
$$;

-- TEST
select is((select count(*) from market.bi_candle_hours where inst_id = 'ROLL-USDT' and bar = '1m'), 71::bigint,
          'the refresh rolled up every hour with candles (72 hours, one empty)');
set local role candlestack_bi;
select ok(pg_temp.same('2024-01-30Z', '2024-02-02Z', 7), 'edges inside hours (7 buckets over 3 days)');
select ok(pg_temp.same('2024-01-30Z', '2024-02-02Z', 3), 'one bucket per day, across the month boundary');
select ok(pg_temp.same('2024-01-30Z', '2024-02-02Z', 72), 'one bucket per hour');
select ok(pg_temp.same('2024-01-30 05:17Z', '2024-02-01 13:43Z', 11), 'a range starting and ending inside hours');
select ok(pg_temp.same('2024-01-31 20:00Z', '2024-02-01 04:00Z', 5000), 'more buckets than candles: every candle');
select ok(pg_temp.same('2024-01-30Z', '2024-02-02Z', 5, '1H'), 'a bar without rollups reads its candles');
select is((select max(high) from bi.candle_buckets('ROLL-USDT', '1m', '2024-01-30Z', '2024-02-02Z', 3)), 9000::numeric,
          'a one-minute spike up inside a bucket survives');
select is((select min(low) from bi.candle_buckets('ROLL-USDT', '1m', '2024-01-30Z', '2024-02-02Z', 3)), 1::numeric,
          'a one-minute spike down inside a bucket survives');

-- bi.chart_candle_buckets from 05:17 to 13:43 two days later in at most 20 buckets: a part hour
-- to 06:00, 13 buckets of 4 hours (the fewest whole hours that fit: 55.7 h / 18), the rest to 13:43.
select is((select array_agg(row(c.*)::text order by c.bucket)
             from bi.chart_candle_buckets('ROLL-USDT', '1m', '2024-01-30 05:17Z', '2024-02-01 13:43Z', 20) as c),
          (select array_agg(row(y.*)::text order by y.n)
             from (select (row_number() over (order by x.open_time))::integer as n, x.open_time, x.last_open_time, x.open,
                          x.high, x.low, x.close, x.volume, x.candle_count
                     from (select * from bi.candle_buckets_scan('ROLL-USDT', '1m', '2024-01-30 05:17Z', '2024-01-30 06:00Z', 1)
                           union all
                           select * from bi.candle_buckets_scan('ROLL-USDT', '1m', '2024-01-30 06:00Z', '2024-02-01 10:00Z', 13)
                           union all
                           select * from bi.candle_buckets_scan('ROLL-USDT', '1m', '2024-02-01 10:00Z', '2024-02-01 13:43Z', 1)) as x) as y),
          'chart buckets of whole hours, each as the candles fold');
select is((select count(*) from bi.chart_candle_buckets('ROLL-USDT', '1m', '2024-01-30 05:17Z', '2024-02-01 13:43Z', 20)),
          15::bigint, 'a part hour, 13 buckets of 4 hours and the rest: 15 of at most 20');
select is((select sum(candle_count) from bi.chart_candle_buckets('ROLL-USDT', '1m', '2024-01-30Z', '2024-02-02Z', 30)),
          (select count(*)::numeric from bi.candles where instrument = 'ROLL-USDT' and bar = '1m'), 'every candle in one chart bucket');
select is((select array_agg(row(c.open_time, c.last_open_time, c.open, c.high, c.low, c.close, c.volume, c.candle_count)::text
                            order by c.bucket)
             from bi.chart_candle_buckets('ROLL-USDT', '1m', '2024-01-31 20:00Z', '2024-02-01 04:00Z', 800) as c),
          (select array_agg(row(s.open_time, s.last_open_time, s.open, s.high, s.low, s.close, s.volume, s.candle_count)::text
                            order by s.bucket)
             from bi.candle_buckets_scan('ROLL-USDT', '1m', '2024-01-31 20:00Z', '2024-02-01 04:00Z', 800) as s),
          'under an hour per bucket: the equal buckets of bi.candle_buckets (numbered 1.. in time order)');

-- A change after the refresh: its day is read from the candles until the next refresh.
reset role;
update market.candles set high = 12345 where inst_id = 'ROLL-USDT' and bar = '1m' and ts = '2024-01-30 12:30Z';
set local role candlestack_bi;
select ok(pg_temp.same('2024-01-30Z', '2024-02-02Z', 3), 'a day changed since the refresh matches its candles');
select is((select high from bi.candle_buckets('ROLL-USDT', '1m', '2024-01-30Z', '2024-02-02Z', 3) where bucket = 1), 12345::numeric,
          'the changed candle shows before the next refresh');

-- The rollup is what is read: a rollup row made wrong by hand (no change logged) shows.
reset role;
update market.bi_candle_hours set high = 777777 where inst_id = 'ROLL-USDT' and bar = '1m' and hour = '2024-02-01 10:00Z';
set local role candlestack_bi;
select ok(not pg_temp.same('2024-01-30Z', '2024-02-02Z', 3), 'a wrong rollup row changes the result: the rollup is read');
select ok(pg_temp.same('2024-02-01 10:20Z', '2024-02-01 10:40Z', 4), 'a range inside one hour reads candles only');

select * from finish();
rollback;

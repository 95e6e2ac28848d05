-- sql/0510_bi_candle_buckets.sql
-- bi.candle_buckets: candles of a range folded into at most N buckets (first open, highest high,
-- lowest low, last close), so a chart of a million candles stays small and spikes survive. Reads
-- the hourly rollups of market.bi_candle_hours (migrations/0025, kept by sql/0150) wherever an
-- hour lies inside one bucket and its day has no unrefreshed change, raw candles elsewhere; the
-- same rows as bi.candle_buckets_scan (sql/0511), which reads every candle.
-- Depends on market.candles, market.bar_interval (migrations/0003), market.candle_changes
-- (migrations/0016), market.bi_candle_hours (migrations/0025); grants in sql/0590.

create or replace function bi.candle_buckets(instrument text, bar text, from_time timestamptz,
                                             to_time timestamptz, buckets integer)
returns table (bucket integer, open_time timestamptz, last_open_time timestamptz, open numeric,
               high numeric, low numeric, close numeric, volume numeric, candle_count bigint)
language sql
stable
security definer
set search_path = ''
set jit = off
set work_mem = '32MB'
as $$
  with g as (
    select extract(epoch from candle_buckets.from_time)::double precision as lo,
           extract(epoch from candle_buckets.to_time)::double precision as hi,
           greatest(1, least(candle_buckets.buckets, 5000)) as n,
           coalesce(market.bar_interval(candle_buckets.bar) < interval '1 hour', false) as rolled
     where candle_buckets.from_time < candle_buckets.to_time
  ),
  -- UTC days of the range with candles changed since the last refresh: their hours may be stale
  pending as (
    select distinct l.day
      from g, market.candle_changes as l
     where g.rolled and l.inst_id = candle_buckets.instrument and l.bar = candle_buckets.bar
       and l.day >= (pg_catalog.timezone('UTC', candle_buckets.from_time))::pg_catalog.date
       and l.day <= (pg_catalog.timezone('UTC', candle_buckets.to_time))::pg_catalog.date
  ),
  -- the range's up-to-date hours; whole: inside the range and inside one bucket
  hours as (
    select h.hour, h.first_ts, h.last_ts, h.open, h.high, h.low, h.close, h.volume, h.candle_count,
           h.first_ts >= candle_buckets.from_time and h.last_ts < candle_buckets.to_time
             and pg_catalog.width_bucket(extract(epoch from h.first_ts)::double precision, g.lo, g.hi, g.n)
               = pg_catalog.width_bucket(extract(epoch from h.last_ts)::double precision, g.lo, g.hi, g.n) as whole
      from g, market.bi_candle_hours as h
     where g.rolled and h.inst_id = candle_buckets.instrument and h.bar = candle_buckets.bar
       and h.hour >= pg_catalog.date_trunc('hour', candle_buckets.from_time, 'UTC') and h.hour < candle_buckets.to_time
       and not exists (select 1 from pending as p where p.day = (pg_catalog.timezone('UTC', h.hour))::pg_catalog.date)
  ),
  -- where raw candles are read: the whole range of a bar without rollups; else the pending days
  -- and the hours that straddle a bucket edge or an end of the range
  ranges as (
    select candle_buckets.from_time as a, candle_buckets.to_time as z from g where not g.rolled
    union all
    select greatest(candle_buckets.from_time, pg_catalog.timezone('UTC', p.day::pg_catalog.timestamp)),
           least(candle_buckets.to_time, pg_catalog.timezone('UTC', (p.day + 1)::pg_catalog.timestamp))
      from pending as p
    union all
    select greatest(candle_buckets.from_time, h.hour), least(candle_buckets.to_time, h.hour + interval '1 hour')
      from hours as h where not h.whole
  ),
  pieces as (
    select h.first_ts, h.last_ts, h.open, h.high, h.low, h.close, h.volume, h.candle_count
      from hours as h where h.whole
    union all
    select c.ts, c.ts, c.open, c.high, c.low, c.close, c.volume, 1
      from ranges as r
     cross join lateral (
       select c.ts, c.open, c.high, c.low, c.close, c.volume
         from market.candles as c
        where c.inst_id = candle_buckets.instrument and c.bar = candle_buckets.bar
          and c.ts >= r.a and c.ts < r.z
     ) as c
  )
  select b.bucket,
         pg_catalog.min(b.first_ts),
         pg_catalog.max(b.last_ts),
         (pg_catalog.array_agg(b.open order by b.first_ts))[1],
         pg_catalog.max(b.high),
         pg_catalog.min(b.low),
         (pg_catalog.array_agg(b.close order by b.last_ts desc))[1],
         pg_catalog.sum(b.volume),
         pg_catalog.sum(b.candle_count)::bigint
    from (select pg_catalog.width_bucket(extract(epoch from p.first_ts)::double precision, g.lo, g.hi, g.n) as bucket,
                 p.first_ts, p.last_ts, p.open, p.high, p.low, p.close, p.volume, p.candle_count
            from g, pieces as p) as b
   group by b.bucket
   order by b.bucket
$$;
comment on function bi.candle_buckets(text, text, timestamptz, timestamptz, integer) is
$$Candles of [from_time, to_time) folded into at most `buckets` equal time buckets (1 to 5,000).

Each row: the bucket number (1..buckets), its first and last candle open times, the first open,
highest high, lowest low, last close, summed volume and how many candles it holds. Empty buckets
are left out. When buckets exceeds the candles, each bucket holds one candle (full detail).

The same rows as bi.candle_buckets_scan (which reads every candle), read mostly from hourly
rollups: for a bar shorter than an hour, an hour that lies inside one bucket comes from
market.bi_candle_hours, unless its UTC day has candles changed since the last refresh
(market.candle_changes), in which case that day's candles are read; hours across a bucket edge
or an end of the range are read as candles. A million 1m candles in 800 buckets: about 17,000
rollup rows and the candles of about 800 edge hours. Other bars read their candles. SECURITY
DEFINER (the rollup lives in schema market); execute granted to the three roles in sql/0590.
jit off: the planner cannot know how many candles the edge reads return and overestimates them
by far, and compiling the plan then took 2.5 of the 2.7 s of a million-candle range. work_mem
32MB: the 56,000 pieces of that range are sorted in memory, not on disk.$$;

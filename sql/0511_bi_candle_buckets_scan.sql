-- sql/0511_bi_candle_buckets_scan.sql
-- bi.candle_buckets_scan: the definition of bi.candle_buckets (sql/0510) written as a plain read of
-- every candle of the range; pgtests/dashboard compare the two. Slow on long ranges (a million 1m
-- candles: about a second), so the pages call bi.candle_buckets.
-- Depends on bi.candles (sql/0140_bi_views.sql); grants in sql/0590.

create or replace function bi.candle_buckets_scan(instrument text, bar text, from_time timestamptz,
                                             to_time timestamptz, buckets integer)
returns table (bucket integer, open_time timestamptz, last_open_time timestamptz, open numeric,
               high numeric, low numeric, close numeric, volume numeric, candle_count bigint)
language sql
stable
set search_path = ''
as $$
  select b.bucket,
         pg_catalog.min(b.open_time),
         pg_catalog.max(b.open_time),
         (pg_catalog.array_agg(b.open order by b.open_time))[1],
         pg_catalog.max(b.high),
         pg_catalog.min(b.low),
         (pg_catalog.array_agg(b.close order by b.open_time desc))[1],
         pg_catalog.sum(b.volume),
         pg_catalog.count(*)
    from (select pg_catalog.width_bucket(extract(epoch from c.open_time)::double precision,
                                         extract(epoch from candle_buckets_scan.from_time)::double precision,
                                         extract(epoch from candle_buckets_scan.to_time)::double precision,
                                         greatest(1, least(candle_buckets_scan.buckets, 5000))) as bucket,
                 c.open_time, c.open, c.high, c.low, c.close, c.volume
            from bi.candles as c
           where c.instrument = candle_buckets_scan.instrument and c.bar = candle_buckets_scan.bar
             and c.open_time >= candle_buckets_scan.from_time and c.open_time < candle_buckets_scan.to_time) as b
   group by b.bucket
   order by b.bucket
$$;
comment on function bi.candle_buckets_scan(text, text, timestamptz, timestamptz, integer) is
$$Candles of [from_time, to_time) folded into at most `buckets` equal time buckets (1 to 5,000).

Each row: the bucket number (1..buckets), its first and last candle open times, the first open,
highest high, lowest low, last close, summed volume and how many candles it holds. Empty buckets
are left out. When buckets exceeds the candles, each bucket holds one candle (full detail).
The reference for bi.candle_buckets, which returns the same rows from hourly rollups: this one
reads every candle of the range.$$;

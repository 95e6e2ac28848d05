-- sql/0510_bi_candle_buckets.sql
-- bi.candle_buckets: candles of a range folded into at most N buckets (first open, highest high,
-- lowest low, last close), so a chart of a million candles stays small and spikes survive.
-- Depends on bi.candles (sql/0140_bi_views.sql); grants in sql/0590.

create or replace function bi.candle_buckets(instrument text, bar text, from_time timestamptz,
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
                                         extract(epoch from candle_buckets.from_time)::double precision,
                                         extract(epoch from candle_buckets.to_time)::double precision,
                                         greatest(1, least(candle_buckets.buckets, 5000))) as bucket,
                 c.open_time, c.open, c.high, c.low, c.close, c.volume
            from bi.candles as c
           where c.instrument = candle_buckets.instrument and c.bar = candle_buckets.bar
             and c.open_time >= candle_buckets.from_time and c.open_time < candle_buckets.to_time) as b
   group by b.bucket
   order by b.bucket
$$;
comment on function bi.candle_buckets(text, text, timestamptz, timestamptz, integer) is
$$Candles of [from_time, to_time) folded into at most `buckets` equal time buckets (1 to 5,000).

Each row: the bucket number (1..buckets), its first and last candle open times, the first open,
highest high, lowest low, last close, summed volume and how many candles it holds. Empty buckets
are left out. When buckets exceeds the candles, each bucket holds one candle (full detail).$$;

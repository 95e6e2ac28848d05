-- migrations/0025_bi_candle_hours.sql
-- market.bi_candle_hours: candles of the sub-hour bars folded per UTC hour, kept by
-- market.refresh_candle_views (sql/0150) from the same log of changed days as bi.daily_candles, so
-- bi.candle_buckets (sql/0510) reads about 60 times fewer rows for a long 1m range (a chart of a
-- 1,000,000-candle run read every candle per request).
-- Depends on market.candles (0003) and market.candle_changes (0016).
-- squawk: the table is new (no session uses it); it is filled by one read of market.candles
-- (ACCESS SHARE, which blocks no writer), under the refresh's advisory lock so no refresh runs
-- meanwhile. A candle written while this runs is logged in market.candle_changes as usual and its
-- day recomputed by the next refresh; until then bi.candle_buckets reads that day's raw candles.
set local search_path = pg_catalog, pg_temp;
set local lock_timeout = '10s';
set local statement_timeout = '60min';

select pg_advisory_xact_lock(hashtext('market.refresh_candle_views'));

create table market.bi_candle_hours (
  inst_id      text        not null,
  bar          text        not null,
  hour         timestamptz not null,
  first_ts     timestamptz not null,
  last_ts      timestamptz not null,
  open         numeric     not null,
  high         numeric     not null,
  low          numeric     not null,
  close        numeric     not null,
  volume       numeric     not null,
  candle_count bigint      not null,
  primary key (inst_id, bar, hour)
);
comment on table market.bi_candle_hours is
$$Stored candles of one series of a bar shorter than an hour (1s to 30m) folded into one UTC hour.

Same arithmetic as bi.candle_buckets: the open of the hour's first stored candle, highest high,
lowest low, the close of its last, summed volume, how many candles. An hour without candles has
no row. Kept by market.refresh_candle_views, which recomputes the hours of the (series, UTC day)
that market.candle_changes names; so the hours of a day are exact whenever that log holds no row
for the day (bi.candle_buckets reads the raw candles of the days it does).$$;
comment on column market.bi_candle_hours.hour is 'Start of the UTC hour.';
comment on column market.bi_candle_hours.first_ts is 'Open time of the hour''s first stored candle.';
comment on column market.bi_candle_hours.last_ts is 'Open time of the hour''s last stored candle.';
comment on column market.bi_candle_hours.candle_count is 'How many stored candles the hour holds.';

insert into market.bi_candle_hours (inst_id, bar, hour, first_ts, last_ts, open, high, low, close, volume, candle_count)
select c.inst_id, c.bar, date_trunc('hour', c.ts, 'UTC'), min(c.ts), max(c.ts),
       (array_agg(c.open order by c.ts))[1], max(c.high), min(c.low), (array_agg(c.close order by c.ts desc))[1],
       sum(c.volume), count(*)
  from market.candles as c
 where market.bar_interval(c.bar) < interval '1 hour'
 group by c.inst_id, c.bar, date_trunc('hour', c.ts, 'UTC');

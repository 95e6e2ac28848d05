-- sql/0150_market_refresh_views.sql
-- market.refresh_candle_views (the incremental tables behind bi.daily_candles, bi.data_coverage and
-- bi.candle_buckets)
-- and market.refresh_views (those, then every materialized view of schema bi).
-- Depends on market.candle_changes, market.bi_daily_candles, market.bi_series_days, market.bi_refreshes
-- (migrations/0016), market.bi_candle_hours (migrations/0025), the bar arithmetic (migrations/0003) and the bi materialized views (migrations/0004).

create or replace function market.refresh_candle_views()
returns bigint
language plpgsql
volatile
set search_path = ''
set jit = off
set plan_cache_mode = force_generic_plan
as $$
declare
  v_inst   text[];
  v_bar    text[];
  v_day    date[];
  v_d_inst text[];
  v_d_bar  text[];
  v_d_start timestamptz[];
begin
  -- one refresh at a time (a second waits, then finds little or nothing left to do)
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('market.refresh_candle_views'));

  -- Take the logged changes: exactly the rows this statement sees, so a change committed later (or
  -- still uncommitted) keeps its log row for the next refresh; every candle change behind a taken
  -- row is visible to the statements below (they take later snapshots).
  with taken as (
    delete from market.candle_changes as l returning l.inst_id, l.bar, l.day
  ), k as (
    select distinct t.inst_id, t.bar, t.day from taken as t
  )
  select pg_catalog.array_agg(k.inst_id), pg_catalog.array_agg(k.bar), pg_catalog.array_agg(k.day)
    into v_inst, v_bar, v_day
    from k;

  if v_inst is not null then
    -- Coverage pieces of each changed (series, UTC day), recomputed from that day's candles alone.
    delete from market.bi_series_days as sd
     using rows from (pg_catalog.unnest(v_inst), pg_catalog.unnest(v_bar), pg_catalog.unnest(v_day)) as k (inst_id, bar, day)
     where sd.inst_id = k.inst_id and sd.bar = k.bar and sd.day = k.day;
    insert into market.bi_series_days (inst_id, bar, day, first_ts, last_ts, present_count, inner_gap_count)
    select k.inst_id, k.bar, k.day, pg_catalog.min(p.ts), pg_catalog.max(p.ts), pg_catalog.count(*),
           pg_catalog.count(*) filter (where p.prev_ts is not null and market.bar_next(k.bar, p.prev_ts) <> p.ts)
      from rows from (pg_catalog.unnest(v_inst), pg_catalog.unnest(v_bar), pg_catalog.unnest(v_day)) as k (inst_id, bar, day)
     cross join lateral (
       select c.ts, pg_catalog.lag(c.ts) over (order by c.ts) as prev_ts
         from market.candles as c
        where c.inst_id = k.inst_id and c.bar = k.bar
          and c.ts >= pg_catalog.timezone('UTC', k.day::timestamp)
          and c.ts < pg_catalog.timezone('UTC', (k.day + 1)::timestamp)
     ) as p
     group by k.inst_id, k.bar, k.day;

    -- Hours of the changed days of the bars shorter than an hour (market.bi_candle_hours, read by
    -- bi.candle_buckets), from each day's candles alone.
    delete from market.bi_candle_hours as ch
     using rows from (pg_catalog.unnest(v_inst), pg_catalog.unnest(v_bar), pg_catalog.unnest(v_day)) as k (inst_id, bar, day)
     where ch.inst_id = k.inst_id and ch.bar = k.bar
       and ch.hour >= pg_catalog.timezone('UTC', k.day::timestamp)
       and ch.hour < pg_catalog.timezone('UTC', (k.day + 1)::timestamp);
    insert into market.bi_candle_hours (inst_id, bar, hour, first_ts, last_ts, open, high, low, close, volume, candle_count)
    select k.inst_id, k.bar, h.hour, h.first_ts, h.last_ts, h.open, h.high, h.low, h.close, h.volume, h.n
      from rows from (pg_catalog.unnest(v_inst), pg_catalog.unnest(v_bar), pg_catalog.unnest(v_day)) as k (inst_id, bar, day)
     cross join lateral (
       select pg_catalog.date_trunc('hour', c.ts, 'UTC') as hour, pg_catalog.min(c.ts) as first_ts,
              pg_catalog.max(c.ts) as last_ts, (pg_catalog.array_agg(c.open order by c.ts))[1] as open,
              pg_catalog.max(c.high) as high, pg_catalog.min(c.low) as low,
              (pg_catalog.array_agg(c.close order by c.ts desc))[1] as close, pg_catalog.sum(c.volume) as volume,
              pg_catalog.count(*) as n
         from market.candles as c
        where c.inst_id = k.inst_id and c.bar = k.bar
          and c.ts >= pg_catalog.timezone('UTC', k.day::timestamp)
          and c.ts < pg_catalog.timezone('UTC', (k.day + 1)::timestamp)
        group by 1
     ) as h
     where market.bar_interval(k.bar) < interval '1 hour';

    -- Daily candles: the 1D (Hong Kong) and 1Dutc days that overlap a changed UTC day of 1m candles
    -- (a UTC day overlaps at most two days of each convention: those of its first and last instant).
    select pg_catalog.array_agg(d.inst_id), pg_catalog.array_agg(d.bar), pg_catalog.array_agg(d.day_start)
      into v_d_inst, v_d_bar, v_d_start
      from (select distinct k.inst_id, b.bar, market.bar_start(b.bar, t.instant) as day_start
              from rows from (pg_catalog.unnest(v_inst), pg_catalog.unnest(v_bar), pg_catalog.unnest(v_day)) as k (inst_id, bar, day)
             cross join (values ('1D'), ('1Dutc')) as b (bar)
             cross join lateral (values (pg_catalog.timezone('UTC', k.day::timestamp)),
                                        (pg_catalog.timezone('UTC', (k.day + 1)::timestamp) - interval '1 microsecond')) as t (instant)
             where k.bar = '1m') as d;
  end if;

  if v_d_inst is not null then
    delete from market.bi_daily_candles as dc
     using rows from (pg_catalog.unnest(v_d_inst), pg_catalog.unnest(v_d_bar), pg_catalog.unnest(v_d_start)) as d (inst_id, bar, day_start)
     where dc.instrument = d.inst_id and dc.bar = d.bar and dc.day_start = d.day_start;
    -- same arithmetic as market.resample: first open, max high, min low, last close, summed volumes
    insert into market.bi_daily_candles (instrument, bar, day, day_start, open, high, low, close,
                                         volume, volume_ccy, volume_quote, minute_count, complete)
    select d.inst_id, d.bar, (pg_catalog.timezone(market.bar_utc_offset(d.bar), d.day_start))::date, d.day_start,
           -- open and close by primary-key lookups (a join here may become a hash join over a whole month)
           (select o.open from market.candles as o
             where o.inst_id = d.inst_id and o.bar = '1m' and o.ts = a.first_ts),
           a.high, a.low,
           (select x.close from market.candles as x
             where x.inst_id = d.inst_id and x.bar = '1m' and x.ts = a.last_ts),
           a.volume, a.volume_ccy, a.volume_quote, a.n,
           a.n = 1440 and a.all_confirmed
      from rows from (pg_catalog.unnest(v_d_inst), pg_catalog.unnest(v_d_bar), pg_catalog.unnest(v_d_start)) as d (inst_id, bar, day_start)
     cross join lateral (
       select pg_catalog.min(c.ts) as first_ts, pg_catalog.max(c.ts) as last_ts,
              pg_catalog.max(c.high) as high, pg_catalog.min(c.low) as low,
              pg_catalog.sum(c.volume) as volume, pg_catalog.sum(c.volume_ccy) as volume_ccy,
              pg_catalog.sum(c.volume_quote) as volume_quote,
              pg_catalog.count(*) as n, pg_catalog.bool_and(c.confirmed) as all_confirmed
         from market.candles as c
        where c.inst_id = d.inst_id and c.bar = '1m'
          and c.ts >= d.day_start and c.ts < market.bar_next(d.bar, d.day_start)
     ) as a
     where a.n > 0;
  end if;

  insert into market.bi_refreshes as r (name, refreshed_at) values ('candles', pg_catalog.now())
  on conflict (name) do update set refreshed_at = excluded.refreshed_at;
  return coalesce(pg_catalog.cardinality(v_inst), 0);
end;
$$;
comment on function market.refresh_candle_views() is
$$Bring bi.daily_candles, bi.data_coverage and the hours behind bi.candle_buckets up to date; returns how many (series, UTC day) it recomputed.

Incremental: takes the rows of market.candle_changes (written by the triggers on market.candles)
and recomputes only those days (market.bi_series_days; market.bi_candle_hours for bars shorter
than an hour) and the 1D and 1Dutc days overlapping
them (market.bi_daily_candles), from the candles of those days alone, so its cost follows what
changed since the last refresh, not how much history is stored. A change committed while it runs
stays logged for the next refresh. One refresh at a time (advisory lock). Readers are never
blocked: they see the old rows until the refresh commits. plan_cache_mode force_generic_plan:
its statements reach market.candles through parameters (the changed days), so a custom plan
cannot prune partitions at plan time and checks every partition's CHECKs instead, about 80 ms
of planning per call with a year of partitions (bench/bi-refresh.sh); the generic
plan is made once per session and prunes at run time.$$;

create or replace function market.refresh_views()
returns table (view_name text, refreshed_concurrently boolean)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_view record;
begin
  perform market.refresh_candle_views();
  for v_view in
    select x.name, x.populated, x.incremental
      from (select c.oid::pg_catalog.regclass::pg_catalog.text as name, c.relispopulated as populated, false as incremental
              from pg_catalog.pg_class as c
              join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
             where n.nspname = 'bi' and c.relkind = 'm'
            union all
            select v.name, true, true from (values ('bi.daily_candles'), ('bi.data_coverage')) as v (name)) as x
     order by x.name
  loop
    if v_view.incremental then
      null;  -- brought up to date above by market.refresh_candle_views
    elsif v_view.populated then
      execute pg_catalog.format('refresh materialized view concurrently %s', v_view.name);
    else
      execute pg_catalog.format('refresh materialized view %s', v_view.name);
    end if;
    view_name := v_view.name;
    refreshed_concurrently := v_view.populated;
    return next;
  end loop;
end;
$$;
comment on function market.refresh_views() is
$$Bring every bi view that is not live up to date; returns each view and whether readers could go on meanwhile.

bi.daily_candles and bi.data_coverage: incrementally, only the days whose candles changed since
the last refresh (market.refresh_candle_views; refreshed_concurrently is true: readers are never
blocked). Every materialized view of schema bi (bi.top_coins): concurrently when populated,
plainly when not yet (CONCURRENTLY refuses an unpopulated view). SECURITY DEFINER because a
refresh needs ownership; execute is granted to candlestack_worker and candlestack_operator only.$$;

create or replace function market.mark_candle_days_changed(from_ts timestamptz, to_ts timestamptz)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_marked bigint;
begin
  if from_ts is null or to_ts is null or to_ts <= from_ts then
    raise exception 'market.mark_candle_days_changed: from_ts must be before to_ts, got % and %', from_ts, to_ts
      using errcode = 'invalid_parameter_value';
  end if;
  insert into market.candle_changes (inst_id, bar, day)
  select sd.inst_id, sd.bar, sd.day
    from market.bi_series_days as sd
   where sd.last_ts >= from_ts and sd.first_ts < to_ts;
  get diagnostics v_marked = row_count;
  return v_marked;
end;
$$;
comment on function market.mark_candle_days_changed(timestamptz, timestamptz) is
$$Have the next refresh recompute every day of bi.daily_candles and bi.data_coverage with candles in [from_ts, to_ts); returns how many (series, day) it marked.

For changes the triggers on market.candles do not see: a month dropped or detached (DROP TABLE,
DETACH PARTITION), a TRUNCATE. Marks the days the bi tables hold in the range, so days whose
candles are gone disappear at the next market.refresh_views(). SECURITY DEFINER; granted to
candlestack_operator and candlestack_worker.$$;

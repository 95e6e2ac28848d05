-- sql/0130_market_resample.sql
-- market.resample (build a coarser bar from stored finer candles) and market.gaps (missing intervals).
-- Depends on market.candles and the bar arithmetic (migrations/0003_market.sql).

create or replace function market.resample(
  inst_id text, target_bar text, from_ts timestamptz, to_ts timestamptz, source_bar text default '1m')
returns table (ts timestamptz, open numeric, high numeric, low numeric, close numeric, volume numeric,
               volume_ccy numeric, volume_quote numeric, source_count bigint, complete boolean)
language plpgsql
stable
set search_path = ''
set jit = off
set work_mem = '64MB'
set enable_sort = off
set parallel_setup_cost = 0
set parallel_tuple_cost = 0
set min_parallel_table_scan_size = 0
as $$
declare
  v_lo     timestamptz;
  v_hi     timestamptz;
  v_extent timestamptz;
  v_per_bucket bigint;
  v_bars   text;
begin
  if market.bar_interval(resample.target_bar) is null or market.bar_interval(resample.source_bar) is null then
    select pg_catalog.string_agg(b.bar, ', ' order by b.ordinal) into v_bars from market.bars() as b;
    raise exception 'market.resample: target_bar and source_bar must be one of %, got % and %',
      v_bars, resample.target_bar, resample.source_bar using errcode = 'invalid_parameter_value';
  end if;
  if resample.source_bar in ('1M', '1Mutc', '3M', '3Mutc')
     or market.bar_interval(resample.source_bar) >= market.bar_interval(resample.target_bar) then
    raise exception 'market.resample: source_bar must be a fixed-size bar shorter than target_bar, got % for %',
      resample.source_bar, resample.target_bar using errcode = 'invalid_parameter_value';
  end if;
  if from_ts is null or to_ts is null or to_ts <= from_ts then
    raise exception 'market.resample: from_ts must be before to_ts, got % and %', from_ts, to_ts
      using errcode = 'invalid_parameter_value';
  end if;

  -- whole buckets: from the start of from_ts's bucket to the end of the bucket before to_ts
  v_lo := market.bar_start(resample.target_bar, from_ts);
  v_hi := case when market.bar_start(resample.target_bar, to_ts) = to_ts then to_ts
               else market.bar_next(resample.target_bar, to_ts) end;
  -- Every bucket must start on the source grid, not only the first: the first bucket start is on
  -- it, and the step between bucket starts is a whole number of source bars. Fixed-size targets
  -- step by their length, so it must be a multiple of the source's (1D into 1W, not 2D into 1W);
  -- months and quarters start at one time of day in their zone, so the source must divide a day
  -- (1D into 1M, not 1W into 1M, whose weeks straddle month starts).
  if market.bar_start(resample.source_bar, v_lo) <> v_lo
     or pg_catalog.mod(case when resample.target_bar in ('1M', '1Mutc', '3M', '3Mutc') then 86400::numeric
                            else extract(epoch from market.bar_interval(resample.target_bar)) end,
                       extract(epoch from market.bar_interval(resample.source_bar))) <> 0 then
    raise exception 'market.resample: % buckets do not all start on the % grid', resample.target_bar, resample.source_bar
      using errcode = 'invalid_parameter_value',
            hint = 'Pick a source_bar whose bars tile every target bucket, e.g. 1m, 1H or 1D.';
  end if;
  -- source candles per bucket: a constant for fixed-size targets (computed once, not per bucket)
  if resample.target_bar not in ('1M', '1Mutc', '3M', '3Mutc') then
    v_per_bucket := market.bar_count(resample.source_bar, v_lo, market.bar_next(resample.target_bar, v_lo));
  end if;
  -- the data's extent: the end of the newest stored source candle
  select market.bar_next(resample.source_bar, pg_catalog.max(c.ts)) into v_extent
    from market.candles as c
   where c.inst_id = resample.inst_id and c.bar = resample.source_bar;

  -- Aggregate max/min/sum/count and the first and last ts per bucket (a hash aggregate over a few
  -- thousand groups), then fetch open and close by primary-key lookups: much cheaper than ordered
  -- array_agg over every source row. EXECUTE with the bars as literals, so the inlined
  -- market.bar_start folds to one date_bin expression and partition pruning sees the range.
  return query execute pg_catalog.format($q$
    with b as materialized (
      select market.bar_start(%1$L, c.ts) as bucket,
             pg_catalog.min(c.ts) as first_ts, pg_catalog.max(c.ts) as last_ts,
             pg_catalog.max(c.high) as high, pg_catalog.min(c.low) as low,
             pg_catalog.sum(c.volume) as volume, pg_catalog.sum(c.volume_ccy) as volume_ccy,
             pg_catalog.sum(c.volume_quote) as volume_quote,
             pg_catalog.count(*) as n, pg_catalog.bool_and(c.confirmed) as all_confirmed
        from market.candles as c
       where c.inst_id = %3$L and c.bar = %2$L and c.ts >= %4$L and c.ts < %5$L
       group by 1
    )
    select b.bucket,
           (select o.open from market.candles as o
             where o.inst_id = %3$L and o.bar = %2$L and o.ts = b.first_ts and o.ts >= %4$L and o.ts < %5$L),
           b.high, b.low,
           (select x.close from market.candles as x
             where x.inst_id = %3$L and x.bar = %2$L and x.ts = b.last_ts and x.ts >= %4$L and x.ts < %5$L),
           b.volume, b.volume_ccy, b.volume_quote, b.n,
           b.all_confirmed
           and b.n = coalesce(%7$L::bigint, market.bar_count(%2$L, b.bucket, market.bar_next(%1$L, b.bucket)))
           and market.bar_next(%1$L, b.bucket) <= %6$L::timestamptz
      from b
     order by b.bucket
  $q$, resample.target_bar, resample.source_bar, resample.inst_id, v_lo, v_hi, v_extent, v_per_bucket);
end;
$$;
comment on function market.resample(text, text, timestamptz, timestamptz, text) is
$$Build target_bar candles of one instrument from stored source_bar candles (default 1m).

Returns one row per bucket that holds at least one source candle, for the buckets starting in
[bar_start(target_bar, from_ts), to_ts), aligned as OKX aligns target_bar (market.bar_start).
open = first source open, close = last source close, high = max, low = min, volumes summed;
source_count = source candles in the bucket; complete = the bucket holds every source candle it
should (market.bar_count), all of them confirmed, and it ends no later than the newest stored
source candle. A bucket is never cut by from_ts or to_ts: partial ranges widen to whole buckets.
source_bar must be fixed-size and shorter than target_bar, with every target bucket on its grid
(22023): a fixed-size target a whole number of source bars long, a month or quarter from a source
that divides a day (1W into 1M is refused: weeks straddle month starts).
Planner settings of its own, measured on one year of 1m candles (bench/market-upsert-resample.sh):
the planner cannot estimate the bucket count (it assumes one per source row), so it would sort
525,600 rows to disk for a GroupAggregate; enable_sort off and work_mem 64MB give an in-memory
hash aggregate of a few thousand groups (the final ORDER BY still sorts), zero parallel costs let
two workers scan the monthly partitions, and jit is off (compiling costs more than it saves).$$;

create or replace function market.gaps(inst_id text, bar text, from_ts timestamptz, to_ts timestamptz)
returns table (gap_from timestamptz, gap_to timestamptz, missing_count bigint)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_lo   timestamptz;
  v_bars text;
begin
  if market.bar_interval(gaps.bar) is null then
    select pg_catalog.string_agg(b.bar, ', ' order by b.ordinal) into v_bars from market.bars() as b;
    raise exception 'market.gaps: bar must be one of %, got %', v_bars, gaps.bar
      using errcode = 'invalid_parameter_value';
  end if;
  if from_ts is null or to_ts is null or to_ts < from_ts then
    raise exception 'market.gaps: from_ts must not be after to_ts, got % and %', from_ts, to_ts
      using errcode = 'invalid_parameter_value';
  end if;
  -- the first bar that opens at or after from_ts
  v_lo := case when market.bar_start(gaps.bar, from_ts) = from_ts then from_ts
               else market.bar_next(gaps.bar, from_ts) end;

  return query
  with p as materialized (
    select c.ts, pg_catalog.lag(c.ts) over (order by c.ts) as prev_ts
      from market.candles as c
     where c.inst_id = gaps.inst_id and c.bar = gaps.bar and c.ts >= v_lo and c.ts < to_ts
  ), e as (
    select pg_catalog.min(p.ts) as first_ts, pg_catalog.max(p.ts) as last_ts from p
  ), g as (
    select v_lo as g_from, coalesce(e.first_ts, to_ts) as g_to           -- at the start (or everything)
      from e
     where v_lo < coalesce(e.first_ts, to_ts)
    union all
    select market.bar_next(gaps.bar, p.prev_ts), p.ts                    -- in the middle
      from p
     where p.prev_ts is not null and market.bar_next(gaps.bar, p.prev_ts) < p.ts
    union all
    select market.bar_next(gaps.bar, e.last_ts), to_ts                   -- at the end
      from e
     where e.last_ts is not null and market.bar_next(gaps.bar, e.last_ts) < to_ts
  )
  select g.g_from, g.g_to, market.bar_count(gaps.bar, g.g_from, g.g_to)
    from g
   order by g.g_from;
end;
$$;
comment on function market.gaps(text, text, timestamptz, timestamptz) is
$$The missing candles of one instrument and bar in [from_ts, to_ts), as intervals.

One row per run of missing bars: gap_from = the first missing bar's open time, gap_to (exclusive)
= the first present candle after the gap, or to_ts for a gap that reaches the end of the range;
missing_count = how many bars open in [gap_from, gap_to). Gaps at the start, in the middle and at
the end are all reported; a range with no candles is one gap.$$;

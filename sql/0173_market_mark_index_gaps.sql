-- sql/0173_market_mark_index_gaps.sql
-- market.mark_index_gaps: the missing mark or index candles of a series, with market.gaps' contract.
-- Depends on market.mark_index_candles (migrations/0022) and the bar arithmetic (0003).

create or replace function market.mark_index_gaps(price_type text, inst_id text, bar text, from_ts timestamptz, to_ts timestamptz)
returns table (gap_from timestamptz, gap_to timestamptz, missing_count bigint)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_lo   timestamptz;
  v_bars text;
begin
  if mark_index_gaps.price_type is null or mark_index_gaps.price_type not in ('mark', 'index') then
    raise exception 'market.mark_index_gaps: price_type must be mark or index, got %', mark_index_gaps.price_type
      using errcode = 'invalid_parameter_value';
  end if;
  if market.bar_interval(mark_index_gaps.bar) is null then
    select pg_catalog.string_agg(b.bar, ', ' order by b.ordinal) into v_bars from market.bars() as b;
    raise exception 'market.mark_index_gaps: bar must be one of %, got %', v_bars, mark_index_gaps.bar
      using errcode = 'invalid_parameter_value';
  end if;
  if from_ts is null or to_ts is null or to_ts < from_ts then
    raise exception 'market.mark_index_gaps: from_ts must not be after to_ts, got % and %', from_ts, to_ts
      using errcode = 'invalid_parameter_value';
  end if;
  v_lo := case when market.bar_start(mark_index_gaps.bar, from_ts) = from_ts then from_ts
               else market.bar_next(mark_index_gaps.bar, from_ts) end;

  return query
  with p as materialized (
    select c.ts, pg_catalog.lag(c.ts) over (order by c.ts) as prev_ts
      from market.mark_index_candles as c
     where c.inst_id = mark_index_gaps.inst_id and c.price_type = mark_index_gaps.price_type
       and c.bar = mark_index_gaps.bar and c.ts >= v_lo and c.ts < to_ts
  ), e as (
    select pg_catalog.min(p.ts) as first_ts, pg_catalog.max(p.ts) as last_ts from p
  ), g as (
    select v_lo as g_from, coalesce(e.first_ts, to_ts) as g_to
      from e
     where v_lo < coalesce(e.first_ts, to_ts)
    union all
    select market.bar_next(mark_index_gaps.bar, p.prev_ts), p.ts
      from p
     where p.prev_ts is not null and market.bar_next(mark_index_gaps.bar, p.prev_ts) < p.ts
    union all
    select market.bar_next(mark_index_gaps.bar, e.last_ts), to_ts
      from e
     where e.last_ts is not null and market.bar_next(mark_index_gaps.bar, e.last_ts) < to_ts
  )
  select g.g_from, g.g_to, market.bar_count(mark_index_gaps.bar, g.g_from, g.g_to)
    from g
   order by g.g_from;
end;
$$;
comment on function market.mark_index_gaps(text, text, text, timestamptz, timestamptz) is
$$The missing mark (price_type 'mark') or index ('index') candles of one series in [from_ts, to_ts), as intervals.

The contract of market.gaps: one row per run of missing bars, gap_from the first missing bar's
open time, gap_to (exclusive) the first present candle after it or to_ts, missing_count the bars
in between; a range with no candles is one gap. What backfill_mark_candles fetches.$$;

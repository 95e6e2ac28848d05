-- sql/0431_backtest_funding_missing.sql
-- backtest.funding_missing: the stretches of a run's range where funding times have no row in
-- market.funding_rates, so that a swap backtest can refuse to start naming them.
-- Depends on market.funding_rates (migrations/0021_market_funding_rates.sql).

create or replace function backtest.funding_missing(inst_id text, from_ts timestamptz, to_ts timestamptz)
returns table (missing_from timestamptz, missing_to timestamptz)
language sql
stable
set search_path = ''
as $$
  -- the rows inside [from_ts, to_ts) plus the nearest two on each side (so a step next to the
  -- range has both neighbours)
  with t as (
    select f.funding_time from market.funding_rates as f
     where f.inst_id = funding_missing.inst_id and f.funding_time >= funding_missing.from_ts
       and f.funding_time < funding_missing.to_ts
    union
    (select f.funding_time from market.funding_rates as f
      where f.inst_id = funding_missing.inst_id and f.funding_time < funding_missing.from_ts
      order by f.funding_time desc limit 2)
    union
    (select f.funding_time from market.funding_rates as f
      where f.inst_id = funding_missing.inst_id and f.funding_time >= funding_missing.to_ts
      order by f.funding_time limit 2)
  ),
  g as (
    select t.funding_time as a, lead(t.funding_time) over w as b,
           t.funding_time - lag(t.funding_time) over w as before,
           lead(t.funding_time, 2) over w - lead(t.funding_time) over w as after
      from t window w as (order by t.funding_time)
  ),
  -- a step is missing rows when it is at least 1.5 times the larger of its neighbours (8 h when
  -- it has none): a skipped row doubles a step, a move from 8 h to 4 h funding does not
  inner_gaps as (
    select g.a as lo, g.b as hi from g
     where g.b is not null
       and g.b - g.a >= 1.5 * greatest(coalesce(g.before, g.after, interval '8 hours'), coalesce(g.after, g.before, interval '8 hours'))
  ),
  bounds as (select min(t.funding_time) as first, max(t.funding_time) as last,
                    (select g.b - g.a from g where g.b is not null order by g.a limit 1) as first_step,
                    (select g.b - g.a from g where g.b is not null order by g.a desc limit 1) as last_step
               from t),
  edges as (
    -- nothing known at all, or nothing before / after the range although a funding time fits in
    select funding_missing.from_ts as lo, funding_missing.to_ts as hi from bounds where bounds.first is null
    union all
    select funding_missing.from_ts, bounds.first from bounds
     where bounds.first > funding_missing.from_ts
       and bounds.first - funding_missing.from_ts >= coalesce(bounds.first_step, interval '8 hours')
    union all
    select bounds.last, funding_missing.to_ts from bounds
     where bounds.last < funding_missing.to_ts
       and funding_missing.to_ts - bounds.last > coalesce(bounds.last_step, interval '8 hours')
  ),
  all_gaps as (select lo, hi from inner_gaps union all select lo, hi from edges)
  select greatest(a.lo, funding_missing.from_ts), least(a.hi, funding_missing.to_ts)
    from all_gaps as a
   where a.hi > funding_missing.from_ts and a.lo < funding_missing.to_ts
   order by 1;
$$;
comment on function backtest.funding_missing(text, timestamptz, timestamptz) is
$$Stretches of [from_ts, to_ts) where funding rows of inst_id are missing.

Funding intervals differ between instruments and change over time, so the expected times are
read from the rows themselves: a step between consecutive funding_time values (the rows in the
range and the nearest two on each side) is missing rows when it is at least 1.5 times the
larger neighbouring step (8 h when there is none); the start (end) of the range is missing when
no row comes before (after) it and a step's length fits between it and the first (last) row.
No row at all: the whole range. Each stretch is given as (missing_from, missing_to), bounded by
the range; an empty answer means every funding time of the range is there.$$;

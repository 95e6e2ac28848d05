-- sql/0307_market_range_coverage.sql
-- market.range_coverage: what the table holds of one series in a range, as a backfill reports it.
-- Depends on market.gaps (sql/0130), market.bar_count (migrations/0003) and
-- market.candle_history_start (sql/0305).

create or replace function market.range_coverage(inst_id text, bar text, from_ts timestamptz, to_ts timestamptz)
returns table (bars_in_range bigint, missing bigint, gaps bigint, missing_before_history_start bigint,
               history_start timestamptz)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_start timestamptz := market.candle_history_start(range_coverage.inst_id, range_coverage.bar);
begin
  return query
  select market.bar_count(range_coverage.bar, range_coverage.from_ts, range_coverage.to_ts),
         coalesce(sum(g.missing_count), 0)::bigint,
         count(*) filter (where g.missing_count > 0),
         coalesce(sum(case when g.gap_from < v_start
                           then market.bar_count(range_coverage.bar, g.gap_from, least(g.gap_to, v_start))
                           else 0 end), 0)::bigint,
         v_start
    from market.gaps(range_coverage.inst_id, range_coverage.bar, range_coverage.from_ts, range_coverage.to_ts) as g;
end;
$$;
comment on function market.range_coverage(text, text, timestamptz, timestamptz) is
$$What market.candles holds of inst_id and bar in [from_ts, to_ts): one row.

bars_in_range: bars that open in the range; missing and gaps: what market.gaps reports over the
whole range (every missing bar counts, also those before OKX's history); missing_before_history_start:
how many of the missing bars open before the recorded start of OKX's history (history_start, NULL
when unknown), which no fetch can fill. A backfill's result reports these numbers as read after it
stored its candles.$$;

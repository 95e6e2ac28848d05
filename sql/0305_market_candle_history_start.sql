-- sql/0305_market_candle_history_start.sql
-- market.note_candle_history_start / market.candle_history_start: remember where OKX's history begins.
-- Depends on market.candle_history_starts (migrations/0006_ingest.sql).

create or replace function market.note_candle_history_start(inst_id text, bar text, first_ts timestamptz)
returns void
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_oldest timestamptz;
begin
  if note_candle_history_start.first_ts is null then
    raise exception 'market.note_candle_history_start: first_ts must be a time, got NULL'
      using errcode = 'null_value_not_allowed';
  end if;
  select min(c.ts) into v_oldest
    from market.candles as c
   where c.inst_id = note_candle_history_start.inst_id and c.bar = note_candle_history_start.bar;
  -- A stored candle older than the claimed start disproves it: keep what was known.
  if v_oldest < note_candle_history_start.first_ts then
    return;
  end if;
  insert into market.candle_history_starts as s (inst_id, bar, first_ts)
  values (note_candle_history_start.inst_id, note_candle_history_start.bar, note_candle_history_start.first_ts)
  on conflict on constraint candle_history_starts_pkey do update
     set first_ts    = least(s.first_ts, excluded.first_ts),
         observed_at = pg_catalog.now();
end;
$$;
comment on function market.note_candle_history_start(text, text, timestamptz) is
$$Record that OKX has no candle of inst_id and bar older than first_ts.

Called by backfill once OKX's "nothing older" is confirmed (the cursor is at or before the
instrument's listTime, or /market/history-candles answered empty again and again). The recorded
start only ever moves earlier, and a claim later than a stored candle of the series is ignored:
that candle proves OKX had older history (market.candle_history_starts refuses such a row).$$;

create or replace function market.candle_history_start(inst_id text, bar text)
returns timestamptz
language sql
stable
set search_path = ''
as $$
  select s.first_ts from market.candle_history_starts as s
   where s.inst_id = candle_history_start.inst_id and s.bar = candle_history_start.bar
$$;
comment on function market.candle_history_start(text, text) is
$$The open time of the oldest candle OKX serves for inst_id and bar, or NULL when not known yet.$$;

create or replace function market.candle_gaps_to_fetch(inst_id text, bar text, from_ts timestamptz, to_ts timestamptz)
returns table (gap_from timestamptz, gap_to timestamptz, missing_count bigint)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_from timestamptz := greatest(from_ts, coalesce(market.candle_history_start(inst_id, bar), from_ts));
begin
  if v_from >= to_ts then
    return;
  end if;
  return query select g.gap_from, g.gap_to, g.missing_count
                 from market.gaps(inst_id, bar, v_from, to_ts) as g
                where g.missing_count > 0;
end;
$$;
comment on function market.candle_gaps_to_fetch(text, text, timestamptz, timestamptz) is
$$The gaps of [from_ts, to_ts) that OKX can fill: market.gaps after the known start of OKX's history.

What backfill and repair_gaps fetch. Ranges already stored are absent, so a retried or
restarted job continues where it stopped.$$;

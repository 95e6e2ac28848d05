-- sql/0332_market_stream_gap_fill.sql
-- market.queue_stream_gap_fill: after a stream (re)connects, queue the REST fill of what it missed.
-- Depends on market.queue_ingest_hole_fill (sql/0321), market.bar_start/bar_next (migrations/0003).

create or replace function market.queue_stream_gap_fill(inst_id text, bar text, connected_at timestamptz)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_current timestamptz;
  v_newest  timestamptz;
  v_forming boolean;
begin
  if not coalesce(market.is_inst_id(queue_stream_gap_fill.inst_id), false) then
    raise exception 'market.queue_stream_gap_fill: inst_id must look like BTC-USDT, got %',
      coalesce(queue_stream_gap_fill.inst_id, 'NULL') using errcode = 'invalid_parameter_value';
  end if;
  if market.bar_interval(queue_stream_gap_fill.bar) is null then
    raise exception 'market.queue_stream_gap_fill: bar must be one of market.bars(), got %',
      coalesce(queue_stream_gap_fill.bar, 'NULL') using errcode = 'invalid_parameter_value';
  end if;
  if queue_stream_gap_fill.connected_at is null then
    raise exception 'market.queue_stream_gap_fill: connected_at (when the subscription was answered) is required'
      using errcode = 'invalid_parameter_value';
  end if;
  -- The stream pushes the bar forming at connected_at and every later one: the gap ends there.
  v_current := market.bar_start(queue_stream_gap_fill.bar, queue_stream_gap_fill.connected_at);
  select c.ts, not c.confirmed into v_newest, v_forming
    from market.candles as c
   where c.inst_id = queue_stream_gap_fill.inst_id and c.bar = queue_stream_gap_fill.bar
   order by c.ts desc
   limit 1;
  if v_newest is null or v_newest >= v_current then
    return null;        -- nothing stored (the backfill brings it), or nothing missed
  end if;
  if v_forming and market.bar_next(queue_stream_gap_fill.bar, v_newest) = v_current then
    -- Only the previous bar's close was missed: it is stored forming and must be fetched closed.
    return market.queue_ingest_hole_fill(queue_stream_gap_fill.inst_id, queue_stream_gap_fill.bar,
                                         market.bar_next(queue_stream_gap_fill.bar, v_current));
  end if;
  return market.queue_ingest_hole_fill(queue_stream_gap_fill.inst_id, queue_stream_gap_fill.bar, v_current);
end;
$$;
comment on function market.queue_stream_gap_fill(text, text, timestamptz) is
$$Queue the REST fill of what a stream missed while disconnected; returns the repair_gaps job id or NULL.

The stream calls it for each series right after a (re)connect, with the time the subscription
was answered. The stream itself brings the bar forming then and every later bar, so the gap is
[bar after the newest stored candle, bar forming at connected_at), plus the newest stored candle
itself when it is still stored forming (its close was missed). The fill is
market.queue_ingest_hole_fill's repair_gaps job (unique per series, widened when one is waiting).
NULL when nothing was missed or nothing is stored yet.$$;

-- sql/0321_market_ingest_hole.sql
-- market.queue_ingest_hole_fill: an ingest whose window does not reach the newest stored candle queues the fill.
-- Depends on market.candles (migrations/0003), market.enqueue_hole_fill (sql/0174) and kind repair_gaps (sql/0314).

create or replace function market.queue_ingest_hole_fill(inst_id text, bar text, window_from timestamptz)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_newest timestamptz;
  v_forming boolean;
  v_from   timestamptz;
  v_key    text;
  v_job    queue.jobs;
begin
  if not coalesce(market.is_inst_id(queue_ingest_hole_fill.inst_id), false) then
    raise exception 'market.queue_ingest_hole_fill: inst_id must look like BTC-USDT, got %',
      coalesce(queue_ingest_hole_fill.inst_id, 'NULL') using errcode = 'invalid_parameter_value';
  end if;
  if market.bar_interval(queue_ingest_hole_fill.bar) is null then
    raise exception 'market.queue_ingest_hole_fill: bar must be one of market.bars(), got %',
      coalesce(queue_ingest_hole_fill.bar, 'NULL') using errcode = 'invalid_parameter_value';
  end if;
  if queue_ingest_hole_fill.window_from is null then
    raise exception 'market.queue_ingest_hole_fill: window_from (the oldest fetched candle) is required'
      using errcode = 'invalid_parameter_value';
  end if;

  -- The newest candle stored before this ingest writes its window (the caller asks first).
  select c.ts, not c.confirmed into v_newest, v_forming
    from market.candles as c
   where c.inst_id = queue_ingest_hole_fill.inst_id and c.bar = queue_ingest_hole_fill.bar
   order by c.ts desc
   limit 1;
  if v_newest is null then
    return null;                       -- nothing stored: the entry's backfill brings the history
  end if;
  if market.bar_next(queue_ingest_hole_fill.bar, v_newest) >= queue_ingest_hole_fill.window_from then
    return null;                       -- the window reaches the newest stored candle: no hole
  end if;
  -- A newest candle stored while still forming belongs to the hole: its bar closed long ago and no
  -- ingest will overwrite it. Otherwise the hole starts at the next bar.
  v_from := case when v_forming then v_newest else market.bar_next(queue_ingest_hole_fill.bar, v_newest) end;

  -- The entry's own backfill, still live and covering the hole (a new entry's first ingest), fills it.
  if exists (select 1 from queue.jobs as j
              where j.unique_key = 'backfill:' || queue_ingest_hole_fill.inst_id || ':' || queue_ingest_hole_fill.bar
                and j.status in ('queued', 'running')
                and (j.payload ->> 'from')::pg_catalog.timestamptz <= v_from
                and (j.payload ->> 'to')::pg_catalog.timestamptz >= queue_ingest_hole_fill.window_from) then
    return null;
  end if;

  v_key := 'ingest_hole:' || queue_ingest_hole_fill.inst_id || ':' || queue_ingest_hole_fill.bar;
  v_job := market.enqueue_hole_fill('repair_gaps',
             pg_catalog.jsonb_build_object('inst_id', queue_ingest_hole_fill.inst_id, 'bar', queue_ingest_hole_fill.bar),
             v_from, queue_ingest_hole_fill.window_from, v_key);
  if v_job.status <> 'queued' then
    return v_job.id;                   -- a fill of an earlier hole is running: the daily sweep does the rest
  end if;
  -- The queued fill (not yet claimable: this transaction holds it) fetches the forming candle
  -- again, closed, once it is missing; a confirmed row is never deleted.
  if v_forming then
    delete from market.candles as c
     where c.inst_id = queue_ingest_hole_fill.inst_id and c.bar = queue_ingest_hole_fill.bar
       and c.ts = v_newest and not c.confirmed;
  end if;
  return v_job.id;
end;
$$;
comment on function market.queue_ingest_hole_fill(text, text, timestamptz) is
$$Queue the fill of the hole between the newest stored candle and an ingest's window; returns its job id.

ingest calls it with the open time of the oldest candle it fetched (window_from), before writing
the window. /market/candles serves only the latest 1,440 bars, so after an outage longer than
that the window starts after the newest stored candle: the bars in [bar_next(newest stored),
window_from) would stay missing for ever. When the newest stored candle was still forming
(confirmed false) it is deleted and the hole starts at it, so it is fetched again closed instead
of keeping its half-formed values for ever. This queues a repair_gaps job for exactly that range
with unique_key 'ingest_hole:<inst_id>:<bar>' (one live fill per series). When such a job is
already queued for an earlier hole, its range is widened to cover both (repair_gaps fetches only
what is missing); a running one is left alone (the daily 'repair_gaps:<inst_id>:<bar>' sweep
catches the rest). NULL when nothing is stored yet, when the window reaches the newest candle, or
when the entry's live backfill ('backfill:<inst_id>:<bar>') covers the hole (a new entry's first
ingest, while its backfill is still running).
SECURITY DEFINER: workers queue the job without rights to update queue.jobs.$$;

-- sql/0176_market_mark_index_hole.sql
-- market.queue_mark_index_hole_fill: an ingest_mark_index whose window does not reach the newest stored candle queues the fill.
-- Depends on market.mark_index_candles (migrations/0022), market.enqueue_hole_fill (sql/0174) and kind
-- backfill_mark_index (sql/0341). The mark/index twin of market.queue_ingest_hole_fill (sql/0321).

create or replace function market.queue_mark_index_hole_fill(price_type text, inst_id text, bar text, window_from timestamptz)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_series  jsonb;
  v_newest  timestamptz;
  v_forming boolean;
  v_from    timestamptz;
  v_job     queue.jobs;
begin
  -- the payload rules of the fill kind itself: price_type, the instId that fits it, the bar (22023 naming the field)
  v_series := queue.payload_price_series(
    pg_catalog.jsonb_build_object('price_type', queue_mark_index_hole_fill.price_type,
                                  'inst_id', queue_mark_index_hole_fill.inst_id, 'bar', queue_mark_index_hole_fill.bar),
    'market.queue_mark_index_hole_fill');
  if queue_mark_index_hole_fill.window_from is null then
    raise exception 'market.queue_mark_index_hole_fill: window_from (the oldest fetched candle) is required'
      using errcode = 'invalid_parameter_value';
  end if;

  -- The newest candle stored before this ingest writes its window (the caller asks first).
  select c.ts, not c.confirmed into v_newest, v_forming
    from market.mark_index_candles as c
   where c.inst_id = queue_mark_index_hole_fill.inst_id and c.price_type = queue_mark_index_hole_fill.price_type
     and c.bar = queue_mark_index_hole_fill.bar
   order by c.ts desc
   limit 1;
  if v_newest is null
     or market.bar_next(queue_mark_index_hole_fill.bar, v_newest) >= queue_mark_index_hole_fill.window_from then
    return null;                       -- nothing stored (the entry's backfill brings it), or no hole
  end if;
  v_from := case when v_forming then v_newest else market.bar_next(queue_mark_index_hole_fill.bar, v_newest) end;

  -- The series' own backfill, still live and covering the hole, fills it.
  if exists (select 1 from queue.jobs as j
              where j.unique_key = pg_catalog.concat_ws(':', 'backfill_mark_index', queue_mark_index_hole_fill.price_type,
                                                        queue_mark_index_hole_fill.inst_id, queue_mark_index_hole_fill.bar)
                and j.status in ('queued', 'running')
                and (j.payload ->> 'from')::pg_catalog.timestamptz <= v_from
                and (j.payload ->> 'to')::pg_catalog.timestamptz >= queue_mark_index_hole_fill.window_from) then
    return null;
  end if;

  v_job := market.enqueue_hole_fill('backfill_mark_index', v_series, v_from, queue_mark_index_hole_fill.window_from,
             pg_catalog.concat_ws(':', 'mark_index_hole', queue_mark_index_hole_fill.price_type,
                                  queue_mark_index_hole_fill.inst_id, queue_mark_index_hole_fill.bar));
  if v_job.status <> 'queued' then
    return v_job.id;                   -- a fill of an earlier hole is running: the next ingest's hole or the sweep brings the rest
  end if;
  -- backfill_mark_index fetches only missing candles: the forming one is deleted so that it is
  -- fetched again, closed (a confirmed row is never deleted).
  if v_forming then
    delete from market.mark_index_candles as c
     where c.inst_id = queue_mark_index_hole_fill.inst_id and c.price_type = queue_mark_index_hole_fill.price_type
       and c.bar = queue_mark_index_hole_fill.bar and c.ts = v_newest and not c.confirmed;
  end if;
  return v_job.id;
end;
$$;
comment on function market.queue_mark_index_hole_fill(text, text, text, timestamptz) is
$$Queue the fill of the hole between the newest stored mark (or index) candle and an ingest_mark_index window; returns its job id.

ingest_mark_index calls it with the open time of the oldest candle it fetched (window_from),
before writing the window. The ingest reads at most 1,440 bars back, so after an outage longer
than that (a day at 1m) the bars in [bar_next(newest stored), window_from) would stay missing for
ever: the swap's backtests would then refuse the range or liquidate on stale marks. This queues a
backfill_mark_index job for exactly that range (it fetches only market.mark_index_gaps) with
unique_key 'mark_index_hole:<price_type>:<inst_id>:<bar>', one live fill per series, widened
while it waits (market.enqueue_hole_fill). A newest candle still stored forming belongs to the
hole and is deleted, to be fetched closed. NULL when nothing is stored yet, when the window
reaches the newest candle, or when the series' live backfill
('backfill_mark_index:<price_type>:<inst_id>:<bar>') covers the hole. Bad arguments: 22023
naming the field, by the rules of the backfill_mark_index payload.
SECURITY DEFINER: workers queue the job without rights to update queue.jobs.$$;

-- sql/0174_market_hole_fill_job.sql
-- market.enqueue_hole_fill: queue the fill of one series' hole, or widen the fill already waiting for it.
-- Depends on queue.enqueue (sql/0210) and queue.json_utc (sql/0200); called by sql/0176's mark/index
-- hole fill and sql/0321's trade-candle hole fill, so both follow one rule.

create or replace function market.enqueue_hole_fill(kind text, series jsonb, from_ts timestamptz, to_ts timestamptz,
                                                    unique_key text)
returns queue.jobs
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_job queue.jobs;
  v_lo  timestamptz;
  v_hi  timestamptz;
begin
  if enqueue_hole_fill.from_ts is null or enqueue_hole_fill.to_ts is null
     or enqueue_hole_fill.from_ts >= enqueue_hole_fill.to_ts then
    raise exception 'market.enqueue_hole_fill: from_ts must be before to_ts, got % and %',
      enqueue_hole_fill.from_ts, enqueue_hole_fill.to_ts using errcode = 'invalid_parameter_value';
  end if;
  v_job := queue.enqueue(enqueue_hole_fill.kind,
             enqueue_hole_fill.series || pg_catalog.jsonb_build_object(
               'from', queue.json_utc(enqueue_hole_fill.from_ts), 'to', queue.json_utc(enqueue_hole_fill.to_ts)),
             unique_key => enqueue_hole_fill.unique_key);
  if v_job.status <> 'queued' then
    return v_job;                      -- a fill of an earlier hole is running: the daily sweep does the rest
  end if;
  -- A fill of an earlier hole still waiting: widen it to cover both (fills fetch only what is missing).
  v_lo := (v_job.payload ->> 'from')::pg_catalog.timestamptz;
  v_hi := (v_job.payload ->> 'to')::pg_catalog.timestamptz;
  if v_lo > enqueue_hole_fill.from_ts or v_hi < enqueue_hole_fill.to_ts then
    update queue.jobs as j
       set payload = j.payload || pg_catalog.jsonb_build_object(
                       'from', queue.json_utc(least(v_lo, enqueue_hole_fill.from_ts)),
                       'to', queue.json_utc(greatest(v_hi, enqueue_hole_fill.to_ts)))
     where j.id = v_job.id and j.status = 'queued'
    returning j.* into v_job;
  end if;
  return v_job;
end;
$$;
comment on function market.enqueue_hole_fill(text, jsonb, timestamptz, timestamptz, text) is
$$Queue the job of kind that fetches the hole [from_ts, to_ts) of one series (series: the payload without from/to); returns the job.

One live fill per series (unique_key). When that fill is already queued for an earlier hole, its
range is widened to cover both (the fill kinds fetch only what is missing, so a wider range costs
nothing but the gap lookup); a running one is left alone (the series' next hole or the daily sweep
brings the rest). The rule of market.queue_ingest_hole_fill (trade candles, repair_gaps) and
market.queue_mark_index_hole_fill (mark/index candles, backfill_mark_index).
SECURITY DEFINER: workers queue and widen the job without rights to update queue.jobs.$$;

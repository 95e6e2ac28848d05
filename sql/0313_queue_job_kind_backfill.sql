-- sql/0313_queue_job_kind_backfill.sql
-- Job kind backfill: fetch the history of one instrument and bar in [from, to), skipping what is stored.
-- Depends on the helpers of sql/0200 and queue.job_kinds (migrations/0005_queue.sql).

create or replace function queue.validate_backfill(payload jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_from timestamptz;
  v_to   timestamptz;
begin
  perform queue.payload_reject_unknown(payload, 'backfill', array['inst_id', 'bar', 'from', 'to']);
  v_from := queue.payload_timestamptz(payload, 'backfill', 'from', true);
  v_to   := queue.payload_timestamptz(payload, 'backfill', 'to', false, pg_catalog.now());
  perform queue.payload_check_range('backfill', 'from', v_from, 'to', v_to);
  return pg_catalog.jsonb_build_object(
    'inst_id', queue.payload_inst_id(payload, 'backfill', 'inst_id', true),
    'bar',     queue.payload_bar(payload, 'backfill', 'bar', true),
    'from',    queue.json_utc(v_from),
    'to',      queue.json_utc(v_to));
end;
$$;
comment on function queue.validate_backfill(jsonb) is
$$Validator of kind backfill.

Payload: {"inst_id": "BTC-USDT" (required), "bar": one of queue.okx_bars() (required),
"from": date or ISO 8601 timestamp (required), "to": the same, default now()}; the range is
half-open [from, to) and from must be before to. Times are normalized to UTC strings.
Enqueue it with unique_key 'backfill:<inst_id>:<bar>' so the same series is never backfilled twice at once.
The result reports what the table holds of the range afterwards (market.range_coverage):
missing_after, gaps_after, missing_before_history_start, complete.$$;

insert into queue.job_kinds (kind, description, max_attempts, priority, timeout, lease, validator)
values ('backfill', $$Fetches the candles of one instrument and bar in [from, to) that are not stored yet (market.gaps), from /market/history-candles at 300 rows a page and /market/candles for the newest 1,440 bars; resumable: a retried job continues where it stopped; a page OKX answers malformed the same way every time fails it for good.$$,
        10, 100, interval '6 hours', interval '1 minute', 'queue.validate_backfill')
on conflict (kind) do update
   set description  = excluded.description,
       max_attempts = excluded.max_attempts,
       priority     = excluded.priority,
       timeout      = excluded.timeout,
       lease        = excluded.lease,
       validator    = excluded.validator;

-- sql/0312_queue_job_kind_ingest.sql
-- Job kind ingest: bring one instrument and bar up to now from GET /api/v5/market/candles.
-- Depends on the helpers of sql/0200 and queue.job_kinds (migrations/0005_queue.sql).

create or replace function queue.validate_ingest(payload jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  perform queue.payload_reject_unknown(payload, 'ingest', array['inst_id', 'bar']);
  return pg_catalog.jsonb_build_object(
    'inst_id', queue.payload_inst_id(payload, 'ingest', 'inst_id', true),
    'bar',     queue.payload_bar(payload, 'ingest', 'bar', true));
end;
$$;
comment on function queue.validate_ingest(jsonb) is
$$Validator of kind ingest.

Payload: {"inst_id": "BTC-USDT" (required), "bar": one of queue.okx_bars() (required)}.$$;

insert into queue.job_kinds (kind, description, max_attempts, priority, timeout, lease, validator)
values ('ingest', $$Fetches the newest candles of one instrument and bar from /market/candles, from the newest stored candle (at most 1,440 bars back) to now; the forming candle is stored unconfirmed and overwritten later.$$,
        3, 20, interval '5 minutes', interval '30 seconds', 'queue.validate_ingest')
on conflict (kind) do update
   set description  = excluded.description,
       max_attempts = excluded.max_attempts,
       priority     = excluded.priority,
       timeout      = excluded.timeout,
       lease        = excluded.lease,
       validator    = excluded.validator;

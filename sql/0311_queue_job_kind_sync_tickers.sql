-- sql/0311_queue_job_kind_sync_tickers.sql
-- Job kind sync_tickers: refresh market.tickers from GET /api/v5/market/tickers.
-- Depends on the helpers of sql/0200 and queue.job_kinds (migrations/0005_queue.sql).

create or replace function queue.validate_sync_tickers(payload jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  perform queue.payload_reject_unknown(payload, 'sync_tickers', array['inst_type']);
  return pg_catalog.jsonb_build_object('inst_type', queue.payload_inst_type(payload, 'sync_tickers'));
end;
$$;
comment on function queue.validate_sync_tickers(jsonb) is
$$Validator of kind sync_tickers.

Payload: {"inst_type": "SPOT" | "MARGIN" | "SWAP" | "FUTURES" | "OPTION", default "SPOT"}.$$;

insert into queue.job_kinds (kind, description, max_attempts, priority, timeout, lease, validator)
values ('sync_tickers', $$Fetches OKX's 24h tickers of one instrument type and upserts market.tickers (market.upsert_tickers).$$,
        5, 50, interval '5 minutes', interval '30 seconds', 'queue.validate_sync_tickers')
on conflict (kind) do update
   set description  = excluded.description,
       max_attempts = excluded.max_attempts,
       priority     = excluded.priority,
       timeout      = excluded.timeout,
       lease        = excluded.lease,
       validator    = excluded.validator;

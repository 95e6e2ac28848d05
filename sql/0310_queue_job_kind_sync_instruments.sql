-- sql/0310_queue_job_kind_sync_instruments.sql
-- Job kind sync_instruments: refresh market.instruments from GET /api/v5/public/instruments.
-- Depends on the helpers of sql/0200 and queue.job_kinds (migrations/0005_queue.sql).

create or replace function queue.validate_sync_instruments(payload jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  perform queue.payload_reject_unknown(payload, 'sync_instruments', array['inst_type']);
  return pg_catalog.jsonb_build_object('inst_type', queue.payload_inst_type(payload, 'sync_instruments'));
end;
$$;
comment on function queue.validate_sync_instruments(jsonb) is
$$Validator of kind sync_instruments.

Payload: {"inst_type": "SPOT" | "MARGIN" | "SWAP" | "FUTURES" | "OPTION", default "SPOT"}.$$;

insert into queue.job_kinds (kind, description, max_attempts, priority, timeout, lease, validator)
values ('sync_instruments', $$Fetches OKX's instruments of one type and upserts market.instruments (market.upsert_instruments), marking vanished ones delisted.$$,
        5, 50, interval '5 minutes', interval '30 seconds', 'queue.validate_sync_instruments')
on conflict (kind) do update
   set description  = excluded.description,
       max_attempts = excluded.max_attempts,
       priority     = excluded.priority,
       timeout      = excluded.timeout,
       lease        = excluded.lease,
       validator    = excluded.validator;

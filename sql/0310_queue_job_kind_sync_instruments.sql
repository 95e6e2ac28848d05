-- sql/0310_queue_job_kind_sync_instruments.sql
-- Job kind sync_instruments: refresh market.instruments from GET /api/v5/public/instruments.
-- Depends on the helpers of sql/0200 and queue.job_kinds (migrations/0005_queue.sql).

create or replace function queue.validate_sync_instruments(payload jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_type   text;
  v_family text;
begin
  perform queue.payload_reject_unknown(payload, 'sync_instruments', array['inst_type', 'inst_family']);
  v_type := queue.payload_inst_type(payload, 'sync_instruments');
  v_family := queue.payload_text(payload, 'sync_instruments', 'inst_family');
  if v_family is null and v_type = 'OPTION' then
    raise exception 'sync_instruments payload: "inst_family" is required for inst_type OPTION (OKX requires instFamily for options), e.g. "BTC-USD"'
      using errcode = 'invalid_parameter_value',
            hint = 'One job per option family: {"inst_type": "OPTION", "inst_family": "BTC-USD"}.';
  end if;
  if v_family is not null and v_type not in ('SWAP', 'FUTURES', 'OPTION') then
    raise exception 'sync_instruments payload: "inst_family" applies to SWAP, FUTURES and OPTION only, got it for %', v_type
      using errcode = 'invalid_parameter_value';
  end if;
  if v_family is not null and v_family !~ '^[A-Z0-9]+-[A-Z0-9]+$' then
    raise exception 'sync_instruments payload: "inst_family" must look like BTC-USD (two upper-case parts), got %',
      pg_catalog.to_jsonb(v_family) using errcode = 'invalid_parameter_value';
  end if;
  if v_family is null then
    return pg_catalog.jsonb_build_object('inst_type', v_type);
  end if;
  return pg_catalog.jsonb_build_object('inst_type', v_type, 'inst_family', v_family);
end;
$$;
comment on function queue.validate_sync_instruments(jsonb) is
$$Validator of kind sync_instruments.

Payload: {"inst_type": "SPOT" | "MARGIN" | "SWAP" | "FUTURES" | "OPTION", default "SPOT",
"inst_family": "BTC-USD" (required for OPTION, which OKX serves per instFamily; optional for SWAP
and FUTURES; refused for SPOT and MARGIN)}. With inst_family, only that family's instruments are
fetched and only they can be marked delisted.$$;

insert into queue.job_kinds (kind, description, max_attempts, priority, timeout, lease, validator)
values ('sync_instruments', $$Fetches OKX's instruments of one type (and instFamily, required for OPTION) and upserts market.instruments (market.upsert_instruments), marking vanished ones delisted and disabling their watchlist entries.$$,
        5, 50, interval '5 minutes', interval '30 seconds', 'queue.validate_sync_instruments')
on conflict (kind) do update
   set description  = excluded.description,
       max_attempts = excluded.max_attempts,
       priority     = excluded.priority,
       timeout      = excluded.timeout,
       lease        = excluded.lease,
       validator    = excluded.validator;

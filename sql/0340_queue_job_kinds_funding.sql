-- sql/0340_queue_job_kinds_funding.sql
-- Job kinds backfill_funding and ingest_funding: a perpetual swap's funding rates from OKX.
-- Depends on the helpers of sql/0200, queue.job_kinds (migrations/0005) and market.inst_type_of (sql/0320).

create or replace function queue.payload_swap_id(payload jsonb, kind text, field text default 'inst_id')
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_id text := queue.payload_inst_id(payload, kind, field, true);
begin
  if market.inst_type_of(v_id) <> 'SWAP' then
    raise exception '% payload: "%" must be a perpetual swap such as BTC-USDT-SWAP (OKX serves funding and mark prices for swaps), got %',
      kind, field, pg_catalog.to_jsonb(v_id)
      using errcode = 'invalid_parameter_value', hint = 'A perpetual swap''s instId ends in -SWAP.';
  end if;
  return v_id;
end;
$$;
comment on function queue.payload_swap_id(jsonb, text, text) is
$$Read the instId of a perpetual swap (BTC-USDT-SWAP): market.is_inst_id and market.inst_type_of = SWAP, else 22023.$$;

create or replace function queue.validate_backfill_funding(payload jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_from timestamptz;
  v_to   timestamptz;
begin
  perform queue.payload_reject_unknown(payload, 'backfill_funding', array['inst_id', 'from', 'to']);
  v_from := queue.payload_timestamptz(payload, 'backfill_funding', 'from', true);
  v_to   := queue.payload_timestamptz(payload, 'backfill_funding', 'to', false, pg_catalog.now());
  perform queue.payload_check_range('backfill_funding', 'from', v_from, 'to', v_to);
  return pg_catalog.jsonb_build_object(
    'inst_id', queue.payload_swap_id(payload, 'backfill_funding'),
    'from',    queue.json_utc(v_from),
    'to',      queue.json_utc(v_to));
end;
$$;
comment on function queue.validate_backfill_funding(jsonb) is
$$Validator of kind backfill_funding.

Payload: {"inst_id": a perpetual swap such as "BTC-USDT-SWAP" (required), "from": date or ISO 8601
timestamp (required), "to": the same, default now()}; from before to; times normalized to UTC.
Enqueue it with unique_key 'backfill_funding:<inst_id>'.$$;

create or replace function queue.validate_ingest_funding(payload jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  perform queue.payload_reject_unknown(payload, 'ingest_funding', array['inst_id']);
  return pg_catalog.jsonb_build_object('inst_id', queue.payload_swap_id(payload, 'ingest_funding'));
end;
$$;
comment on function queue.validate_ingest_funding(jsonb) is
$$Validator of kind ingest_funding.

Payload: {"inst_id": a perpetual swap such as "BTC-USDT-SWAP" (required)}.$$;

insert into queue.job_kinds (kind, description, max_attempts, priority, timeout, lease, validator)
values ('backfill_funding', $$Fetches the funding rates of one perpetual swap in [from, to) from /public/funding-rate-history (400 rows a page, newest first), as far back as OKX serves them (about three months); older than the oldest stored rate only, so a retried job continues where it stopped.$$,
        10, 100, interval '1 hour', interval '1 minute', 'queue.validate_backfill_funding'),
       ('ingest_funding', $$Fetches the funding rates of one perpetual swap settled since the newest stored one (/public/funding-rate-history) and the current period's rate (/public/funding-rate), stored at its fundingTime and overwritten once settled.$$,
        3, 20, interval '5 minutes', interval '30 seconds', 'queue.validate_ingest_funding')
on conflict (kind) do update
   set description  = excluded.description,
       max_attempts = excluded.max_attempts,
       priority     = excluded.priority,
       timeout      = excluded.timeout,
       lease        = excluded.lease,
       validator    = excluded.validator;

-- sql/0314_queue_job_kind_repair_gaps.sql
-- Job kind repair_gaps: fetch only the missing candles (market.gaps) of one watchlist entry.
-- Depends on the helpers of sql/0200 and queue.job_kinds (migrations/0005_queue.sql).

create or replace function queue.validate_repair_gaps(payload jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_from timestamptz;
  v_to   timestamptz;
  v_out  jsonb;
begin
  perform queue.payload_reject_unknown(payload, 'repair_gaps', array['inst_id', 'bar', 'from', 'to']);
  v_from := queue.payload_timestamptz(payload, 'repair_gaps', 'from', false);
  v_to   := queue.payload_timestamptz(payload, 'repair_gaps', 'to', false);
  perform queue.payload_check_range('repair_gaps', 'from', v_from, 'to', v_to);
  v_out := pg_catalog.jsonb_build_object(
    'inst_id', queue.payload_inst_id(payload, 'repair_gaps', 'inst_id', true),
    'bar',     queue.payload_bar(payload, 'repair_gaps', 'bar', true));
  if v_from is not null then
    v_out := v_out || pg_catalog.jsonb_build_object('from', queue.json_utc(v_from));
  end if;
  if v_to is not null then
    v_out := v_out || pg_catalog.jsonb_build_object('to', queue.json_utc(v_to));
  end if;
  return v_out;
end;
$$;
comment on function queue.validate_repair_gaps(jsonb) is
$$Validator of kind repair_gaps.

Payload: {"inst_id" (required), "bar" (required), "from" (optional; default: the watchlist
entry's history_from, else the oldest stored candle), "to" (optional; default: now)}.$$;

insert into queue.job_kinds (kind, description, max_attempts, priority, timeout, lease, validator)
values ('repair_gaps', $$Fetches only the missing candles (market.gaps) of one instrument and bar between from (default: the watchlist's history_from or the oldest stored candle) and to (default now).$$,
        5, 100, interval '2 hours', interval '1 minute', 'queue.validate_repair_gaps')
on conflict (kind) do update
   set description  = excluded.description,
       max_attempts = excluded.max_attempts,
       priority     = excluded.priority,
       timeout      = excluded.timeout,
       lease        = excluded.lease,
       validator    = excluded.validator;

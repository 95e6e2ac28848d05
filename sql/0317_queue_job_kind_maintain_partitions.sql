-- sql/0317_queue_job_kind_maintain_partitions.sql
-- Job kind maintain_partitions (market.maintain_candle_partitions) and its daily schedule.
-- Depends on the helpers of sql/0200, queue.job_kinds and queue.schedules (migrations/0005_queue.sql), sql/0160.

create or replace function queue.validate_maintain_partitions(payload jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  perform queue.payload_reject_unknown(payload, 'maintain_partitions', array['months_ahead']);
  return pg_catalog.jsonb_build_object(
    'months_ahead', queue.payload_int(payload, 'maintain_partitions', 'months_ahead', false, 2, 24, 3));
end;
$$;
comment on function queue.validate_maintain_partitions(jsonb) is
$$Validator of kind maintain_partitions.

Payload: {"months_ahead" (optional, an integer from 2 to 24, default 3)}.$$;

insert into queue.job_kinds (kind, description, max_attempts, priority, timeout, lease, validator)
values ('maintain_partitions',
        $$Makes the monthly partitions of market.candles and market.mark_index_candles ahead of time (market.maintain_candle_partitions), so no ingest needs DDL at a month boundary.$$,
        5, 50, interval '10 minutes', interval '1 minute', 'queue.validate_maintain_partitions')
on conflict (kind) do update
   set description  = excluded.description,
       max_attempts = excluded.max_attempts,
       priority     = excluded.priority,
       timeout      = excluded.timeout,
       lease        = excluded.lease,
       validator    = excluded.validator;

-- Scheduled by itself, from the first migrate on, with or without a watchlist. Daily with three
-- months ahead: a month's partition exists about two months before its first candle, so even
-- weeks without a worker leave the boundary covered. The months are made here too, so the first
-- run is due a day from now (workers started right after a migrate have nothing to do yet). An
-- operator's own changes (every, enabled, payload) are kept: only a missing row is added.
select market.maintain_candle_partitions(3);
insert into queue.schedules (name, kind, payload, every, next_run_at)
values ('maintain_partitions', 'maintain_partitions', '{"months_ahead": 3}'::pg_catalog.jsonb, interval '1 day',
        pg_catalog.now() + interval '1 day')
on conflict (name) do nothing;

-- sql/0205_queue_job_kind_noop.sql
-- Job kind noop: does nothing (optionally sleeps or fails); for benchmarks and failure tests.
-- Depends on the helpers of sql/0200 and queue.job_kinds (migrations/0005_queue.sql).

create or replace function queue.validate_noop(payload jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_out jsonb;
begin
  -- Fast path for the benchmark's {} and {"sleep_ms": n}: still goes through every rule.
  perform queue.payload_reject_unknown(payload, 'noop', array['sleep_ms', 'fail', 'fail_attempts', 'record_effect']);
  v_out := pg_catalog.jsonb_build_object(
    'sleep_ms', queue.payload_int(payload, 'noop', 'sleep_ms', false, 0, 3600000, 0),
    'fail',     queue.payload_bool(payload, 'noop', 'fail', false, false),
    'record_effect', queue.payload_bool(payload, 'noop', 'record_effect', false, false));
  if payload ? 'fail_attempts' then
    v_out := v_out || pg_catalog.jsonb_build_object(
      'fail_attempts', queue.payload_int(payload, 'noop', 'fail_attempts', true, 0, 1000));
  end if;
  return v_out;
end;
$$;
comment on function queue.validate_noop(jsonb) is
$$Validator of kind noop.

Payload: {"sleep_ms": integer 0..3600000, default 0, "fail": boolean, default false,
"fail_attempts": integer 0..1000, optional: fail only on the first N attempts,
"record_effect": boolean, default false: insert a row into queue.noop_effects in the
transaction that completes the job}.$$;

insert into queue.job_kinds (kind, description, max_attempts, priority, timeout, lease, validator)
values ('noop', $$Does nothing: sleeps sleep_ms, then succeeds, or fails when fail is true (or on the first fail_attempts attempts). For benchmarks and failure tests.$$,
        3, 100, interval '2 hours', interval '30 seconds', 'queue.validate_noop')
on conflict (kind) do update
   set description  = excluded.description,
       max_attempts = excluded.max_attempts,
       priority     = excluded.priority,
       timeout      = excluded.timeout,
       lease        = excluded.lease,
       validator    = excluded.validator;

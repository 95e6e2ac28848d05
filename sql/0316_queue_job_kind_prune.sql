-- sql/0316_queue_job_kind_prune.sql
-- Job kind prune: delete what queue.retention no longer keeps, in batches; and its hourly schedule 'prune'.
-- Depends on the helpers of sql/0200, queue.job_kinds and queue.schedules (migrations/0005_queue.sql), queue.prune_batch (sql/0275).

create or replace function queue.validate_prune(payload jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  perform queue.payload_reject_unknown(payload, 'prune', array['batch_size']);
  return pg_catalog.jsonb_build_object(
    'batch_size', queue.payload_int(payload, 'prune', 'batch_size', false, 1, 100000, 1000));
end;
$$;
comment on function queue.validate_prune(jsonb) is
$$Validator of kind prune.

Payload: {"batch_size": integer 1..100000, default 1000: rows of each kind deleted per transaction}.$$;

insert into queue.job_kinds (kind, description, max_attempts, priority, timeout, lease, validator)
values ('prune', $$Deletes finished jobs, job events and queue.workers rows past their retention (queue.retention) with queue.prune_batch, one transaction per batch.$$,
        3, 300, interval '1 hour', interval '1 minute', 'queue.validate_prune')
on conflict (kind) do update
   set description  = excluded.description,
       max_attempts = excluded.max_attempts,
       priority     = excluded.priority,
       timeout      = excluded.timeout,
       lease        = excluded.lease,
       validator    = excluded.validator;

-- Hourly, so each run deletes about an hour's worth. The first run is a day after this row is made:
-- with the shortest retention shipped (7 days) a fresh install has nothing to prune before then, and
-- jobs counted by tests and first runs are not mixed with a prune job. An operator's changes to the
-- row (every, next_run_at, enabled, payload) are kept when this file is applied again; a deleted row
-- comes back then (disable it instead).
insert into queue.schedules (name, kind, payload, every, next_run_at)
values ('prune', 'prune', '{}'::pg_catalog.jsonb, interval '1 hour', pg_catalog.now() operator(pg_catalog.+) interval '1 day')
on conflict (name) do nothing;

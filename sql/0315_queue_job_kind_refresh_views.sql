-- sql/0315_queue_job_kind_refresh_views.sql
-- Job kind refresh_views: bring the refreshed views of the bi schema up to date (market.refresh_views()).
-- Depends on the helpers of sql/0200 and queue.job_kinds (migrations/0005_queue.sql).

create or replace function queue.validate_refresh_views(payload jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  perform queue.payload_reject_unknown(payload, 'refresh_views', array[]::pg_catalog.text[]);
  return '{}'::pg_catalog.jsonb;
end;
$$;
comment on function queue.validate_refresh_views(jsonb) is
$$Validator of kind refresh_views.

Payload: {} (no fields).$$;

insert into queue.job_kinds (kind, description, max_attempts, priority, timeout, lease, validator)
values ('refresh_views', $$Brings the refreshed bi views up to date with market.refresh_views(): bi.daily_candles and bi.data_coverage incrementally (only the days that changed), bi.top_coins concurrently.$$,
        3, 200, interval '30 minutes', interval '1 minute', 'queue.validate_refresh_views')
on conflict (kind) do update
   set description  = excluded.description,
       max_attempts = excluded.max_attempts,
       priority     = excluded.priority,
       timeout      = excluded.timeout,
       lease        = excluded.lease,
       validator    = excluded.validator;

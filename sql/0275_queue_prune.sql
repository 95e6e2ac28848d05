-- sql/0275_queue_prune.sql
-- queue.prune: delete finished jobs and old events past the retention.
-- Depends on queue.jobs, queue.job_events (migrations/0005_queue.sql).

create or replace function queue.prune(older_than interval default '7 days')
returns table (jobs_deleted bigint, events_deleted bigint)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_cutoff timestamptz;
  v_ids    bigint[];
begin
  if prune.older_than is null or prune.older_than < interval '0' then
    raise exception 'queue.prune: older_than must be a non-negative interval, got %', pg_catalog.quote_nullable(prune.older_than)
      using errcode = 'invalid_parameter_value';
  end if;
  v_cutoff := pg_catalog.now() - prune.older_than;

  -- Finished long enough ago, and no live child (deleting a parent cascades to its children).
  select pg_catalog.array_agg(j.id) into v_ids
    from queue.jobs as j
   where j.status in ('succeeded', 'failed', 'cancelled')
     and j.finished_at < v_cutoff
     and not exists (select 1 from queue.jobs as c
                      where c.parent_id = j.id and c.status in ('queued', 'running'));

  delete from queue.job_events as e
   where e.at < v_cutoff or e.job_id = any (coalesce(v_ids, '{}'));
  get diagnostics events_deleted = row_count;

  delete from queue.jobs as j where j.id = any (coalesce(v_ids, '{}'));
  get diagnostics jobs_deleted = row_count;
  return next;
end;
$$;
comment on function queue.prune(interval) is
$$Delete jobs finished more than older_than ago, and events older than that.

Returns how many jobs and events were deleted. A finished parent with a queued or running child is
kept. The only way rows leave queue.job_events.$$;

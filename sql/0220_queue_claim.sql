-- sql/0220_queue_claim.sql
-- queue.claim: a worker takes up to max_jobs claimable jobs with a lease (FOR UPDATE SKIP LOCKED).
-- Depends on queue.jobs and its index jobs_claimable (migrations/0005_queue.sql).

create or replace function queue.claim(worker_id text, kinds text[], max_jobs integer, lease interval)
returns setof queue.jobs
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  if claim.worker_id is null or claim.worker_id = '' then
    raise exception 'queue.claim: worker_id must be a non-empty text, got %', pg_catalog.quote_nullable(claim.worker_id)
      using errcode = 'invalid_parameter_value';
  end if;
  if claim.max_jobs is null or claim.max_jobs not between 1 and 10000 then
    raise exception 'queue.claim: max_jobs must be from 1 to 10000, got %', pg_catalog.quote_nullable(claim.max_jobs)
      using errcode = 'invalid_parameter_value';
  end if;
  if claim.lease is null or claim.lease <= interval '0' then
    raise exception 'queue.claim: lease must be a positive interval, got %', pg_catalog.quote_nullable(claim.lease)
      using errcode = 'invalid_parameter_value';
  end if;

  return query
  with picked as materialized (
    select j.id
      from queue.jobs as j
     where j.status = 'queued'
       and j.run_at <= pg_catalog.now()
       and (claim.kinds is null or j.kind = any (claim.kinds))
     order by j.priority, j.run_at, j.id
     limit claim.max_jobs
       for update skip locked
  )
  update queue.jobs as j
     set status      = 'running',
         attempts    = j.attempts + 1,
         locked_by   = claim.worker_id,
         lease_until = pg_catalog.now() + claim.lease,
         started_at  = pg_catalog.now(),
         updated_at  = pg_catalog.now()
    from picked
   where j.id = picked.id
  returning j.*;
end;
$$;
comment on function queue.claim(text, text[], integer, interval) is
$$Take up to max_jobs claimable jobs for worker_id, leased until now() + lease.

Claimable: queued, run_at <= now(), kind in kinds (null = any kind), in order of priority,
run_at, id; rows locked by another claim are skipped, so workers never wait on each other.
Counts the attempt and sets started_at to now() (the start of this attempt).
No event row is written: the claim is recorded by started_at and locked_by (see queue.job_events).$$;

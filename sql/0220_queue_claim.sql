-- sql/0220_queue_claim.sql
-- queue.claim: a worker takes up to max_jobs claimable jobs with a lease (FOR UPDATE SKIP LOCKED).
-- Depends on queue.jobs and its indexes jobs_claimable (migrations/0005_queue.sql) and
-- jobs_claimable_by_kind (migrations/0013_queue_claim_by_kind.sql).

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

  if claim.kinds is null then
    -- Any kind: the head of jobs_claimable (priority, run_at, id).
    return query
    with picked as materialized (
      select j.id
        from queue.jobs as j
       where j.status = 'queued'
         and j.run_at <= pg_catalog.now()
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
    return;
  end if;

  -- Some kinds: jobs_claimable_by_kind (kind, priority, run_at, id), read per kind, so the queued
  -- jobs of other kinds are never visited. First, without locks, the best max_jobs of each kind and
  -- of those the best max_jobs overall: how many each kind gets (exactly the old claim's choice).
  -- Then each kind locks that many of its own head (SKIP LOCKED walks past rows another claim holds),
  -- so no row is locked that is not claimed.
  return query
  with wanted as materialized (
    select best.kind, pg_catalog.count(*) as n
      from (select h.kind
              from (select distinct u.kind from pg_catalog.unnest(claim.kinds) as u(kind)) as k
             cross join lateral (
                   select j.kind, j.priority, j.run_at, j.id
                     from queue.jobs as j
                    where j.status = 'queued'
                      and j.kind = k.kind
                      and j.run_at <= pg_catalog.now()
                    order by j.priority, j.run_at, j.id
                    limit claim.max_jobs) as h
             order by h.priority, h.run_at, h.id
             limit claim.max_jobs) as best
     group by best.kind
  ),
  picked as materialized (
    select p.id
      from wanted as w
     cross join lateral (
           select j.id
             from queue.jobs as j
            where j.status = 'queued'
              and j.kind = w.kind
              and j.run_at <= pg_catalog.now()
            order by j.priority, j.run_at, j.id
            limit w.n
              for update skip locked) as p
  )
  -- By primary key: "limit w.n" leaves the planner no row estimate, and a join with picked would
  -- be hashed over a sequential scan of queue.jobs.
  update queue.jobs as j
     set status      = 'running',
         attempts    = j.attempts + 1,
         locked_by   = claim.worker_id,
         lease_until = pg_catalog.now() + claim.lease,
         started_at  = pg_catalog.now(),
         updated_at  = pg_catalog.now()
   where j.id = any (array(select picked.id from picked))
  returning j.*;
end;
$$;
comment on function queue.claim(text, text[], integer, interval) is
$$Take up to max_jobs claimable jobs for worker_id, leased until now() + lease.

Claimable: queued, run_at <= now(), kind in kinds (null = any kind), in order of priority,
run_at, id; rows locked by another claim are skipped, so workers never wait on each other.
With kinds, each kind's head is read from jobs_claimable_by_kind: the cost does not grow with the
queued jobs of other kinds (bench/claim-backlog.sh).
Counts the attempt and sets started_at to now() (the start of this attempt).
No event row is written: the claim is recorded by started_at and locked_by (see queue.job_events).$$;

-- sql/0270_queue_enqueue_due.sql
-- queue.enqueue_due: enqueue the jobs of due schedules, at most once per period across all workers;
-- a schedule whose job is refused records the error and backs off alone.
-- Depends on queue.schedules (migrations/0005_queue.sql, 0010), queue.enqueue (sql/0210),
-- queue.schedule_retry_delay (sql/0271).

create or replace function queue.enqueue_due()
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_schedule queue.schedules;
  v_job      queue.jobs;
  v_count    integer := 0;
  v_error    text;
begin
  -- SKIP LOCKED: a schedule another worker is handling right now is theirs for this period.
  for v_schedule in
    select * from queue.schedules as s
     where s.enabled and s.next_run_at <= pg_catalog.now()
       and (s.retry_at is null or s.retry_at <= pg_catalog.now())
     order by coalesce(s.retry_at, s.next_run_at), s.name
       for update skip locked
  loop
    begin
      -- A subtransaction per schedule: a refused job (kind disabled, payload the validator now
      -- refuses) rolls back this schedule's enqueue only, and the loop goes on to the next one.
      v_job := queue.enqueue(v_schedule.kind, v_schedule.payload, unique_key => 'schedule:' || v_schedule.name);
    exception when others then
      v_error := pg_catalog.format('%s (SQLSTATE %s)', sqlerrm, sqlstate);
      update queue.schedules as s
         set failures       = s.failures + 1,
             last_error     = v_error,
             last_failed_at = pg_catalog.now(),
             failing_since  = coalesce(s.failing_since, pg_catalog.now()),
             retry_at       = pg_catalog.now() + queue.schedule_retry_delay(s.failures + 1)
       where s.name = v_schedule.name;
      continue;
    end;
    update queue.schedules as s
       set next_run_at   = s.next_run_at + s.every * (pg_catalog.floor(
                             extract(epoch from pg_catalog.now() - s.next_run_at) / extract(epoch from s.every)) + 1),
           last_job_id   = v_job.id,
           failures      = 0,
           failing_since = null,
           retry_at      = null
     where s.name = v_schedule.name;
    v_count := v_count + 1;
  end loop;
  return v_count;
end;
$$;
comment on function queue.enqueue_due() is
$$Enqueue the job of every enabled schedule whose next_run_at (and retry_at, if set) has come; returns how many schedules fired.

Moves next_run_at to the first period boundary after now() (missed periods are skipped, not
caught up). The unique_key 'schedule:<name>' keeps a still-live job from being doubled: the
live job is kept and recorded as last_job_id. Safe to call from every worker at once.

Each schedule fires or fails on its own: when its job is refused (a disabled kind, a payload or an
instrument the validator refuses), the error is caught, recorded on the schedule (failures + 1,
last_error, last_failed_at, failing_since), next_run_at is kept and retry_at is set to
now() + queue.schedule_retry_delay(failures); the other schedules fire as usual. The first success
sets failures back to 0 and clears failing_since and retry_at.$$;

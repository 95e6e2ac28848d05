-- sql/0270_queue_enqueue_due.sql
-- queue.enqueue_due: enqueue the jobs of due schedules, at most once per period across all workers.
-- Depends on queue.schedules (migrations/0005_queue.sql), queue.enqueue (sql/0210).

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
begin
  -- SKIP LOCKED: a schedule another worker is handling right now is theirs for this period.
  for v_schedule in
    select * from queue.schedules as s
     where s.enabled and s.next_run_at <= pg_catalog.now()
     order by s.next_run_at
       for update skip locked
  loop
    v_job := queue.enqueue(v_schedule.kind, v_schedule.payload, unique_key => 'schedule:' || v_schedule.name);
    update queue.schedules as s
       set next_run_at = s.next_run_at + s.every * (pg_catalog.floor(
                           extract(epoch from pg_catalog.now() - s.next_run_at) / extract(epoch from s.every)) + 1),
           last_job_id = v_job.id
     where s.name = v_schedule.name;
    v_count := v_count + 1;
  end loop;
  return v_count;
end;
$$;
comment on function queue.enqueue_due() is
$$Enqueue the job of every enabled schedule whose next_run_at has come; returns how many schedules fired.

Moves next_run_at to the first period boundary after now() (missed periods are skipped, not
caught up). The unique_key 'schedule:<name>' keeps a still-live job from being doubled: the
live job is kept and recorded as last_job_id. Safe to call from every worker at once.$$;

-- sql/0280_queue_workers.sql
-- queue.register_worker, queue.worker_seen, queue.unregister_worker: the worker registry.
-- Depends on queue.workers (migrations/0005_queue.sql).

create or replace function queue.register_worker(worker_id text, host text, pid integer, kinds text[])
returns void
language sql
volatile
security definer
set search_path = ''
as $$
  insert into queue.workers as w (id, host, pid, kinds, started_at, last_seen, stopped_at)
  values (register_worker.worker_id, register_worker.host, register_worker.pid, register_worker.kinds,
          pg_catalog.now(), pg_catalog.now(), null)
  on conflict (id) do update
     set host = excluded.host, pid = excluded.pid, kinds = excluded.kinds,
         started_at = excluded.started_at, last_seen = excluded.last_seen, stopped_at = null
$$;
comment on function queue.register_worker(text, text, integer, text[]) is
$$Record a worker process at start (again after a restart with the same id).$$;

create or replace function queue.worker_seen(worker_id text)
returns void
language sql
volatile
security definer
set search_path = ''
as $$
  update queue.workers as w set last_seen = pg_catalog.now() where w.id = worker_seen.worker_id
$$;
comment on function queue.worker_seen(text) is
$$Mark a worker alive (queue.heartbeat does it too); an unknown id is ignored.$$;

create or replace function queue.unregister_worker(worker_id text)
returns void
language sql
volatile
security definer
set search_path = ''
as $$
  update queue.workers as w
     set stopped_at = pg_catalog.now(), last_seen = pg_catalog.now()
   where w.id = unregister_worker.worker_id
$$;
comment on function queue.unregister_worker(text) is
$$Mark a worker stopped after a clean shutdown (sets stopped_at).$$;

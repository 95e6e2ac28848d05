-- sql/0279_queue_prune_grants.sql
-- Who may prune and change retention: grants on queue.retention (migrations/0012) and queue.prune*(sql/0275).
-- Kept beside the prune functions (sql/0290 holds the rest of the queue's grants); re-applied when it changes.

grant select on queue.retention to candlestack_worker, candlestack_operator;
-- Operators tune how long things are kept; the CHECKs of queue.retention refuse a keep under an hour.
grant update (keep) on queue.retention to candlestack_operator;

-- The prune job (kind prune, sql/0316) runs as a worker; psql and cron jobs may call queue.prune.
grant execute on function
  queue.prune_batch(integer, bigint, interval),
  queue.prune(interval)
  to candlestack_worker;

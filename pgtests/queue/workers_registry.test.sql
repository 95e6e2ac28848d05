-- pgtests/queue/workers_registry.test.sql
-- queue.register_worker, worker_seen and unregister_worker maintain queue.workers.
begin;
select plan(5);

-- SETUP
delete from queue.workers;
select queue.register_worker('wr1', 'host-a', 42, array['noop']);

-- TEST
select is((select row(host, pid, kinds, started_at, last_seen, stopped_at)::text from queue.workers where id = 'wr1'),
          row('host-a', 42, array['noop'], now(), now(), null::timestamptz)::text, 'registered');
update queue.workers set last_seen = now() - interval '1 hour';
select queue.worker_seen('wr1');
select is((select last_seen from queue.workers where id = 'wr1'), now(), 'worker_seen updates last_seen');
select queue.unregister_worker('wr1');
select is((select stopped_at from queue.workers where id = 'wr1'), now(), 'unregister_worker sets stopped_at');
select queue.register_worker('wr1', 'host-b', 43, null);
select is((select row(host, pid, stopped_at)::text from queue.workers where id = 'wr1'),
          row('host-b', 43, null::timestamptz)::text, 'registering again revives the row');
select lives_ok($$ select queue.worker_seen('unknown') $$, 'an unknown worker is ignored');

select * from finish();
rollback;

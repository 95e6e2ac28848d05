-- pgtests/ingest/watchlist_daily_repair_sweep.test.sql
-- Every watchlist entry has a daily repair_gaps sweep, made, disabled and removed with the entry.
begin;
select plan(6);

-- SETUP
delete from queue.schedules;
delete from queue.jobs;
insert into market.watchlist (inst_id, bar, history_from) values ('BTC-USDT', '5m', '2024-01-01');

-- TEST
select results_eq($$ select kind, payload, every, enabled from queue.schedules where name = 'repair_gaps:BTC-USDT:5m' $$,
                  $$ values ('repair_gaps'::text, '{"inst_id":"BTC-USDT","bar":"5m"}'::jsonb, interval '1 day', true) $$,
                  'a daily repair_gaps sweep of the whole series');
select ok((select next_run_at >= now() + interval '1 day' from queue.schedules where name = 'repair_gaps:BTC-USDT:5m'),
          'its first run is a day on: the backfill queued now covers the present');
update market.watchlist set enabled = false where inst_id = 'BTC-USDT';
select is((select enabled from queue.schedules where name = 'repair_gaps:BTC-USDT:5m'), false, 'disabled with its entry');
update market.watchlist set enabled = true where inst_id = 'BTC-USDT';
select is((select enabled from queue.schedules where name = 'repair_gaps:BTC-USDT:5m'), true, 'enabled again with it');
update market.watchlist set bar = '15m' where inst_id = 'BTC-USDT';
select is((select array_agg(name order by name) from queue.schedules where name like 'repair_gaps:%'),
          array['repair_gaps:BTC-USDT:15m'], 'moved with its entry');
delete from market.watchlist where inst_id = 'BTC-USDT';
select is((select count(*)::int from queue.schedules where name like 'repair_gaps:%'), 0, 'deleted with its entry');

select * from finish();
rollback;

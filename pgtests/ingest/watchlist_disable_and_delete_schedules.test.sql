-- pgtests/ingest/watchlist_disable_and_delete_schedules.test.sql
-- Disabling a watchlist entry disables its ingest schedule; deleting it removes the schedule.
begin;
select plan(3);

-- SETUP
delete from queue.schedules;
delete from queue.jobs;
insert into market.watchlist (inst_id, bar) values ('BTC-USDT-SWAP', '1H');

-- TEST
select is((select payload from queue.schedules where name = 'sync_tickers:SWAP'), '{"inst_type":"SWAP"}'::jsonb,
          'a swap entry syncs SWAP tickers');
update market.watchlist set enabled = false where inst_id = 'BTC-USDT-SWAP';
select is((select enabled from queue.schedules where name = 'ingest:BTC-USDT-SWAP:1H'), false, 'disabled with its entry');
delete from market.watchlist where inst_id = 'BTC-USDT-SWAP';
select is((select count(*)::int from queue.schedules where name = 'ingest:BTC-USDT-SWAP:1H'), 0, 'deleted with its entry');

select * from finish();
rollback;

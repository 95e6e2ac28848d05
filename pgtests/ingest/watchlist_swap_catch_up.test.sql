-- pgtests/ingest/watchlist_swap_catch_up.test.sql
-- SWAP entries made before the swap automation get their backfills and schedules once; re-running adds nothing.
begin;
select plan(4);

-- SETUP: an entry as an older release left it (no swap trigger, no swap schedules)
alter table market.watchlist disable trigger watchlist_swap_jobs;
insert into market.watchlist (inst_id, bar, history_from) values ('ETH-USDT-SWAP', '4H', '2024-02-01'), ('ETH-USDT', '4H', null);
alter table market.watchlist enable trigger watchlist_swap_jobs;
delete from queue.jobs where kind in ('backfill_funding', 'backfill_mark_index');

-- TEST
select is(market.watchlist_swap_catch_up(), 1, 'the one SWAP entry without its schedules is served');
select is((select count(*)::int from queue.jobs where kind in ('backfill_funding', 'backfill_mark_index')), 3,
          'its funding, mark and index backfills are queued');
select is((select count(*)::int from queue.schedules where name in ('ingest_funding:ETH-USDT-SWAP',
          'ingest_mark_index:mark:ETH-USDT-SWAP:4H', 'ingest_mark_index:index:ETH-USDT:4H')), 3, 'and its schedules made');
select is(market.watchlist_swap_catch_up(), 0, 're-running serves nobody');

select * from finish();
rollback;

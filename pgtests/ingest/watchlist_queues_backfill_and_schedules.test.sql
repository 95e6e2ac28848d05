-- pgtests/ingest/watchlist_queues_backfill_and_schedules.test.sql
-- Adding a watchlist entry queues one backfill (never two while live) and creates its schedules.
begin;
select plan(7);

-- SETUP
delete from queue.schedules;
delete from queue.jobs;
insert into market.watchlist (inst_id, bar, history_from) values ('BTC-USDT', '5m', '2024-01-01');

-- TEST
select is((select count(*)::int from queue.jobs where kind = 'backfill' and unique_key = 'backfill:BTC-USDT:5m'), 1,
          'one backfill is queued');
select is((select payload ->> 'from' from queue.jobs where unique_key = 'backfill:BTC-USDT:5m'), '2024-01-01T00:00:00Z',
          'it starts at history_from');
select is((select every from queue.schedules where name = 'ingest:BTC-USDT:5m'), interval '5 minutes',
          'ingest runs every bar period');
select is((select array_agg(name order by name) from queue.schedules where name not like '%:BTC-USDT:5m'),
          array['refresh_views', 'sync_instruments:SPOT', 'sync_tickers:SPOT'], 'the shared schedules exist');
update market.watchlist set enabled = false where inst_id = 'BTC-USDT';
update market.watchlist set enabled = true where inst_id = 'BTC-USDT';
select is((select count(*)::int from queue.jobs where unique_key = 'backfill:BTC-USDT:5m'), 1,
          're-enabling while the backfill is live queues no second one');
insert into market.watchlist (inst_id, bar) values ('ETH-USDT', '1s');
select is((select every from queue.schedules where name = 'ingest:ETH-USDT:1s'), interval '1 minute',
          'ingest runs at most once a minute');
select throws_ok($$ insert into market.watchlist (inst_id, bar) values ('ETH-USDT', '7m') $$, '23514', null,
                 'an unknown bar is refused');

select * from finish();
rollback;

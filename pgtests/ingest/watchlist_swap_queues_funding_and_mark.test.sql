-- pgtests/ingest/watchlist_swap_queues_funding_and_mark.test.sql
-- A SWAP watchlist entry queues its funding, mark and index backfills from history_from and keeps them fresh with schedules; spot entries get none.
begin;
select plan(12);

-- SETUP
delete from queue.schedules;
delete from queue.jobs;
insert into market.watchlist (inst_id, bar, history_from) values ('BTC-USDT-SWAP', '1H', '2024-01-01');

-- TEST
select is((select payload from queue.jobs where unique_key = 'backfill_funding:BTC-USDT-SWAP') - 'to',
          '{"inst_id":"BTC-USDT-SWAP","from":"2024-01-01T00:00:00Z"}'::jsonb, 'a funding backfill from history_from is queued');
select is((select payload - 'to' from queue.jobs where unique_key = 'backfill_mark_index:mark:BTC-USDT-SWAP:1H'),
          '{"price_type":"mark","inst_id":"BTC-USDT-SWAP","bar":"1H","from":"2024-01-01T00:00:00Z"}'::jsonb,
          'a mark-candle backfill at the entry''s bar is queued');
select is((select payload - 'to' from queue.jobs where unique_key = 'backfill_mark_index:index:BTC-USDT:1H'),
          '{"price_type":"index","inst_id":"BTC-USDT","bar":"1H","from":"2024-01-01T00:00:00Z"}'::jsonb,
          'the index''s candles are backfilled too');
select results_eq($$ select name, kind, every from queue.schedules where name like 'ingest_%' and kind <> 'ingest' order by name $$,
                  $$ values ('ingest_funding:BTC-USDT-SWAP', 'ingest_funding', interval '1 hour'),
                            ('ingest_mark_index:index:BTC-USDT:1H', 'ingest_mark_index', interval '1 hour'),
                            ('ingest_mark_index:mark:BTC-USDT-SWAP:1H', 'ingest_mark_index', interval '1 hour') $$,
                  'funding is ingested hourly, mark and index candles every bar period');
select is((select count(*)::int from queue.schedules where name = 'ingest:BTC-USDT-SWAP:1H'), 1,
          'the trade candles keep their own schedule (sql/0320)');

insert into market.watchlist (inst_id, bar, history_from) values ('BTC-USDT-SWAP', '1m', '2024-06-01');
select is((select count(*)::int from queue.jobs where kind = 'backfill_funding'), 1,
          'a second bar of the same swap queues no second funding backfill while one is live');
update market.watchlist set enabled = false where inst_id = 'BTC-USDT-SWAP' and bar = '1H';
select is((select enabled from queue.schedules where name = 'ingest_mark_index:mark:BTC-USDT-SWAP:1H'), false,
          'disabling an entry pauses its mark schedule');
select is((select enabled from queue.schedules where name = 'ingest_funding:BTC-USDT-SWAP'), true,
          'the funding schedule runs on while another entry of the swap is enabled');
delete from market.watchlist where inst_id = 'BTC-USDT-SWAP' and bar = '1m';
select is((select count(*)::int from queue.schedules where name like 'ingest_mark_index:%:1m'), 0,
          'deleting an entry deletes its per-bar schedules');
select is((select enabled from queue.schedules where name = 'ingest_funding:BTC-USDT-SWAP'), false,
          'with no enabled entry left, funding pauses');
delete from market.watchlist where inst_id = 'BTC-USDT-SWAP';
select is((select count(*)::int from queue.schedules where name like 'ingest_funding:%' or name like 'ingest_mark_index:%'), 0,
          'with no entry of the swap left, its schedules are gone');

insert into market.watchlist (inst_id, bar) values ('ETH-USDT', '1H');
select is((select count(*)::int from queue.jobs where kind in ('backfill_funding', 'backfill_mark_index') and payload ->> 'inst_id' like 'ETH%'), 0,
          'a spot entry queues no funding or mark backfill');

select * from finish();
rollback;

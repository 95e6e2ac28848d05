-- pgtests/ingest/mark_index_hole_queues_its_fill.test.sql
-- An ingest_mark_index window that does not reach the newest stored mark candle queues one backfill_mark_index for exactly the hole.
begin;
select plan(15);

-- SETUP
delete from queue.jobs;
select market.ensure_mark_index_candle_partitions('2024-03-01', '2024-03-31');
insert into market.mark_index_candles (price_type, inst_id, bar, ts, open, high, low, close)
select 'mark', 'BTC-USDT-SWAP', '1m', t, 10, 11, 9, 10
  from generate_series('2024-03-07 00:00Z'::timestamptz, '2024-03-07 12:00Z', interval '1 minute') as t;

-- TEST
select is(market.queue_mark_index_hole_fill('mark', 'BTC-USDT-SWAP', '1m', '2024-03-07 11:00Z'), null,
          'a window that starts before the newest candle: nothing queued');
select is(market.queue_mark_index_hole_fill('mark', 'BTC-USDT-SWAP', '1m', '2024-03-07 12:01Z'), null,
          'a window that starts right after it: nothing queued');
select is(market.queue_mark_index_hole_fill('index', 'BTC-USDT', '1m', '2024-03-09 12:00Z'), null,
          'the index series has nothing stored: nothing queued (its backfill brings the history)');
select is((select count(*)::int from queue.jobs), 0, 'no job so far');

select queue.enqueue('backfill_mark_index',
                     '{"price_type":"mark","inst_id":"BTC-USDT-SWAP","bar":"1m","from":"2024-03-01","to":"2024-03-10"}',
                     unique_key => 'backfill_mark_index:mark:BTC-USDT-SWAP:1m');
select is(market.queue_mark_index_hole_fill('mark', 'BTC-USDT-SWAP', '1m', '2024-03-09 12:00Z'), null,
          'the series'' live backfill covers the hole: nothing more queued');
delete from queue.jobs;

-- an outage of two days: the ingest's 1,440 bars start a day after the newest stored candle
select isnt(market.queue_mark_index_hole_fill('mark', 'BTC-USDT-SWAP', '1m', '2024-03-09 12:00Z'), null, 'a window two days on: a job');
select results_eq($$ select kind, payload, unique_key from queue.jobs $$,
                  $$ values ('backfill_mark_index'::text,
                             '{"price_type":"mark","inst_id":"BTC-USDT-SWAP","bar":"1m","from":"2024-03-07T12:01:00Z","to":"2024-03-09T12:00:00Z"}'::jsonb,
                             'mark_index_hole:mark:BTC-USDT-SWAP:1m'::text) $$,
                  'backfill_mark_index for exactly [the bar after the newest candle, the window), unique per series');
select results_eq($$ select count(*)::int from market.mark_index_gaps('mark', 'BTC-USDT-SWAP', '1m',
                                                                       '2024-03-07T12:01:00Z', '2024-03-09T12:00:00Z') $$,
                  $$ values (1) $$, 'the job''s range is one gap, which is all backfill_mark_index fetches');
select is(market.queue_mark_index_hole_fill('mark', 'BTC-USDT-SWAP', '1m', '2024-03-09 12:01Z'), (select id from queue.jobs),
          'the next window finds the live job: still one');
select is((select payload ->> 'to' from queue.jobs), '2024-03-09T12:01:00Z',
          'the waiting job is widened to the later window');
update queue.jobs set status = 'running', locked_by = 'w', attempts = 1, lease_until = now() + interval '1 minute';
select market.queue_mark_index_hole_fill('mark', 'BTC-USDT-SWAP', '1m', '2024-03-09 13:00Z');
select is((select payload ->> 'to' from queue.jobs), '2024-03-09T12:01:00Z', 'a running job is left as it is');
delete from queue.jobs;

insert into market.mark_index_candles (price_type, inst_id, bar, ts, open, high, low, close, confirmed)
values ('index', 'BTC-USDT', '1m', '2024-03-07 12:00Z', 10, 11, 9, 10, true),
       ('index', 'BTC-USDT', '1m', '2024-03-07 12:01Z', 10, 11, 9, 10, false);
select market.queue_mark_index_hole_fill('index', 'BTC-USDT', '1m', '2024-03-09 12:00Z');
select is((select payload ->> 'from' from queue.jobs where unique_key = 'mark_index_hole:index:BTC-USDT:1m'), '2024-03-07T12:01:00Z',
          'an index candle stored still forming is part of the hole');
select is((select array_agg(ts order by ts) from market.mark_index_candles where inst_id = 'BTC-USDT'),
          array['2024-03-07 12:00Z'::timestamptz],
          'it is deleted, to be fetched closed; the confirmed one before it stays');
select throws_ok($$ select market.queue_mark_index_hole_fill('mark', 'BTC-USDT', '1m', '2024-03-09 12:00Z') $$, '22023', null,
                 'a mark series of an instId that is not a swap is refused');
select throws_ok($$ select market.queue_mark_index_hole_fill('last', 'BTC-USDT-SWAP', '1m', '2024-03-09 12:00Z') $$, '22023', null,
                 'a price_type other than mark or index is refused');

select * from finish();
rollback;

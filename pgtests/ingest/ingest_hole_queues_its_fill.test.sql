-- pgtests/ingest/ingest_hole_queues_its_fill.test.sql
-- An ingest window that does not reach the newest stored candle queues one repair_gaps job for exactly the hole.
begin;
select plan(14);

-- SETUP
delete from queue.jobs;
select market.ensure_candle_partitions('2024-03-01', '2024-03-31');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
select 'BTC-USDT', '1m', t, 10, 11, 9, 10, 1
  from generate_series('2024-03-07 00:00Z'::timestamptz, '2024-03-07 12:00Z', interval '1 minute') as t;

-- TEST
select is(market.queue_ingest_hole_fill('BTC-USDT', '1m', '2024-03-07 11:00Z'), null,
          'a window that starts before the newest candle: nothing queued');
select is(market.queue_ingest_hole_fill('BTC-USDT', '1m', '2024-03-07 12:01Z'), null,
          'a window that starts right after it: nothing queued');
select is(market.queue_ingest_hole_fill('ETH-USDT', '1m', '2024-03-07 12:01Z'), null,
          'a series with nothing stored: nothing queued (its backfill brings the history)');
select is((select count(*)::int from queue.jobs), 0, 'no job so far');

select queue.enqueue('backfill', '{"inst_id":"BTC-USDT","bar":"1m","from":"2024-03-01","to":"2024-03-10"}',
                     unique_key => 'backfill:BTC-USDT:1m');
select is(market.queue_ingest_hole_fill('BTC-USDT', '1m', '2024-03-09 12:00Z'), null,
          'the entry''s live backfill covers the hole: nothing more queued');
select is(market.queue_ingest_hole_fill('BTC-USDT', '1m', '2024-03-10 12:00Z') is not null, true,
          'a hole beyond the backfill''s range: a fill');
delete from queue.jobs;

select isnt(market.queue_ingest_hole_fill('BTC-USDT', '1m', '2024-03-09 12:00Z'), null, 'a window two days on: a job');
select results_eq($$ select kind, payload, unique_key from queue.jobs $$,
                  $$ values ('repair_gaps'::text,
                             '{"inst_id":"BTC-USDT","bar":"1m","from":"2024-03-07T12:01:00Z","to":"2024-03-09T12:00:00Z"}'::jsonb,
                             'ingest_hole:BTC-USDT:1m'::text) $$,
                  'repair_gaps for exactly [the bar after the newest candle, the window), unique per series');
select is(market.queue_ingest_hole_fill('BTC-USDT', '1m', '2024-03-09 12:01Z'), (select id from queue.jobs),
          'the next window finds the live job: still one');
select is((select payload ->> 'to' from queue.jobs), '2024-03-09T12:01:00Z',
          'the waiting job is widened to the later window');
update queue.jobs set status = 'running', locked_by = 'w', attempts = 1, lease_until = now() + interval '1 minute';
select market.queue_ingest_hole_fill('BTC-USDT', '1m', '2024-03-09 13:00Z');
select is((select payload ->> 'to' from queue.jobs), '2024-03-09T12:01:00Z', 'a running job is left as it is');
delete from queue.jobs;
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, confirmed)
values ('ETH-USDT', '1m', '2024-03-07 12:00Z', 10, 11, 9, 10, 1, true), ('ETH-USDT', '1m', '2024-03-07 12:01Z', 10, 11, 9, 10, 1, false);
select market.queue_ingest_hole_fill('ETH-USDT', '1m', '2024-03-09 12:00Z');
select is((select payload ->> 'from' from queue.jobs where unique_key = 'ingest_hole:ETH-USDT:1m'), '2024-03-07T12:01:00Z',
          'a newest candle stored still forming is part of the hole');
select is((select array_agg(ts order by ts) from market.candles where inst_id = 'ETH-USDT'), array['2024-03-07 12:00Z'::timestamptz],
          'it is deleted, to be fetched closed; the confirmed one before it stays');
select throws_ok($$ select market.queue_ingest_hole_fill('BTC-USDT', '7m', '2024-03-09 12:00Z') $$, '22023', null,
                 'an unknown bar is refused');

select * from finish();
rollback;

-- pgtests/stream/stream_gap_fill_after_reconnect.test.sql
-- After a (re)connect the stream queues the REST fill of exactly the bars it missed.
begin;
select plan(7);

-- SETUP
delete from queue.jobs;
select market.ensure_candle_partitions('2024-03-01', '2024-03-31');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
select 'BTC-USDT', '1m', t, 10, 11, 9, 10, 1
  from generate_series('2024-03-07 00:00Z'::timestamptz, '2024-03-07 12:00Z', interval '1 minute') as t;

-- TEST
select is(market.queue_stream_gap_fill('BTC-USDT', '1m', '2024-03-07 12:01:30Z'), null,
          'connected during the bar after the newest stored one: nothing missed');
select is(market.queue_stream_gap_fill('ETH-USDT', '1m', '2024-03-07 12:01:30Z'), null,
          'nothing stored: nothing queued (the backfill brings the history)');
select isnt(market.queue_stream_gap_fill('BTC-USDT', '1m', '2024-03-07 12:10:30Z'), null, 'ten minutes later: a fill');
select results_eq($$ select kind, payload ->> 'from', payload ->> 'to' from queue.jobs $$,
                  $$ values ('repair_gaps'::text, '2024-03-07T12:01:00Z'::text, '2024-03-07T12:10:00Z'::text) $$,
                  'repair_gaps for exactly [bar after the newest stored, bar forming at the connect)');
delete from queue.jobs;

update market.candles set confirmed = false where inst_id = 'BTC-USDT' and ts = '2024-03-07 12:00Z';
select isnt(market.queue_stream_gap_fill('BTC-USDT', '1m', '2024-03-07 12:01:10Z'), null,
            'the newest candle stored forming and its bar closed while away: a fill');
select is((select payload ->> 'from' from queue.jobs), '2024-03-07T12:00:00Z', 'the fill starts at the forming candle');
select throws_like($$ select market.queue_stream_gap_fill('BTC-USDT', '1m', null) $$, '%connected_at%',
                   'a missing connected_at is refused');

select * from finish();
rollback;

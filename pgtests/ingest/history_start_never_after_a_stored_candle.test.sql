-- pgtests/ingest/history_start_never_after_a_stored_candle.test.sql
-- A recorded start of OKX's history only moves earlier and is never later than a stored candle.
begin;
select plan(8);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-02Z');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote)
select 'TEST-USDT', '1m', t, 10, 12, 9, 11, 5, 55, 55
  from generate_series(timestamptz '2024-01-01 00:10Z', timestamptz '2024-01-01 00:19Z', interval '1 minute') as t;

-- TEST
select market.note_candle_history_start('TEST-USDT', '1m', '2024-01-01 00:15Z');
select is(market.candle_history_start('TEST-USDT', '1m'), null::timestamptz,
          'a start later than a stored candle is not recorded');
select market.note_candle_history_start('TEST-USDT', '1m', '2024-01-01 00:10Z');
select is(market.candle_history_start('TEST-USDT', '1m'), timestamptz '2024-01-01 00:10Z',
          'a start at the oldest stored candle is recorded');
select market.note_candle_history_start('TEST-USDT', '1m', '2024-01-01 00:12Z');
select is(market.candle_history_start('TEST-USDT', '1m'), timestamptz '2024-01-01 00:10Z',
          'a later note does not move the start later');
select market.note_candle_history_start('TEST-USDT', '1m', '2024-01-01 00:05Z');
select is(market.candle_history_start('TEST-USDT', '1m'), timestamptz '2024-01-01 00:05Z',
          'an earlier note moves it earlier');
select throws_ok($$ update market.candle_history_starts set first_ts = '2024-01-01 00:11Z'
                     where inst_id = 'TEST-USDT' and bar = '1m' $$,
                 '23514', null, 'a direct update past a stored candle is refused');
select throws_ok($$ insert into market.candle_history_starts (inst_id, bar, first_ts)
                    values ('TEST-USDT', '1m', '2024-01-01 00:30Z')
                    on conflict (inst_id, bar) do update set first_ts = excluded.first_ts $$,
                 '23514', null, 'a direct upsert past a stored candle is refused');
select lives_ok($$ insert into market.candle_history_starts (inst_id, bar, first_ts)
                   values ('OTHER-USDT', '1m', '2024-01-01 00:30Z') $$,
                'a series with nothing stored takes any start');
select throws_ok($$ select market.note_candle_history_start('TEST-USDT', '1m', null) $$,
                 '22004', null, 'a NULL start is refused');

select * from finish();
rollback;

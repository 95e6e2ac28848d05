-- pgtests/stream/notify_candles_throttled_per_series.test.sql
-- NOTIFY market_candles: a new candle and a confirmation always notify; forming updates are throttled.
begin;
select plan(8);

-- SETUP
delete from market.candle_notify_state;

-- TEST
select is(market.notify_candles(array['BTC-USDT'], array['1m'], array['2024-03-07 12:00Z'::timestamptz],
                                array[false], 60000), 1, 'the first candle of a series notifies');
select is(market.notify_candles(array['BTC-USDT'], array['1m'], array['2024-03-07 12:00Z'::timestamptz],
                                array[false], 60000), 0, 'the same forming candle within the interval: throttled');
select is(market.notify_candles(array['ETH-USDT'], array['1m'], array['2024-03-07 12:00Z'::timestamptz],
                                array[false], 60000), 1, 'another series is throttled on its own');
select is(market.notify_candles(array['BTC-USDT'], array['1m'], array['2024-03-07 12:00Z'::timestamptz],
                                array[true], 60000), 1, 'the candle''s confirmation notifies at once');
select is(market.notify_candles(array['BTC-USDT'], array['1m'], array['2024-03-07 12:01Z'::timestamptz],
                                array[false], 60000), 1, 'the next candle notifies at once');
select is(market.notify_candles(array['BTC-USDT'], array['1m'], array['2024-03-07 12:01Z'::timestamptz],
                                array[false], 0), 1, 'with no interval every update notifies');
select throws_like($$ select market.notify_candles(array['BTC-USDT'], array['1m', '1m'], array[now()], array[true], 0) $$,
                   '%arrays of one length%', 'arrays of different lengths are refused');
select throws_like($$ select market.notify_candles(array['BTC-USDT'], array['7m'], array[now()], array[true], 0) $$,
                   '%bar must be one of%', 'an unknown bar is refused');

select * from finish();
rollback;

-- pgtests/market/candle_prices_are_positive.test.sql
-- CHECK candle_prices_are_positive: every price > 0.
begin;
select plan(5);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-31Z');

-- TEST
select lives_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                   values ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 12, 9, 11, 5) $$, 'positive prices are stored');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1m', '2024-01-01 00:01Z', 0, 12, 0, 11, 5) $$, '23514', null, 'a zero open is refused');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1m', '2024-01-01 00:02Z', 10, 12, -1, 11, 5) $$, '23514', null, 'a negative low is refused');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1m', '2024-01-01 00:03Z', 10, 12, 0, 0, 5) $$, '23514', null, 'a zero close is refused');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1m', '2024-01-01 00:04Z', -10, -1, -12, -11, 5) $$, '23514', null, 'all-negative prices are refused');

select * from finish();
rollback;

-- pgtests/market/candle_low_is_lowest.test.sql
-- CHECK candle_low_is_lowest: low <= least(open, close).
begin;
select plan(3);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-31Z');

-- TEST
select lives_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                   values ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 12, 9, 11, 5) $$, 'low below open and close is stored');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1m', '2024-01-01 00:01Z', 10, 12, 10.5, 11, 5) $$, '23514', null, 'low above open is refused');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1m', '2024-01-01 00:02Z', 11, 12, 10.5, 10, 5) $$, '23514', null, 'low above close is refused');

select * from finish();
rollback;

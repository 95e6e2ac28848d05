-- pgtests/market/candle_high_is_highest.test.sql
-- CHECK candle_high_is_highest: high >= greatest(open, close, low).
begin;
select plan(5);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-31Z');

-- TEST
select lives_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                   values ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 12, 9, 11, 5) $$, 'high above open and close is stored');
select lives_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                   values ('TEST-USDT', '1m', '2024-01-01 00:01Z', 10, 10, 10, 10, 0) $$, 'a flat candle is stored');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1m', '2024-01-01 00:02Z', 10, 9.5, 9, 9.2, 5) $$, '23514', null, 'high below open is refused');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1m', '2024-01-01 00:03Z', 10, 10.5, 9, 11, 5) $$, '23514', null, 'high below close is refused');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1m', '2024-01-01 00:04Z', 10, 10.5, 11, 10, 5) $$, '23514', null, 'high below low is refused');

select * from finish();
rollback;

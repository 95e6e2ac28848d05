-- pgtests/market/candle_ts_is_on_bar_grid.test.sql
-- CHECK candle_ts_is_on_bar_grid: ts is the open time of a bar of its size (OKX alignment).
begin;
select plan(6);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-02-29Z');

-- TEST
select lives_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                   values ('TEST-USDT', '1m', '2024-01-01 00:07Z', 10, 12, 9, 11, 5) $$, 'a 1m candle on the minute is stored');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1m', '2024-01-01 00:02:30Z', 10, 12, 9, 11, 5) $$, '23514', null, 'a 1m candle off the minute is refused');
select lives_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                   values ('TEST-USDT', '1D', '2024-01-01 16:00Z', 10, 12, 9, 11, 5) $$, 'a 1D candle at 16:00 UTC is stored');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1D', '2024-01-02 00:00Z', 10, 12, 9, 11, 5) $$, '23514', null, 'a 1D candle at 00:00 UTC is refused');
select lives_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                   values ('TEST-USDT', '1Mutc', '2024-02-01 00:00Z', 10, 12, 9, 11, 5) $$, 'a 1Mutc candle on the 1st is stored');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1M', '2024-02-01 00:00Z', 10, 12, 9, 11, 5) $$, '23514', null, 'a 1M candle at UTC midnight of the 1st is refused (HK month)');

select * from finish();
rollback;

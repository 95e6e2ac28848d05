-- pgtests/market/candle_bar_is_known.test.sql
-- CHECK candle_bar_is_known: bar among OKX's bars (case sensitive; there is no 2Hutc).
begin;
select plan(4);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-31Z');

-- TEST
select lives_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                   values ('TEST-USDT', '1H', '2024-01-01 00:00Z', 10, 12, 9, 11, 5) $$, 'a 1H candle is stored');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1h', '2024-01-01 00:00Z', 10, 12, 9, 11, 5) $$, '23514', null, 'bar 1h (lower case) is refused');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '2Hutc', '2024-01-01 00:00Z', 10, 12, 9, 11, 5) $$, '23514', null, 'bar 2Hutc (OKX has none) is refused');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '7m', '2024-01-01 00:00Z', 10, 12, 9, 11, 5) $$, '23514', null, 'bar 7m is refused');

select * from finish();
rollback;

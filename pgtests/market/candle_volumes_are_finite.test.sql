-- pgtests/market/candle_volumes_are_finite.test.sql
-- CHECK candle_volumes_are_finite: NaN and Infinity volumes are refused (>= 0 alone lets both through).
begin;
select plan(5);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-31Z');

-- TEST
select lives_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote)
                   values ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 12, 9, 11, 5, 55, 55) $$, 'finite volumes are stored');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1m', '2024-01-01 00:01Z', 10, 12, 9, 11, 'NaN') $$, '23514', null, 'a NaN volume is refused');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1m', '2024-01-01 00:02Z', 10, 12, 9, 11, 'Infinity') $$, '23514', null, 'an infinite volume is refused');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, volume_ccy)
                    values ('TEST-USDT', '1m', '2024-01-01 00:03Z', 10, 12, 9, 11, 1, 'NaN') $$, '23514', null, 'a NaN volume_ccy is refused');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, volume_quote)
                    values ('TEST-USDT', '1m', '2024-01-01 00:04Z', 10, 12, 9, 11, 1, 'Infinity') $$, '23514', null, 'an infinite volume_quote is refused');

select * from finish();
rollback;

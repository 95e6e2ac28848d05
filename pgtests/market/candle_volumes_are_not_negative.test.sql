-- pgtests/market/candle_volumes_are_not_negative.test.sql
-- CHECK candle_volumes_are_not_negative: volume, volume_ccy and volume_quote >= 0 (zero is a bar without trades).
begin;
select plan(4);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-31Z');

-- TEST
select lives_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote)
                   values ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 10, 10, 10, 0, 0, 0) $$, 'zero volumes are stored');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote)
                    values ('TEST-USDT', '1m', '2024-01-01 00:01Z', 10, 12, 9, 11, -0.1, 1, 1) $$, '23514', null, 'a negative volume is refused');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote)
                    values ('TEST-USDT', '1m', '2024-01-01 00:02Z', 10, 12, 9, 11, 1, -1, 1) $$, '23514', null, 'a negative volume_ccy is refused');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote)
                    values ('TEST-USDT', '1m', '2024-01-01 00:03Z', 10, 12, 9, 11, 1, 1, -1) $$, '23514', null, 'a negative volume_quote is refused');

select * from finish();
rollback;

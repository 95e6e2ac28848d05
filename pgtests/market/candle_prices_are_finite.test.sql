-- pgtests/market/candle_prices_are_finite.test.sql
-- CHECK candle_prices_are_finite: numeric's NaN (sorts above every number) and Infinity are refused.
begin;
select plan(5);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-31Z');

-- TEST
select lives_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                   values ('TEST-USDT', '1m', '2024-01-01 00:00Z', 10, 99999999999999999999.5, 9, 11, 5) $$,
                'a large finite high is stored');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1m', '2024-01-01 00:01Z', 10, 'NaN', 9, 11, 5) $$, '23514', null, 'a NaN high is refused');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1m', '2024-01-01 00:02Z', 'NaN', 'NaN', 'NaN', 'NaN', 5) $$, '23514', null, 'all-NaN prices are refused');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1m', '2024-01-01 00:03Z', 10, 'Infinity', 9, 11, 5) $$, '23514', null, 'an infinite high is refused');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('TEST-USDT', '1m', '2024-01-01 00:04Z', 10, 'Infinity', 9, 'Infinity', 5) $$, '23514', null, 'an infinite close is refused');

select * from finish();
rollback;

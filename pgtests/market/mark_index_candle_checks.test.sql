-- pgtests/market/mark_index_candle_checks.test.sql
-- market.mark_index_candles has market.candles' CHECKs: known price type and bar, ts on the grid, positive finite prices, high/low bounds.
begin;
select plan(8);

-- SETUP
select market.ensure_mark_index_candle_partitions('2024-01-01Z', '2024-01-31Z');

-- TEST
select lives_ok($$ insert into market.mark_index_candles (price_type, inst_id, bar, ts, open, high, low, close)
                   values ('mark', 'BTC-USDT-SWAP', '1m', '2024-01-01 00:00Z', 10, 12, 9, 11),
                          ('index', 'BTC-USDT', '1m', '2024-01-01 00:00Z', 10, 12, 9, 11) $$,
                'a mark and an index candle of the same minute are stored');
select throws_ok($$ insert into market.mark_index_candles (price_type, inst_id, bar, ts, open, high, low, close)
                    values ('last', 'BTC-USDT-SWAP', '1m', '2024-01-01 00:01Z', 10, 12, 9, 11) $$, '23514', null, 'an unknown price type is refused');
select throws_ok($$ insert into market.mark_index_candles (price_type, inst_id, bar, ts, open, high, low, close)
                    values ('mark', 'BTC-USDT-SWAP', '1h', '2024-01-01 00:00Z', 10, 12, 9, 11) $$, '23514', null, 'an unknown bar is refused');
select throws_ok($$ insert into market.mark_index_candles (price_type, inst_id, bar, ts, open, high, low, close)
                    values ('mark', 'BTC-USDT-SWAP', '1D', '2024-01-01 00:00Z', 10, 12, 9, 11) $$, '23514', null,
                 'a 1D candle at 00:00 UTC (off the Hong Kong grid) is refused');
select throws_ok($$ insert into market.mark_index_candles (price_type, inst_id, bar, ts, open, high, low, close)
                    values ('mark', 'BTC-USDT-SWAP', '1m', '2024-01-01 00:02Z', 10, 'NaN', 9, 11) $$, '23514', null, 'a NaN high is refused');
select throws_ok($$ insert into market.mark_index_candles (price_type, inst_id, bar, ts, open, high, low, close)
                    values ('mark', 'BTC-USDT-SWAP', '1m', '2024-01-01 00:03Z', 0, 12, 0, 11) $$, '23514', null, 'a zero price is refused');
select throws_ok($$ insert into market.mark_index_candles (price_type, inst_id, bar, ts, open, high, low, close)
                    values ('mark', 'BTC-USDT-SWAP', '1m', '2024-01-01 00:04Z', 10, 10.5, 9, 11) $$, '23514', null, 'a high below the close is refused');
select throws_ok($$ insert into market.mark_index_candles (price_type, inst_id, bar, ts, open, high, low, close)
                    values ('mark', 'BTC-USDT-SWAP', '1m', '2024-01-01 00:05Z', 10, 12, 10.5, 11) $$, '23514', null, 'a low above the open is refused');

select * from finish();
rollback;

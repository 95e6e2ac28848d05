-- pgtests/roles/market_operator_role.test.sql
-- candlestack_operator reads market, manages the watchlist, refreshes views; never writes candles, instruments or tickers.
begin;
select plan(11);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-31Z');
set local role candlestack_operator;

-- TEST
select lives_ok('select * from market.candles limit 1', 'reads market.candles');
select lives_ok($$ insert into market.watchlist (inst_id, bar) values ('BTC-USDT', '1m') $$, 'adds to the watchlist');
select lives_ok($$ update market.watchlist set enabled = false where inst_id = 'BTC-USDT' $$, 'pauses a watchlist entry');
select lives_ok($$ delete from market.watchlist where inst_id = 'BTC-USDT' $$, 'removes a watchlist entry');
select lives_ok($$ select * from market.gaps('BTC-USDT', '1m', '2024-01-01Z', '2024-01-02Z') $$, 'lists gaps');
select lives_ok('select * from market.refresh_views()', 'refreshes the views');
select throws_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                    values ('BTC-USDT', '1m', '2024-01-01Z', 10, 12, 9, 11, 5) $$, '42501', null, 'cannot insert candles');
select throws_ok($$ update market.instruments set state = 'live' $$, '42501', null, 'cannot update instruments');
select throws_ok($$ select market.upsert_tickers('[]') $$, '42501', null, 'cannot run upsert_tickers');
select throws_ok($$ select market.ensure_candle_partitions('2030-01-01Z', '2030-01-02Z') $$, '42501', null, 'cannot create partitions');
select throws_ok('create table market.mine (i int)', '42501', null, 'cannot create in market');

select * from finish();
rollback;

-- pgtests/roles/market_worker_role.test.sql
-- candlestack_worker reads and writes market data through the functions and DML, refreshes views; no DDL.
begin;
select plan(10);

-- SETUP
set local role candlestack_worker;

-- TEST
select lives_ok('select market.create_candle_staging()', 'creates its staging table');
insert into pg_temp.candle_staging values ('BTC-USDT', '1m', '2077-03-01 00:00Z', 10, 12, 9, 11, 5, 50, 50, true);
select results_eq('select * from market.upsert_candles()', $$ values (1::bigint, 0::bigint, 0::bigint) $$,
                  'upserts candles, creating the partition of 2077 through the definer function');
select lives_ok($$ delete from market.candles where inst_id = 'BTC-USDT' and ts = '2077-03-01 00:00Z' $$, 'deletes candles');
select lives_ok($$ select * from market.upsert_instruments('SPOT', '[{"instId":"BTC-USDT","instType":"SPOT"}]') $$, 'upserts instruments');
select lives_ok($$ select market.upsert_tickers('[{"instId":"BTC-USDT","last":"1","ts":"1704067200000"}]') $$, 'upserts tickers');
select lives_ok('select * from market.refresh_views()', 'refreshes the views');
select throws_ok('refresh materialized view bi.top_coins', '42501', null, 'but cannot refresh a view directly (not the owner)');
select throws_ok('create table market.mine (i int)', '42501', null, 'cannot create in market');
select throws_ok('drop table market.tickers', '42501', null, 'cannot drop market tables');
select throws_ok($$ insert into market.watchlist (inst_id, bar) values ('BTC-USDT', '1m') $$, '42501', null, 'does not edit the watchlist');

select * from finish();
rollback;

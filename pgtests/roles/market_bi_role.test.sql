-- pgtests/roles/market_bi_role.test.sql
-- candlestack_bi reads the bi views and nothing in market or meta; it writes nothing.
begin;
select plan(9);

-- SETUP
set local role candlestack_bi;

-- TEST
select lives_ok('select * from bi.top_coins', 'reads bi.top_coins');
select lives_ok('select * from bi.daily_candles, bi.data_coverage limit 1', 'reads bi.daily_candles and bi.data_coverage');
select lives_ok('select * from bi.candles, bi.instruments limit 1', 'reads bi.candles and bi.instruments');
select throws_ok('select * from market.candles limit 1', '42501', null, 'cannot read market.candles');
select throws_ok('select * from market.instruments limit 1', '42501', null, 'cannot read market.instruments');
select throws_ok('select * from meta.schema_migrations limit 1', '42501', null, 'cannot read meta');
select throws_ok($$ insert into bi.instruments (instrument, instrument_type) values ('X-USDT', 'SPOT') $$, '42501', null,
                 'cannot write through a bi view');
select throws_ok('select market.refresh_views()', '42501', null, 'cannot refresh the views');
select throws_ok('create view bi.mine as select 1', '42501', null, 'cannot create in bi');

select * from finish();
rollback;

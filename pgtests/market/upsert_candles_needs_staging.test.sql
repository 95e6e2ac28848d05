-- pgtests/market/upsert_candles_needs_staging.test.sql
-- market.upsert_candles without a staging table fails with 55000; an empty staging table is a no-op.
begin;
select plan(2);

-- TEST
select throws_ok('select * from market.upsert_candles()', '55000', null, 'no pg_temp.candle_staging in this session');
select market.create_candle_staging();
select results_eq('select * from market.upsert_candles()', $$ values (0::bigint, 0::bigint, 0::bigint) $$, 'an empty batch');

select * from finish();
rollback;

-- pgtests/ingest/rate_limit_keeps_one_window.test.sql
-- market.okx_rate_limits never holds more grants than the limit, and counts the refusals.
begin;
select plan(2);

-- SETUP
delete from market.okx_rate_limits;
select market.okx_rate_acquire('host-a', 'candles', 4, 2000) from generate_series(1, 10);

-- TEST
select is((select cardinality(grants) from market.okx_rate_limits where rate_key = 'host-a' and endpoint = 'candles'),
          4, 'only the grants inside the window are kept');
select is((select refusals from market.okx_rate_limits where rate_key = 'host-a' and endpoint = 'candles'),
          6::bigint, 'the 6 refused tries are counted');

select * from finish();
rollback;

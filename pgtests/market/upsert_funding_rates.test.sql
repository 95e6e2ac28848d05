-- pgtests/market/upsert_funding_rates.test.sql
-- market.upsert_funding_rates stores OKX's data array exactly, counts what it wrote, and keeps nothing of a bad call.
begin;
select plan(9);

-- SETUP
create temporary table page (body jsonb);
insert into page values ($$[
  {"formulaType":"noRate","fundingRate":"0.0000764583022452","fundingTime":"1704096000000","instId":"BTC-USDT-SWAP","instType":"SWAP","method":"next_period","realizedRate":"0.0000764583022452"},
  {"formulaType":"noRate","fundingRate":"-0.0000123","fundingTime":"1704067200000","instId":"BTC-USDT-SWAP","instType":"SWAP","method":"next_period","realizedRate":"-0.0000123"}
]$$);

-- TEST
select results_eq($$ select * from market.upsert_funding_rates((select body from page)) $$,
                  $$ values (2::bigint, 0::bigint, 0::bigint) $$, 'two new rows are inserted');
select results_eq($$ select * from market.upsert_funding_rates((select body from page)) $$,
                  $$ values (0::bigint, 0::bigint, 2::bigint) $$, 'the same page again changes nothing');
select is((select rate::text from market.funding_rates where funding_time = '2024-01-01 08:00Z'), '0.0000764583022452',
          'the rate keeps OKX''s decimal string exactly');
select results_eq($$ select funding_time, method, formula_type from market.funding_rates order by funding_time $$,
                  $$ values ('2024-01-01 00:00Z'::timestamptz, 'next_period', 'noRate'), ('2024-01-01 08:00Z', 'next_period', 'noRate') $$,
                  'fundingTime (Unix ms), method and formulaType are stored');
select results_eq($$ select * from market.upsert_funding_rates(
                       '[{"fundingRate":"0.0001","fundingTime":"1704096000000","instId":"BTC-USDT-SWAP","method":"next_period","realizedRate":""}]') $$,
                  $$ values (0::bigint, 1::bigint, 0::bigint) $$, 'a changed rate updates the row');
select is((select realized_rate::text from market.funding_rates where funding_time = '2024-01-01 08:00Z'), '0.0000764583022452',
          'an empty realizedRate never erases a settled one');
select throws_ok($$ select * from market.upsert_funding_rates(
                       '[{"fundingRate":"0.0001","fundingTime":"1704124800000","instId":"BTC-USDT-SWAP"},
                         {"fundingRate":"0.0001","fundingTime":"17041","instId":"BTC USDT"}]') $$,
                 '22023', null, 'an element without a well-formed instId is refused');
select throws_ok($$ select * from market.upsert_funding_rates(
                       '[{"fundingRate":"0.0001","fundingTime":"1704124800000","instId":"BTC-USDT-SWAP"},
                         {"fundingRate":"Infinity","fundingTime":"1704153600000","instId":"BTC-USDT-SWAP"}]') $$,
                 '23514', null, 'a page with one infinite rate is refused');
select is((select count(*) from market.funding_rates), 2::bigint, 'nothing of a refused page is kept');

select * from finish();
rollback;

-- pgtests/market/upsert_instruments_marks_vanished.test.sql
-- market.upsert_instruments stores OKX's answer ("" as NULL) and marks instruments that vanish as delisted, never deleting them.
begin;
select plan(8);

-- SETUP
insert into market.instruments (inst_id, inst_type) values ('BTC-USDT-SWAP', 'SWAP');

-- TEST
select results_eq(
  $$ select * from market.upsert_instruments('SPOT', '[
       {"instType":"SPOT","instId":"BTC-USDT","baseCcy":"BTC","quoteCcy":"USDT","settleCcy":"","ctVal":"","tickSz":"0.1","lotSz":"0.00000001","minSz":"0.00001","state":"live","listTime":"1548133413000","expTime":""},
       {"instType":"SPOT","instId":"ETH-USDT","baseCcy":"ETH","quoteCcy":"USDT","tickSz":"0.01","lotSz":"0.000001","minSz":"0.0001","state":"live","listTime":""}]') $$,
  $$ values (2, 0, 0) $$, 'two new instruments');
select results_eq($$ select settle_ccy, ct_val, tick_sz, list_time, exp_time from market.instruments where inst_id = 'BTC-USDT' $$,
                  $$ values (null::text, null::numeric, 0.1::numeric, '2019-01-22 05:03:33Z'::timestamptz, null::timestamptz) $$,
                  '"" becomes NULL, numbers and Unix-ms times are parsed');
select results_eq(
  $$ select * from market.upsert_instruments('SPOT', '[{"instType":"SPOT","instId":"BTC-USDT","baseCcy":"BTC","quoteCcy":"USDT","tickSz":"0.1","state":"live"}]') $$,
  $$ values (0, 1, 1) $$, 'ETH-USDT vanished: one updated, one delisted');
select isnt((select delisted_at from market.instruments where inst_id = 'ETH-USDT'), null, 'ETH-USDT is marked delisted');
select is((select count(*) from market.instruments where inst_id = 'ETH-USDT'), 1::bigint, 'and kept');
select is((select delisted_at from market.instruments where inst_id = 'BTC-USDT-SWAP'), null, 'another type is left alone');
select results_eq(
  $$ select * from market.upsert_instruments('SPOT', '[{"instType":"SPOT","instId":"BTC-USDT"},{"instType":"SPOT","instId":"ETH-USDT"}]') $$,
  $$ values (0, 2, 0) $$, 'ETH-USDT comes back');
select throws_ok($$ select * from market.upsert_instruments('SPOT', '[]') $$, '22023', null,
                 'an empty answer is refused instead of delisting everything');

select * from finish();
rollback;

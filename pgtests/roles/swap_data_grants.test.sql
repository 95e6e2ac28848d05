-- pgtests/roles/swap_data_grants.test.sql
-- Swap data: the worker writes funding rates and mark/index candles, candlestack_bi reads them only through bi, operators cannot write them.
begin;
select plan(8);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-31Z');
select market.ensure_mark_index_candle_partitions('2024-01-01Z', '2024-01-31Z');
insert into market.funding_rates (inst_id, funding_time, rate) values ('BTC-USDT-SWAP', '2024-01-01 00:00Z', 0.0001);

-- TEST
set local role candlestack_worker;
select lives_ok($$ select * from market.upsert_funding_rates('[{"instId":"BTC-USDT-SWAP","fundingTime":"1704096000000","fundingRate":"0.0001"}]') $$,
                'the worker upserts funding rates');
select lives_ok($$ select market.create_mark_index_candle_staging();
                   insert into pg_temp.mark_index_candle_staging values ('mark', 'BTC-USDT-SWAP', '1H', '2024-01-01 00:00Z', 1, 1, 1, 1, true);
                   select * from market.upsert_mark_index_candles() $$,
                'the worker upserts mark candles');
reset role;
set local role candlestack_operator;
select throws_ok($$ insert into market.funding_rates (inst_id, funding_time, rate) values ('BTC-USDT-SWAP', '2024-01-02Z', 0) $$,
                 '42501', null, 'an operator cannot write funding rates');
select lives_ok('select * from market.mark_index_gaps(''mark'', ''BTC-USDT-SWAP'', ''1H'', ''2024-01-01Z'', ''2024-01-02Z'')',
                'an operator can list mark-candle gaps');
reset role;
set local role candlestack_bi;
select is((select count(*)::int from bi.funding_rates), 2, 'candlestack_bi reads bi.funding_rates');
select lives_ok('select * from bi.basis_daily', 'candlestack_bi reads bi.basis_daily');
select throws_ok('select * from market.funding_rates', '42501', null, 'candlestack_bi cannot read market.funding_rates');
select throws_ok('select * from market.mark_index_candles', '42501', null, 'candlestack_bi cannot read market.mark_index_candles');

select * from finish();
rollback;

-- pgtests/market/funding_rate_is_finite.test.sql
-- CHECK funding_rate_is_finite (and the realized rate's): NaN, Infinity and -Infinity are refused at INSERT, naming the field.
begin;
select plan(7);

-- SETUP
create function pg_temp.violated_constraint(stmt text) returns text language plpgsql as $$
declare v_name text;
begin
  execute stmt;
  return null;
exception when check_violation then
  get stacked diagnostics v_name = constraint_name;
  return v_name;
end;
$$;

-- TEST
select lives_ok($$ insert into market.funding_rates (inst_id, funding_time, rate, realized_rate, method)
                   values ('BTC-USDT-SWAP', '2024-01-01 00:00Z', 0.0000764583022452, 0.0000764583022452, 'next_period') $$,
                'a finite rate is stored');
select throws_ok($$ insert into market.funding_rates (inst_id, funding_time, rate) values ('BTC-USDT-SWAP', '2024-01-01 08:00Z', 'NaN') $$,
                 '23514', null, 'a NaN rate is refused');
select throws_ok($$ insert into market.funding_rates (inst_id, funding_time, rate) values ('BTC-USDT-SWAP', '2024-01-01 08:00Z', 'Infinity') $$,
                 '23514', null, 'an infinite rate is refused');
select throws_ok($$ insert into market.funding_rates (inst_id, funding_time, rate) values ('BTC-USDT-SWAP', '2024-01-01 08:00Z', '-Infinity') $$,
                 '23514', null, 'a -Infinity rate is refused');
select is(pg_temp.violated_constraint($$ insert into market.funding_rates (inst_id, funding_time, rate)
                                         values ('BTC-USDT-SWAP', '2024-01-01 08:00Z', 'NaN') $$),
          'funding_rate_is_finite', 'the refusal names the rate field and the rule');
select is(pg_temp.violated_constraint($$ insert into market.funding_rates (inst_id, funding_time, rate, realized_rate)
                                         values ('BTC-USDT-SWAP', '2024-01-01 08:00Z', 0.0001, 'Infinity') $$),
          'funding_realized_rate_is_finite', 'an infinite realized rate is refused, naming realized_rate');
select is(pg_temp.violated_constraint($$ select * from market.upsert_funding_rates(
             '[{"instId":"BTC-USDT-SWAP","fundingTime":"1704096000000","fundingRate":"NaN","realizedRate":"","method":"next_period"}]') $$),
          'funding_rate_is_finite', 'the upsert refuses a NaN fundingRate with the same rule');

select * from finish();
rollback;

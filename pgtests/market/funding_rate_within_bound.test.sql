-- pgtests/market/funding_rate_within_bound.test.sql
-- CHECK funding_rate_within_ten_percent: a rate beyond +-0.1 per interval (a rate read in percent) is refused.
begin;
select plan(5);

-- TEST
select lives_ok($$ insert into market.funding_rates (inst_id, funding_time, rate) values ('BTC-USDT-SWAP', '2024-01-01 00:00Z', 0.1) $$,
                'a rate of exactly +0.1 is stored');
select lives_ok($$ insert into market.funding_rates (inst_id, funding_time, rate) values ('BTC-USDT-SWAP', '2024-01-01 08:00Z', -0.1) $$,
                'a rate of exactly -0.1 is stored');
select throws_ok($$ insert into market.funding_rates (inst_id, funding_time, rate) values ('BTC-USDT-SWAP', '2024-01-01 16:00Z', 0.375) $$,
                 '23514', null, 'a rate of 0.375 (a percentage read as a fraction) is refused');
select throws_ok($$ insert into market.funding_rates (inst_id, funding_time, rate, realized_rate) values ('BTC-USDT-SWAP', '2024-01-02 00:00Z', 0.0001, -0.5) $$,
                 '23514', null, 'an out-of-bound realized rate is refused');
select throws_ok($$ insert into market.funding_rates (inst_id, funding_time, rate, method) values ('BTC-USDT-SWAP', '2024-01-02 08:00Z', 0.0001, 'every_hour') $$,
                 '23514', null, 'an unknown method is refused');

select * from finish();
rollback;

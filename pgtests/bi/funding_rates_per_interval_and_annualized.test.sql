-- pgtests/bi/funding_rates_per_interval_and_annualized.test.sql
-- bi.funding_rates reads each interval from the data (8 h, then 4 h after OKX moved the swap) and annualises by it.
begin;
select plan(5);

-- SETUP
insert into market.funding_rates (inst_id, funding_time, rate, realized_rate, method) values
  ('BTC-USDT-SWAP', '2024-01-01 00:00Z', 0.0001, 0.0001, 'current_period'),
  ('BTC-USDT-SWAP', '2024-01-01 08:00Z', 0.0001, 0.0001, 'current_period'),
  ('BTC-USDT-SWAP', '2024-01-01 12:00Z', -0.00005, -0.00005, 'current_period'),
  ('ETH-USDT-SWAP', '2024-01-01 00:00Z', 0.0002, null, null);

-- TEST
select results_eq($$ select funding_time, interval_hours from bi.funding_rates where instrument = 'BTC-USDT-SWAP' order by funding_time $$,
                  $$ values ('2024-01-01 00:00Z'::timestamptz, 8::numeric), ('2024-01-01 08:00Z', 8), ('2024-01-01 12:00Z', 4) $$,
                  'intervals come from the data; the first row takes the time to the next');
select is((select annualized_rate from bi.funding_rates where instrument = 'BTC-USDT-SWAP' and funding_time = '2024-01-01 08:00Z'),
          0.1095::numeric, '0.01% per 8 h is 10.95% a year (1095 intervals)');
select is((select annualized_pct from bi.funding_rates where instrument = 'BTC-USDT-SWAP' and funding_time = '2024-01-01 12:00Z'),
          -10.95::numeric, '-0.005% per 4 h is -10.95% a year');
select is((select rate_pct from bi.funding_rates where instrument = 'BTC-USDT-SWAP' and funding_time = '2024-01-01 00:00Z'),
          0.01::numeric, 'rate_pct is the rate in percent');
select is((select interval_hours is null and annualized_rate is null from bi.funding_rates where instrument = 'ETH-USDT-SWAP'),
          true, 'a single row has no known interval, and no annualised rate');

select * from finish();
rollback;

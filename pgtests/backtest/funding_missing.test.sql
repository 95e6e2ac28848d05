-- pgtests/backtest/funding_missing.test.sql
-- backtest.funding_missing names the stretches of a range without funding rows, read from the
-- rows' own steps (8 h, then 4 h after a switch), and nothing when the range is covered.
begin;
select plan(7);

-- SETUP
-- 8-hourly from 2024-01-01 00:00 to 2024-01-03 00:00, then 4-hourly to 2024-01-04 00:00,
-- without 2024-01-02 08:00
insert into market.funding_rates (inst_id, funding_time, rate)
select 'BTC-USDT-SWAP', t, 0.0001
  from (select generate_series('2024-01-01 00:00Z'::timestamptz, '2024-01-03 00:00Z', '8 hours') as t
        union select generate_series('2024-01-03 04:00Z'::timestamptz, '2024-01-04 00:00Z', '4 hours')) as s
 where t <> '2024-01-02 08:00Z';

-- TEST
select is_empty($$select * from backtest.funding_missing('BTC-USDT-SWAP', '2024-01-01 00:00Z', '2024-01-02 00:00Z')$$, 'a covered range: nothing missing');
select is_empty($$select * from backtest.funding_missing('BTC-USDT-SWAP', '2024-01-02 20:00Z', '2024-01-03 20:00Z')$$, 'a switch from 8 h to 4 h is not a hole');
select results_eq($$select * from backtest.funding_missing('BTC-USDT-SWAP', '2024-01-01 00:00Z', '2024-01-03 00:00Z')$$,
                  $$values ('2024-01-02 00:00Z'::timestamptz, '2024-01-02 16:00Z'::timestamptz)$$, 'a skipped row is named by its neighbours');
select results_eq($$select * from backtest.funding_missing('BTC-USDT-SWAP', '2024-01-03 12:00Z', '2024-01-06 00:00Z')$$,
                  $$values ('2024-01-04 00:00Z'::timestamptz, '2024-01-06 00:00Z'::timestamptz)$$, 'the end past the last row is missing');
select results_eq($$select * from backtest.funding_missing('BTC-USDT-SWAP', '2023-12-30 00:00Z', '2024-01-01 12:00Z')$$,
                  $$values ('2023-12-30 00:00Z'::timestamptz, '2024-01-01 00:00Z'::timestamptz)$$, 'the start before the first row is missing');
select results_eq($$select * from backtest.funding_missing('ETH-USDT-SWAP', '2024-01-01 00:00Z', '2024-01-02 00:00Z')$$,
                  $$values ('2024-01-01 00:00Z'::timestamptz, '2024-01-02 00:00Z'::timestamptz)$$, 'no rows at all: the whole range');
select is_empty($$select * from backtest.funding_missing('BTC-USDT-SWAP', '2024-01-01 01:00Z', '2024-01-01 03:00Z')$$, 'a range between two funding times needs none');

select * from finish();
rollback;

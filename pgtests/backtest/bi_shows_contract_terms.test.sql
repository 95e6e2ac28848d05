-- pgtests/backtest/bi_shows_contract_terms.test.sql
-- A swap run's row of bi.backtest_runs and bi.backtest_leaderboard shows its contract terms, leverage,
-- funding and liquidations, a spot run's shows NULLs; bi.backtest_funding_payments lists its payments.
-- Read as candlestack_bi, which has no right on schema backtest.
begin;
select plan(9);

-- SETUP
insert into backtest.runs (kind, engine, inst_id, bar, from_ts, to_ts, fee_rate, slippage_bps, capital, lot_size,
                           candle_count, started_at)
values ('backtest', 'buy_hold', 'BTC-USDT-SWAP', '1m', '2024-01-01Z', '2024-01-02Z', 0.0005, 0, 1000, 0.01, 1440, now()),
       ('backtest', 'buy_hold', 'BTC-USDT', '1m', '2024-01-01Z', '2024-01-02Z', 0.001, 0, 1000, 0.00001, 1440, now());
create temporary table r on commit drop as
select max(id) filter (where inst_id = 'BTC-USDT-SWAP') as swap, max(id) filter (where inst_id = 'BTC-USDT') as spot
  from backtest.runs;
grant select on r to candlestack_bi;
insert into backtest.metrics (run_id, final_equity, total_return_pct, max_drawdown_pct, max_drawdown_duration, n_trades,
                              exposure_pct, fees_paid, buy_hold_return_pct, bars, span_days, annualised_reliable,
                              funding_paid, liquidations)
select id, 1010, 1, 2, 0, 1, 100, 5, 1, 1440, 1, false,
       case when id = r.swap then 1.5 end, case when id = r.swap then 1 end
  from backtest.runs, r where id in (r.swap, r.spot);
insert into backtest.run_contracts (run_id, inst_type, ct_type, ct_val, settle_ccy, leverage, maintenance_margin_ratio,
                                    funding, final_equity_quote)
select r.swap, 'SWAP', 'linear', 0.01, 'USDT', 3, 0.005, 'charged', 1010 from r;
insert into backtest.funding_payments (run_id, funding_time, rate, mark_price, contracts, amount)
select r.swap, t, rate, 40000, 2, 2 * 0.01 * 40000 * rate
  from r, (values ('2024-01-01 08:00Z'::timestamptz, 0.001), ('2024-01-01 16:00Z', 0.000875)) as v (t, rate);

-- TEST
set local role candlestack_bi;
select is((select row(inst_type, ct_type, ct_val, settle_ccy, leverage, maintenance_margin_ratio, funding_mode,
                      funding_paid, funding_payments, liquidations, final_equity_quote)::text
             from bi.backtest_runs, r where run_id = r.swap),
          '(SWAP,linear,0.01,USDT,3,0.005,charged,1.5,2,1,1010)', 'bi.backtest_runs shows a swap run''s terms and funding');
select is((select row(inst_type, ct_type, ct_val, settle_ccy, leverage, maintenance_margin_ratio, funding_mode,
                      funding_paid, funding_payments, liquidations, final_equity_quote)::text
             from bi.backtest_leaderboard, r where run_id = r.swap),
          '(SWAP,linear,0.01,USDT,3,0.005,charged,1.5,2,1,1010)', 'bi.backtest_leaderboard shows them too');
select ok((select num_nulls(inst_type, ct_type, ct_val, settle_ccy, leverage, maintenance_margin_ratio, funding_mode,
                            funding_paid, funding_payments, liquidations, final_equity_quote) = 11
             from bi.backtest_runs, r where run_id = r.spot), 'a spot run''s contract columns are NULL in bi.backtest_runs');
select ok((select num_nulls(inst_type, ct_type, ct_val, settle_ccy, leverage, maintenance_margin_ratio, funding_mode,
                            funding_paid, funding_payments, liquidations, final_equity_quote) = 11
             from bi.backtest_leaderboard, r where run_id = r.spot), 'and in bi.backtest_leaderboard');
select is((select count(*)::int from bi.backtest_leaderboard, r where run_id in (r.swap, r.spot)), 2,
          'the join to the contract terms keeps every run with metrics');
select results_eq($$select funding_time, rate, amount, cumulative_amount, settle_ccy
                      from bi.backtest_funding_payments, r where run_id = r.swap order by funding_time$$,
                  $$values ('2024-01-01 08:00Z'::timestamptz, 0.001::float8, 0.8::float8, 0.8::float8, 'USDT'),
                           ('2024-01-01 16:00Z'::timestamptz, 0.000875::float8, 0.7::float8, 1.5::float8, 'USDT')$$,
                  'bi.backtest_funding_payments lists the payments with a running sum in the settlement currency');
select is((select count(*)::int from bi.backtest_funding_payments, r where run_id = r.spot), 0, 'a spot run has no payments');
select throws_ok($$select * from backtest.funding_payments$$, '42501', null, 'bi cannot read backtest.funding_payments');
reset role;
select is((select sum(amount) from bi.backtest_funding_payments, r where run_id = r.swap),
          (select funding_paid from backtest.metrics, r where run_id = r.swap), 'the payments add up to funding_paid');

select * from finish();
rollback;

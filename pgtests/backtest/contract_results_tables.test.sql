-- pgtests/backtest/contract_results_tables.test.sql
-- Swap run results: exit_reason liquidation is accepted (others still refused), funding payments
-- and contract terms are written by the worker role, and their CHECKs hold.
begin;
select plan(9);

-- SETUP
insert into backtest.runs (kind, engine, inst_id, bar, from_ts, to_ts, fee_rate, slippage_bps, capital, lot_size,
                           candle_count, started_at)
values ('backtest', 'buy_hold', 'BTC-USDT-SWAP', '1m', '2024-01-01Z', '2024-01-02Z', 0.001, 0, 1000, 0.01, 10, now());
create temporary table r as select max(id) as id from backtest.runs;

-- TEST
select lives_ok($$insert into backtest.trades (run_id, n, side, entry_time, entry_price, exit_time, exit_price, size, pnl, return_pct, fees, exit_reason)
                  select r.id, 1, 'long', '2024-01-01Z', 100, '2024-01-01 01:00Z', 90.45, 1, -9.5, -9.5, 0.1, 'liquidation' from r$$,
                'exit_reason liquidation is accepted');
select throws_ok($$insert into backtest.trades (run_id, n, side, entry_time, entry_price, exit_time, exit_price, size, pnl, return_pct, fees, exit_reason)
                   select r.id, 2, 'long', '2024-01-01Z', 100, '2024-01-01 01:00Z', 90, 1, -10, -10, 0, 'margin_call' from r$$,
                 '23514', null, 'an unknown exit_reason is still refused');
select lives_ok($$insert into backtest.funding_payments select r.id, '2024-01-01 08:00Z', 0.0001, 100.5, -3, -0.03015 from r$$, 'a received payment');
select throws_ok($$insert into backtest.funding_payments select r.id, '2024-01-01 16:00Z', 0.0001, 0, 1, 0 from r$$, '23514', null, 'mark_price must be positive');
select throws_ok($$insert into backtest.run_contracts (run_id, inst_type, ct_type, ct_val, leverage, maintenance_margin_ratio, funding)
                   select r.id, 'SWAP', 'linear', 0.01, 3, 1, 'charged' from r$$, '23514', null, 'maintenance_margin_ratio must be below 1');
select throws_ok($$insert into backtest.run_contracts (run_id, inst_type, ct_type, ct_val, leverage, maintenance_margin_ratio, funding)
                   select r.id, 'SPOT', 'linear', 0.01, 3, 0.005, 'charged' from r$$, '23514', null, 'a spot run has no contract row');
select ok(has_table_privilege('candlestack_worker', 'backtest.funding_payments', 'INSERT')
          and has_table_privilege('candlestack_worker', 'backtest.run_contracts', 'INSERT'), 'the worker writes payments and terms');
select ok(has_column_privilege('candlestack_worker', 'backtest.metrics', 'funding_paid', 'UPDATE')
          and not has_column_privilege('candlestack_worker', 'backtest.metrics', 'sharpe', 'UPDATE'), 'the worker updates funding_paid only');
select ok(not has_table_privilege('candlestack_bi', 'backtest.funding_payments', 'SELECT'), 'bi does not read the table');

select * from finish();
rollback;

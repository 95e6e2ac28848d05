-- sql/0490_backtest_grants.sql
-- Privileges on schema backtest and the bi.backtest views for the roles of migrations/0002_roles.sql.
-- Depends on every backtest table (migrations/0007_backtest.sql, 0009, 0017, 0023), sql/0400..0441 (0420: insert_run).

revoke all on schema backtest from public;
revoke all on all tables in schema backtest from public;
revoke all on all sequences in schema backtest from public;
revoke all on all functions in schema backtest from public;

grant usage on schema backtest to candlestack_worker, candlestack_operator;
grant select on all tables in schema backtest to candlestack_worker, candlestack_operator;

-- Workers write results (and delete them only through cascades of their own runs).
grant insert on backtest.runs, backtest.trades, backtest.equity, backtest.metrics, backtest.optimizations,
  backtest.optimization_results, backtest.walk_forwards, backtest.walk_forward_windows to candlestack_worker;
grant usage on sequence backtest.runs_id_seq to candlestack_worker;
-- The store time is known only once the rows are written: the run row gets it last.
grant update (store_ms) on backtest.runs to candlestack_worker;
-- The run row goes through backtest.insert_run (named fields; replaces an earlier attempt's run).
grant execute on function backtest.insert_run(jsonb) to candlestack_worker;

-- Operators manage the named strategies, and may delete old results.
grant insert, update, delete on backtest.strategies to candlestack_operator;
grant delete on backtest.runs to candlestack_operator;

-- Pure checks, handy as dry runs and called by the strategies trigger as the writing role.
grant execute on function backtest.engine_params(text), backtest.engines(), backtest.engine_catalog(),
  backtest.param_range_text(text, numeric, boolean, numeric, boolean),
  backtest.param_value(text, text, jsonb, text, text),
  backtest.validate_params(text, jsonb, text, text), backtest.strategies_before_write()
  to candlestack_worker, candlestack_operator;

-- BI: the views only (they run with the owner's rights).
grant select on bi.backtest_leaderboard, bi.optimization_results, bi.walk_forward_results, bi.strategy_engines,
  bi.backtest_funding_payments
  to candlestack_bi, candlestack_operator, candlestack_worker;
-- bi.strategy_engines calls it as the reading role (pure arithmetic on its arguments, no table)
grant execute on function backtest.param_range_text(text, numeric, boolean, numeric, boolean) to candlestack_bi;

-- sql/0590_bi_dashboard_grants.sql
-- Privileges on the dashboard's bi objects (sql/0500, sql/0510 to sql/0513) for the three roles of migrations/0002_roles.sql.
-- Depends on every object of sql/05NN; re-run after they change.

grant select on bi.backtest_runs, bi.backtest_trades, bi.backtest_equity, bi.strategies, bi.jobs, bi.workers
  to candlestack_bi, candlestack_operator, candlestack_worker;
revoke execute on function bi.candle_buckets(text, text, timestamptz, timestamptz, integer) from public;
grant execute on function bi.candle_buckets(text, text, timestamptz, timestamptz, integer)
  to candlestack_bi, candlestack_operator, candlestack_worker;
revoke execute on function bi.candle_buckets_scan(text, text, timestamptz, timestamptz, integer) from public;
grant execute on function bi.candle_buckets_scan(text, text, timestamptz, timestamptz, integer)
  to candlestack_bi, candlestack_operator, candlestack_worker;
revoke execute on function bi.run_trades_page(bigint, text, boolean, integer, integer) from public;
grant execute on function bi.run_trades_page(bigint, text, boolean, integer, integer)
  to candlestack_bi, candlestack_operator, candlestack_worker;
revoke execute on function bi.chart_candle_buckets(text, text, timestamptz, timestamptz, integer) from public;
grant execute on function bi.chart_candle_buckets(text, text, timestamptz, timestamptz, integer)
  to candlestack_bi, candlestack_operator, candlestack_worker;

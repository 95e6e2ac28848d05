-- sql/0439_backtest_contract_grants.sql
-- Privileges on the swap backtest objects (migrations/0023, sql/0430..0432).
-- Depends on sql/0490's schema grants being re-applied after it (they grant select on every table).

revoke all on backtest.run_contracts, backtest.funding_payments from public;
grant select on backtest.run_contracts, backtest.funding_payments to candlestack_worker, candlestack_operator;
grant insert on backtest.run_contracts, backtest.funding_payments to candlestack_worker;
-- funding_paid and liquidations follow the metrics row of a contract run
grant update (funding_paid, liquidations) on backtest.metrics to candlestack_worker;
grant execute on function backtest.funding_missing(text, timestamptz, timestamptz),
  backtest.funding_events(text, timestamptz, timestamptz),
  backtest.mark_range(text, text, timestamptz, timestamptz),
  backtest.payload_contract(jsonb, text, text)
  to candlestack_worker, candlestack_operator;
grant select on market.funding_rates to candlestack_worker, candlestack_operator;

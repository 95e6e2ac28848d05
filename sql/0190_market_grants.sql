-- sql/0190_market_grants.sql
-- Privileges on the market and bi schemas for the three roles of migrations/0002_roles.sql.
-- Depends on every market and bi object (migrations/0003, 0004 and sql/01NN); re-run after they change.

-- Functions: nobody by default; the pure bar arithmetic and the instId rule stay public (CHECKs,
-- validators and views call them as whoever writes or reads).
revoke execute on all functions in schema market from public;
grant execute on function
  market.bar_interval(text), market.bar_utc_offset(text), market.bar_start(text, timestamptz),
  market.bar_next(text, timestamptz), market.bar_count(text, timestamptz, timestamptz), market.bars(),
  market.okx_ms_to_timestamptz(text), market.is_inst_id(text)
  to public;

-- Worker: reads and writes market data, runs every market function; no CREATE anywhere.
grant usage on schema market to candlestack_worker, candlestack_operator;
grant select on all tables in schema market to candlestack_worker, candlestack_operator;
grant insert, update, delete on market.candles, market.instruments, market.tickers to candlestack_worker;
grant execute on all functions in schema market to candlestack_worker;

-- Operator: reads market, manages the watchlist, reads and analyses, refreshes the views.
grant insert, update, delete on market.watchlist to candlestack_operator;
grant execute on function
  market.resample(text, text, timestamptz, timestamptz, text),
  market.gaps(text, text, timestamptz, timestamptz),
  market.refresh_views(),
  market.mark_candle_days_changed(timestamptz, timestamptz),
  market.watchlist_validate()
  to candlestack_operator;

-- BI: the bi schema's views and nothing else.
grant usage on schema bi to candlestack_bi, candlestack_operator, candlestack_worker;

-- candlestack_bi needs USAGE on schema market, and nothing else in it: market.candles' CHECK
-- constraints call the inlinable bar functions (market.bar_start...), and the planner inlines them
-- as the reading role when it checks which monthly partitions a query on bi.candles can skip
-- (constraint_exclusion = partition). Without USAGE, those queries fail with 42501 "permission
-- denied for schema market". USAGE grants no access to any table: SELECT on market's tables stays
-- with the worker and operator roles (pgtests/roles/market_bi_role.test.sql proves it).
grant usage on schema market to candlestack_bi;
grant select on all tables in schema bi to candlestack_bi, candlestack_operator, candlestack_worker;

-- Definer functions: explicit, never PUBLIC.
revoke execute on function market.ensure_candle_partitions(timestamptz, timestamptz) from public;
-- the routine behind both partition wrappers (the worker has it with the rest of market; it serves only those two tables)
revoke execute on function market.ensure_monthly_partitions(regclass, timestamptz, timestamptz) from public;
revoke execute on function market.refresh_views() from public;
revoke execute on function market.mark_candle_days_changed(timestamptz, timestamptz) from public;
revoke execute on function market.log_candle_changes() from public;
revoke execute on function market.candle_close_time(text, timestamptz) from public;
-- bi.candles calls it for its readers (pure arithmetic; definer only to avoid USAGE on market)
grant execute on function market.candle_close_time(text, timestamptz)
  to candlestack_bi, candlestack_operator, candlestack_worker;
grant execute on function market.ensure_candle_partitions(timestamptz, timestamptz) to candlestack_worker;

-- migrations/0024_backtest_optimize_contracts.sql
-- Kinds optimize and walk_forward simulate swaps and futures as kind backtest does (sizes in
-- contracts, funding, leverage, liquidation; sql/0413, sql/0414 now call backtest.payload_contract),
-- so the refusal of a contract instrument, backtest.payload_spot_only (sql/0430 until now), goes.
-- squawk: dropping a function no session depends on; the validators that called it are replaced
-- by the repeatable files applied after the migrations.
-- squawk-ignore-file ban-drop-function

set local search_path = pg_catalog, pg_temp;
set local lock_timeout = '10s';
set local statement_timeout = '1min';

drop function if exists backtest.payload_spot_only(jsonb, text);

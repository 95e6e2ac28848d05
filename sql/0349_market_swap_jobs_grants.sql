-- sql/0349_market_swap_jobs_grants.sql
-- Privileges on the swap watchlist automation of sql/0345 (queue functions are closed by default, migrations/0005).
-- Depends on sql/0340, 0341 and 0345 and the roles of migrations/0002_roles.sql.

revoke execute on function market.watchlist_swap_jobs() from public;
grant execute on function market.watchlist_swap_jobs() to candlestack_operator;
grant execute on function market.watchlist_swap_schedule_names(text, text) to public;
revoke execute on function market.watchlist_swap_catch_up() from public;

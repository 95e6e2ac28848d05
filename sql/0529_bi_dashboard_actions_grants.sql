-- sql/0529_bi_dashboard_actions_grants.sql
-- Privileges on bi.dashboard_actions (sql/0520) and bi.strategy_parameters (sql/0521) for the roles of
-- migrations/0002_roles.sql: every role may ask what it may do and read the form's parameters.

revoke execute on function bi.dashboard_actions() from public;
grant execute on function bi.dashboard_actions() to candlestack_bi, candlestack_operator, candlestack_worker;
grant select on bi.strategy_parameters to candlestack_bi, candlestack_operator, candlestack_worker;

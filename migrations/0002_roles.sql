-- migrations/0002_roles.sql
-- The three group roles a DBA grants to real logins. Depends on nothing.
-- Roles are cluster-wide: created only when missing, so every database of a cluster can migrate.

-- squawk: this file creates roles and changes privileges: catalog rows only, the lock on
-- schema public is held for an instant.
-- `candlestack migrate` applies it in one transaction before anything uses these objects, so no
-- statement waits behind live traffic: lock_timeout/statement_timeout would only add ways to fail.
-- squawk-ignore-file require-lock-timeout, require-statement-timeout

-- Unqualified names below (now(), jsonb, =, ...) resolve in pg_catalog whatever search_path the
-- migrating session has; `local`: the migrator's transaction for this file only.
set local search_path = pg_catalog, pg_temp;

do $$
declare
  v_role text;
begin
  foreach v_role in array array['candlestack_worker', 'candlestack_operator', 'candlestack_bi'] loop
    if not exists (select 1 from pg_catalog.pg_roles where rolname = v_role) then
      begin
        execute pg_catalog.format('create role %I nologin', v_role);
      exception when duplicate_object or unique_violation then
        null; -- another database of this cluster created it at the same moment
      end;
    end if;
  end loop;
end;
$$;

comment on role candlestack_worker is
  'Candlestack workers: read and write market data, jobs and backtest results; no DDL.';
comment on role candlestack_operator is
  'Candlestack operators: enqueue, cancel and rerun jobs; manage the watchlist and strategies; read everything; never write candles.';
comment on role candlestack_bi is
  'Candlestack BI tools: SELECT on the bi schema and nothing else.';

-- Nobody but the owner creates objects in public.
revoke create on schema public from public;

grant usage on schema meta to candlestack_worker, candlestack_operator;
grant select on meta.schema_migrations, meta.repeatable_files to candlestack_worker, candlestack_operator;

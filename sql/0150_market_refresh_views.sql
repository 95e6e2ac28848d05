-- sql/0150_market_refresh_views.sql
-- market.refresh_views: refresh every materialized view of schema bi.
-- Depends on the bi materialized views (migrations/0004_bi.sql), each with a unique index.

create or replace function market.refresh_views()
returns table (view_name text, refreshed_concurrently boolean)
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_view record;
begin
  for v_view in
    select c.oid::pg_catalog.regclass::pg_catalog.text as name, c.relispopulated as populated
      from pg_catalog.pg_class as c
      join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
     where n.nspname = 'bi' and c.relkind = 'm'
     order by c.relname
  loop
    if v_view.populated then
      execute pg_catalog.format('refresh materialized view concurrently %s', v_view.name);
    else
      execute pg_catalog.format('refresh materialized view %s', v_view.name);
    end if;
    view_name := v_view.name;
    refreshed_concurrently := v_view.populated;
    return next;
  end loop;
end;
$$;
comment on function market.refresh_views() is
$$Refresh every materialized view in schema bi; returns each view and whether it refreshed concurrently.

Concurrently (readers are not blocked) when the view is populated, plainly when it is not yet
(CONCURRENTLY refuses an unpopulated view). SECURITY DEFINER because a refresh needs ownership;
execute is granted to candlestack_worker and candlestack_operator only.$$;

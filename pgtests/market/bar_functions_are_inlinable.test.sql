-- pgtests/market/bar_functions_are_inlinable.test.sql
-- The bar arithmetic used by CHECKs is immutable plain SQL without a SET clause, so the planner inlines it.
begin;
select plan(2);

-- SETUP
create function pg_temp.plan_of(query text) returns text language plpgsql as $f$
declare
  v_line text;
  v_plan text := '';
begin
  for v_line in execute 'explain (verbose, costs off) ' || query loop
    v_plan := v_plan || v_line || ' ';
  end loop;
  return v_plan;
end;
$f$;

-- TEST
select is_empty($$ select p.proname from pg_proc p
                    where p.pronamespace = 'market'::regnamespace
                      and p.proname in ('bar_interval', 'bar_utc_offset', 'bar_start', 'bar_next')
                      and (p.prolang <> (select oid from pg_language where lanname = 'sql')
                           or p.provolatile <> 'i' or p.proconfig is not null or p.prosecdef or p.proisstrict) $$,
                'bar_interval, bar_utc_offset, bar_start, bar_next are inlinable');
select unalike(pg_temp.plan_of($$ select * from market.candles where ts = market.bar_start('1D', ts) $$),
               '%bar_start%', 'a query calling bar_start shows the inlined expression, not the function');

select * from finish();
rollback;

-- pgtests/backtest/every_object_is_commented.test.sql
-- The backtest views exist and every view, view column, backtest table and function has a COMMENT.
begin;
select plan(6);

-- TEST
select has_view('bi', 'backtest_leaderboard', 'bi.backtest_leaderboard exists');
select has_view('bi', 'optimization_results', 'bi.optimization_results exists');
select has_view('bi', 'walk_forward_results', 'bi.walk_forward_results exists');
select is_empty($$
  select c.relname || '.' || a.attname
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
   where n.nspname = 'bi' and c.relname in ('backtest_leaderboard', 'optimization_results', 'walk_forward_results')
     and col_description(c.oid, a.attnum) is null $$, 'every column of the backtest views is commented');
select is_empty($$
  select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
   where (n.nspname = 'backtest' and c.relkind in ('r', 'p', 'v')
          or n.nspname = 'bi' and c.relname in ('backtest_leaderboard', 'optimization_results', 'walk_forward_results'))
     and obj_description(c.oid, 'pg_class') is null $$, 'every backtest table and view is commented');
select is_empty($$
  select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
   where n.nspname = 'backtest' and obj_description(p.oid, 'pg_proc') is null $$, 'every backtest function is commented');

select * from finish();
rollback;

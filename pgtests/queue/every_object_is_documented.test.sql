-- pgtests/queue/every_object_is_documented.test.sql
-- Every queue table, function and view has a COMMENT shaped title, blank line, body (or a one-line title).
begin;
select plan(4);

-- TEST
select is((select array_agg(c.relname::text) from pg_class c
            where c.relnamespace = 'queue'::regnamespace and c.relkind in ('r', 'v', 'm')
              and obj_description(c.oid, 'pg_class') is null), null, 'every table and view in queue has a comment');
select is((select array_agg(p.oid::regprocedure::text) from pg_proc p
            where p.pronamespace = 'queue'::regnamespace and obj_description(p.oid, 'pg_proc') is null), null,
          'every function in queue has a comment');
select is((select array_agg(p.oid::regprocedure::text) from pg_proc p
            where p.pronamespace = 'queue'::regnamespace
              and not exists (select 1 from unnest(p.proconfig) as c where c = 'search_path=""')), null,
          'every function in queue sets search_path = ''''');
select is((select array_agg(p.oid::regprocedure::text) from pg_proc p
            where p.pronamespace = 'queue'::regnamespace
              and split_part(obj_description(p.oid, 'pg_proc'), E'\n', 2) <> ''), null,
          'function comments are a title line, then a blank line');

select * from finish();
rollback;

-- pgtests/bi/every_bi_object_is_commented.test.sql
-- Every view of schema bi and every one of its columns carries a COMMENT (BI tools show them).
begin;
select plan(2);

-- TEST
select is_empty($$ select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                    where n.nspname = 'bi' and c.relkind in ('v', 'm') and obj_description(c.oid, 'pg_class') is null $$,
                'every bi view has a comment');
select is_empty($$ select c.relname || '.' || a.attname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                    where n.nspname = 'bi' and c.relkind in ('v', 'm') and col_description(c.oid, a.attnum) is null $$,
                'every bi column has a comment');

select * from finish();
rollback;

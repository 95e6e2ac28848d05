-- pgtests/meta/records_what_was_applied.test.sql
-- meta.schema_migrations and meta.repeatable_files record every applied file, with checksums.
begin;
select plan(7);

-- TEST
select has_table('meta', 'schema_migrations', 'meta.schema_migrations exists');
select has_table('meta', 'repeatable_files', 'meta.repeatable_files exists');
select is((select min(version) from meta.schema_migrations), 1, 'the first migration is recorded');
select is((select count(*) from meta.schema_migrations), (select max(version)::bigint from meta.schema_migrations),
          'every migration version from 1 up is recorded once');
select ok((select bool_and(path ~ '^sql/[0-9]{4}_[a-z0-9_]+\.sql$') from meta.repeatable_files) and
          (select count(*) > 0 from meta.repeatable_files), 'repeatable files are recorded by path');
select ok(obj_description('meta.schema_migrations'::regclass, 'pg_class') is not null and
          obj_description('meta.repeatable_files'::regclass, 'pg_class') is not null, 'both tables are documented');
select ok(now() >= (select max(applied_at) from meta.schema_migrations), 'applied_at is in the past');

select * from finish();
rollback;

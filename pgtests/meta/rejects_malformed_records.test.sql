-- pgtests/meta/rejects_malformed_records.test.sql
-- meta's CHECKs refuse a checksum that is not hex SHA-256, a negative duration and an odd path.
begin;
select plan(4);

-- TEST
select lives_ok($$ insert into meta.schema_migrations (version, name, sha256, duration_ms)
                   values (9001, 'test', repeat('a', 64), 1.5) $$, 'a sound record is stored');
select throws_ok($$ insert into meta.schema_migrations (version, name, sha256, duration_ms)
                    values (9002, 'test', 'not-a-checksum', 1) $$, '23514', null, 'a non-hex checksum is refused');
select throws_ok($$ insert into meta.schema_migrations (version, name, sha256, duration_ms)
                    values (9003, 'test', repeat('b', 64), -1) $$, '23514', null, 'a negative duration is refused');
select throws_ok($$ insert into meta.repeatable_files (path, sha256, duration_ms)
                    values ('functions.sql', repeat('c', 64), 1) $$, '23514', null, 'a path outside sql/NNNN_name.sql is refused');

select * from finish();
rollback;

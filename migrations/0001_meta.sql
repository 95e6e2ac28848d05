-- migrations/0001_meta.sql
-- The meta schema: what `candlestack migrate` has applied. Depends on nothing.
-- Written with IF NOT EXISTS because the migrator bootstraps it before it can record it.

-- squawk: this file creates the meta schema and its two tables.
-- `candlestack migrate` applies it in one transaction before anything uses these objects, so no
-- statement waits behind live traffic: lock_timeout/statement_timeout would only add ways to fail.
-- squawk-ignore-file require-lock-timeout, require-statement-timeout

-- Unqualified names below (now(), jsonb, =, ...) resolve in pg_catalog whatever search_path the
-- migrating session has; `local`: the migrator's transaction for this file only.
set local search_path = pg_catalog, pg_temp;

create schema if not exists meta;
comment on schema meta is
$$Schema bookkeeping.

Which versioned migrations and repeatable files `candlestack migrate` applied, with checksums.$$;

create table if not exists meta.schema_migrations (
  -- squawk: the NNNN prefix of a file name, at most 9999.
  -- squawk-ignore prefer-bigint-over-int
  version     integer     primary key,
  name        text        not null,
  sha256      text        not null constraint schema_migration_sha256_is_hex check (sha256 ~ '^[0-9a-f]{64}$'),
  applied_at  timestamptz not null default now(),
  duration_ms numeric     not null constraint schema_migration_duration_is_positive check (duration_ms >= 0),
  applied_by  text        not null default current_user
);
comment on table meta.schema_migrations is
$$Versioned migrations applied to this database.

One row per migrations/NNNN_name.sql file, written in the same transaction as the file itself.
A file whose sha256 no longer matches its row is refused by the migrator: migrations never change.$$;
comment on column meta.schema_migrations.version is 'The NNNN prefix of the file name: the order of application.';
comment on column meta.schema_migrations.sha256 is 'Hex SHA-256 of the file''s UTF-8 text when it was applied.';
comment on column meta.schema_migrations.duration_ms is 'How long the file took to apply, in milliseconds.';

create table if not exists meta.repeatable_files (
  path        text        primary key constraint repeatable_file_path_is_sql check (path ~ '^sql/[0-9]{4}_[a-z0-9_]+\.sql$'),
  sha256      text        not null constraint repeatable_file_sha256_is_hex check (sha256 ~ '^[0-9a-f]{64}$'),
  applied_at  timestamptz not null default now(),
  duration_ms numeric     not null constraint repeatable_file_duration_is_positive check (duration_ms >= 0)
);
comment on table meta.repeatable_files is
$$Repeatable files (functions, triggers, plain views, grants) last applied.

The migrator re-applies a sql/NNNN_name.sql file whenever its sha256 differs from this row.$$;
comment on column meta.repeatable_files.path is 'Path relative to the schema root, e.g. sql/0100_market_bars.sql.';
comment on column meta.repeatable_files.sha256 is 'Hex SHA-256 of the file''s UTF-8 text when it was last applied.';

-- migrations/0019_stream_leases.sql
-- Stream processes (`candlestack stream`) and the series each holds: market.stream_holders
-- (one heartbeat row per live process) and market.stream_leases (one row per held series).
-- Functions in sql/0330 (leases) and sql/0332 (gap fill after a connect).
-- Depends on 0003_market.sql (market.watchlist, market.bar_interval).
set local search_path = pg_catalog, pg_temp;
set local lock_timeout = '10s';
set local statement_timeout = '10min';

create table market.stream_holders (
  holder      text        not null
                          constraint stream_holders_holder_is_named check (length(holder) between 1 and 200),
  seen_until  timestamptz not null,
  started_at  timestamptz not null default now(),
  constraint stream_holders_pkey primary key (holder)
);
comment on table market.stream_holders is
$$One row per stream process that is (or was recently) alive: its heartbeat.

market.stream_lease_take writes it on every call. A holder whose seen_until has passed is dead:
its leases may be taken by the others. Fair shares of the enabled watchlist are computed over
the live holders.$$;
comment on column market.stream_holders.holder is 'The process''s name (host:pid:start time), unique per process.';
comment on column market.stream_holders.seen_until is 'The holder counts as alive until then (renewed by each take).';

create table market.stream_leases (
  inst_id     text        not null,
  bar         text        not null,
  holder      text        not null,
  expires_at  timestamptz not null,
  taken_at    timestamptz not null default now(),
  constraint stream_leases_pkey primary key (inst_id, bar),
  constraint stream_leases_series_fkey foreign key (inst_id, bar)
    references market.watchlist (inst_id, bar) on delete cascade,
  constraint stream_leases_holder_fkey foreign key (holder)
    references market.stream_holders (holder) on delete cascade
);
create index stream_leases_holder_idx on market.stream_leases (holder);
comment on table market.stream_leases is
$$Which stream process holds which watchlist series: at most one live holder per series.

Taken and renewed by market.stream_lease_take, released by market.stream_lease_release. A lease
whose expires_at has passed belongs to nobody: the next take by another process gets it. Deleting
the watchlist entry or the holder deletes the lease.$$;
comment on column market.stream_leases.expires_at is 'The lease is void after this time unless renewed.';
comment on column market.stream_leases.taken_at is 'When the current holder took the series.';

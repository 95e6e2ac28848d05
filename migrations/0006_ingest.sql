-- migrations/0006_ingest.sql
-- OKX ingest state: the shared per-IP rate-limit log and what OKX said about the start of an instrument's history.
-- Depends on 0003_market.sql (schema market); functions live in sql/03NN, grants in sql/0390_ingest_grants.sql.
-- squawk: this file only creates two new tables, which no session uses yet: nothing waits on a lock
-- held by live traffic, so lock_timeout/statement_timeout would only add ways to fail.
-- squawk-ignore-file require-lock-timeout, require-statement-timeout

create unlogged table market.okx_rate_limits (
  rate_key   text          not null
                           constraint okx_rate_limit_rate_key_is_not_empty check (rate_key <> ''),
  endpoint   text          not null
                           constraint okx_rate_limit_endpoint_is_not_empty check (endpoint <> ''),
  grants     timestamptz[] not null default '{}',
  refusals   bigint        not null default 0,
  updated_at timestamptz   not null default now(),
  constraint okx_rate_limits_pkey primary key (rate_key, endpoint)
);
comment on table market.okx_rate_limits is
$$The OKX request budget shared by every worker that leaves through one IP: a sliding-window log.

OKX limits public endpoints per IP, so every slot of every worker process on a host takes its
requests from here through market.okx_rate_acquire: one row per (rate_key, endpoint) holding the
times of the recent grants. rate_key names the IP's share (the worker's --rate-key, by default
the host name). UNLOGGED: the log is worthless after a crash (its grants are seconds old), and
without WAL a grant commits without waiting for a disk flush, which keeps the time between a
grant and its request short.$$;
comment on column market.okx_rate_limits.rate_key is 'Whose budget: one key per outgoing IP (default: the host name).';
comment on column market.okx_rate_limits.endpoint is 'OKX endpoint name as the client calls it: candles, history-candles, instruments, tickers, time.';
comment on column market.okx_rate_limits.grants is
$$Times of the grants still inside the window (+ margin), oldest first.

Never longer than the endpoint's request limit: older grants are dropped at each acquisition.$$;
comment on column market.okx_rate_limits.refusals is 'How many acquisitions had to wait (for diagnostics).';
comment on column market.okx_rate_limits.updated_at is 'When the last acquisition (granted or not) was decided, by the database clock.';

create table market.candle_history_starts (
  inst_id     text        not null
                          constraint candle_history_start_inst_id_is_well_formed check (inst_id ~ '^[A-Z0-9]+(-[A-Z0-9]+){1,3}$'),
  bar         text        not null
                          constraint candle_history_start_bar_is_known check (market.bar_interval(bar) is not null),
  first_ts    timestamptz not null,
  observed_at timestamptz not null default now(),
  constraint candle_history_starts_pkey primary key (inst_id, bar)
);
comment on table market.candle_history_starts is
$$Where OKX's candle history of an instrument and bar begins.

Written when /market/history-candles answers "nothing older" (an empty page): first_ts is the
open time of the oldest candle OKX has. Backfills start at or after it, so the pre-listing past
of an instrument is not asked for again and again.$$;
comment on column market.candle_history_starts.first_ts is 'Open time of the oldest candle OKX serves (nothing older exists).';
comment on column market.candle_history_starts.observed_at is 'When OKX last answered that nothing is older than first_ts.';

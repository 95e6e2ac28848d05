-- migrations/0016_candle_notify_state.sql
-- market.candle_notify_state: the per-series throttle of NOTIFY market_candles (sql/0331).
-- Depends on nothing but the market schema (migrations/0003).
set local search_path = pg_catalog, pg_temp;
set local lock_timeout = '10s';
set local statement_timeout = '10min';

create unlogged table market.candle_notify_state (
  inst_id      text        not null,
  bar          text        not null,
  notified_at  timestamptz not null,
  ts           timestamptz not null,
  confirmed    boolean     not null,
  constraint candle_notify_state_pkey primary key (inst_id, bar)
);
comment on table market.candle_notify_state is
$$The last NOTIFY market_candles sent per series (market.notify_candle), for its throttle.

Unlogged: after a crash it starts empty, which only lets one extra notification through.$$;
comment on column market.candle_notify_state.notified_at is 'When the last notification of the series was sent.';
comment on column market.candle_notify_state.ts is 'Open time of the candle last notified.';
comment on column market.candle_notify_state.confirmed is 'Whether the candle last notified was confirmed.';

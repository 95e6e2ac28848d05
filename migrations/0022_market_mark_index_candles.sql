-- migrations/0022_market_mark_index_candles.sql
-- market.mark_index_candles: OKX's mark-price and index candles, monthly partitions like market.candles.
-- Depends on 0003_market.sql (bar arithmetic) and 0008 (market.is_inst_id); functions in sql/0171-0174, grants in sql/0179.
-- squawk: this file only creates a new partitioned table, which no session uses yet: nothing waits
-- on a lock held by live traffic, so lock_timeout/statement_timeout would only add ways to fail.
-- squawk-ignore-file require-lock-timeout, require-statement-timeout
--
-- Why a table of their own, with the price type in its key, rather than a price-type column in
-- market.candles:
-- - market.candles' key (inst_id, bar, ts) cannot take a new column without rebuilding the
--   primary key of every monthly partition of the biggest table (ACCESS EXCLUSIVE for the whole
--   rebuild), and every reader (backtests' CandleLoader, bi.candles, market.gaps, resample, the
--   upsert) would then have to filter on it or silently mix mark prices into trade candles.
-- - Mark and index rows are [ts,o,h,l,c,confirm]: no volume, while market.candles.volume is NOT
--   NULL and its volume CHECKs mean something only for trades.
-- - Mark and index candles have the same shape as each other, so they share one table with
--   price_type ('mark' or 'index') in the key; an index candle is stored under the index's own
--   instId (BTC-USDT for BTC-USDT-SWAP's index), as OKX names it.
-- The alignment, partitioning (UTC months, no default partition), price CHECKs and gap tools
-- (market.mark_index_gaps, the same contract as market.gaps) are those of market.candles.

set local search_path = pg_catalog, pg_temp;

create table market.mark_index_candles (
  ts          timestamptz not null,
  ingested_at timestamptz not null default now(),
  confirmed   boolean     not null default true,
  price_type  text        not null,
  inst_id     text        not null,
  bar         text        not null,
  open        numeric     not null,
  high        numeric     not null,
  low         numeric     not null,
  close       numeric     not null,
  constraint mark_index_candles_pkey primary key (inst_id, price_type, bar, ts),
  constraint mark_index_candle_price_type_is_known check (price_type in ('mark', 'index')),
  constraint mark_index_candle_inst_id_is_well_formed check (market.is_inst_id(inst_id)),
  constraint mark_index_candle_bar_is_known check (market.bar_interval(bar) is not null),
  constraint mark_index_candle_ts_is_on_bar_grid check (ts = market.bar_start(bar, ts)),
  constraint mark_index_candle_prices_are_positive check (open > 0 and high > 0 and low > 0 and close > 0),
  -- NaN sorts above every number and PG15 numeric takes 'Infinity': both are >= 'Infinity'
  constraint mark_index_candle_prices_are_finite check (
    open < 'Infinity'::numeric and high < 'Infinity'::numeric and low < 'Infinity'::numeric and close < 'Infinity'::numeric),
  constraint mark_index_candle_high_is_highest check (high >= greatest(open, close, low)),
  constraint mark_index_candle_low_is_lowest check (low <= least(open, close))
) partition by range (ts);
comment on table market.mark_index_candles is
$$OKX mark-price and index candles, one row per (inst_id, price_type, bar, ts), partitioned by month of ts.

price_type 'mark': GET /api/v5/market/mark-price-candles and history-mark-price-candles of a
swap or future (inst_id BTC-USDT-SWAP); 'index': /market/index-candles and history-index-candles
of an index (inst_id BTC-USDT, the swap's uly). Same bar alignment, CHECKs and monthly partitions
(market.mark_index_candles_yYYYYmMM, made by market.ensure_mark_index_candle_partitions) as
market.candles; no volume (OKX sends none). Write with market.create_mark_index_candle_staging +
COPY + market.upsert_mark_index_candles. Kept apart from market.candles so trade candles are never
mixed with mark prices (see migrations/0022's header).$$;
comment on column market.mark_index_candles.ts is 'The candle''s open time (OKX ts), on the bar''s grid (market.bar_start).';
comment on column market.mark_index_candles.ingested_at is 'When this version of the row was written.';
comment on column market.mark_index_candles.confirmed is
$$True once OKX closed the candle (confirm = "1"); a confirmed candle is never turned back into an unconfirmed one.$$;
comment on column market.mark_index_candles.price_type is 'mark (the mark price OKX liquidates and funds at) or index (the spot index the mark follows).';
comment on column market.mark_index_candles.inst_id is 'The swap or future for mark candles (BTC-USDT-SWAP), the index for index candles (BTC-USDT).';
comment on column market.mark_index_candles.bar is 'OKX bar name, one of market.bars().';

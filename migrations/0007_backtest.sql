-- migrations/0007_backtest.sql
-- Backtest tables: strategies (named parameter sets), runs and their trades, equity and metrics,
-- optimisation grids and walk-forward windows. Depends on 0002_roles, 0003_market, 0005_queue.
-- Validators, triggers, views and grants live in sql/04NN_backtest_*.sql.

-- squawk: this file creates the backtest schema: every table and index is new.
-- `candlestack migrate` applies it in one transaction before anything uses these objects, so no
-- statement waits behind live traffic: lock_timeout/statement_timeout would only add ways to fail.
-- squawk-ignore-file require-lock-timeout, require-statement-timeout

-- Unqualified names below resolve in pg_catalog whatever search_path the migrating session has.
set local search_path = pg_catalog, pg_temp;

create schema backtest;
comment on schema backtest is
$$Backtests of trading strategies on stored candles.

Operators name parameter sets in backtest.strategies and queue jobs of kind backtest, optimize
or walk_forward; workers store each run's trades, equity curve and metrics here. BI tools read
the bi.backtest_* views, never this schema.$$;

alter default privileges in schema backtest revoke execute on functions from public;

create table backtest.strategies (
  name        text        primary key
                          constraint strategy_name_is_identifier check (name ~ '^[a-z0-9][a-z0-9_.-]{0,62}$'),
  engine      text        not null
                          constraint strategy_engine_is_known check (engine in (
                            'buy_hold', 'sma_cross', 'ema_cross', 'rsi_reversion', 'bollinger_breakout',
                            'macd_cross', 'donchian_breakout')),
  params      jsonb       not null default '{}'
                          constraint strategy_params_is_object check (jsonb_typeof(params) = 'object'),
  description text,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
comment on table backtest.strategies is
$$Named strategy parameter sets: an engine and its parameters.

params is validated at INSERT and UPDATE by backtest.validate_params (trigger
strategies_validate): unknown or bad parameters are refused with SQLSTATE 23514 naming the
parameter. A backtest job can name a strategy instead of spelling out engine and params.$$;
comment on column backtest.strategies.engine is 'Engine name, as in Sources/Backtest (Engine): buy_hold, sma_cross, ema_cross, rsi_reversion, bollinger_breakout, macd_cross, donchian_breakout.';
comment on column backtest.strategies.params is
$$Engine parameters plus the options every engine takes.

sma_cross/ema_cross: fast, slow; rsi_reversion: period, lower, upper; bollinger_breakout:
period, k; macd_cross: fast, slow, signal; donchian_breakout: entry, exit; all engines:
stop_loss_pct, take_profit_pct (percent), allow_short (boolean). See docs/metrics.md.$$;

create table backtest.runs (
  id            bigint      generated always as identity primary key,
  job_id        bigint      references queue.jobs (id) on delete set null,
  kind          text        not null
                            constraint run_kind_is_known check (kind in ('backtest', 'optimize', 'walk_forward')),
  strategy      text        references backtest.strategies (name) on update cascade on delete set null,
  engine        text        not null,
  params        jsonb
                            constraint run_params_is_object check (jsonb_typeof(params) = 'object'),
  inst_id       text        not null,
  bar           text        not null,
  from_ts       timestamptz not null,
  to_ts         timestamptz not null,
  fee_rate      double precision not null,
  slippage_bps  double precision not null,
  capital       double precision not null
                            constraint run_capital_is_positive check (capital > 0),
  lot_size      double precision not null,
  candle_count  bigint      not null
                            constraint run_candle_count_is_not_negative check (candle_count >= 0),
  gap_count     bigint      not null default 0,
  missing_bars  bigint      not null default 0,
  resampled     boolean     not null default false,
  status        text        not null default 'succeeded'
                            constraint run_status_is_known check (status in ('succeeded', 'no_result')),
  note          text,
  started_at    timestamptz not null,
  finished_at   timestamptz not null default now(),
  load_ms       double precision,
  compute_ms    double precision,
  store_ms      double precision,
  constraint run_range_is_ordered check (from_ts < to_ts)
);
comment on table backtest.runs is
$$One stored backtest result: what ran, on which candles, and how long each phase took.

kind backtest: one strategy run. kind optimize: the full run of the grid's best combination
(params null and status no_result when no combination qualified); every combination is in
backtest.optimization_results. kind walk_forward: the stitched out-of-sample run (params null:
each window has its own winner, see backtest.walk_forward_windows). Trades, equity and metrics
of every kind hang off the run id.$$;
comment on column backtest.runs.job_id is 'The queue job that produced the run (null once the job was pruned).';
comment on column backtest.runs.strategy is 'The backtest.strategies name the job referred to, or null for inline engine + params.';
comment on column backtest.runs.params is 'Effective parameters (options included, allow_short as boolean) of the run; null for walk_forward and for an optimize without a winner.';
comment on column backtest.runs.from_ts is 'Start of the requested candle range (inclusive).';
comment on column backtest.runs.to_ts is 'End of the requested candle range (exclusive).';
comment on column backtest.runs.candle_count is 'Candles the run evaluated (loaded from market.candles or resampled from 1m).';
comment on column backtest.runs.gap_count is 'Runs of missing bars in [from_ts, to_ts) reported by market.gaps; 0 means the candles are contiguous.';
comment on column backtest.runs.missing_bars is 'Bars missing in [from_ts, to_ts), the sum of market.gaps missing_count.';
comment on column backtest.runs.resampled is 'True when the bar was not stored and the candles were built from 1m with market.resample.';
comment on column backtest.runs.status is 'succeeded, or no_result when the run produced no strategy result (an optimize where no combination qualified).';
comment on column backtest.runs.note is 'Human-readable remarks: gaps, resampling, skipped combinations.';
comment on column backtest.runs.load_ms is 'Milliseconds to load the candles from the database into columns.';
comment on column backtest.runs.compute_ms is 'Milliseconds in the engine (one run, the grid, or every walk-forward window).';
comment on column backtest.runs.store_ms is 'Milliseconds to write the run, trades, equity and metrics (measured before the commit).';

create index runs_job_id on backtest.runs (job_id);
create index runs_instrument on backtest.runs (inst_id, bar, finished_at desc);

create table backtest.trades (
  run_id      bigint           not null references backtest.runs (id) on delete cascade,
  n           bigint           not null,
  side        text             not null constraint trade_side_is_known check (side in ('long', 'short')),
  entry_time  timestamptz      not null,
  entry_price double precision not null,
  exit_time   timestamptz      not null,
  exit_price  double precision not null,
  size        double precision not null constraint trade_size_is_positive check (size > 0),
  pnl         double precision not null,
  return_pct  double precision not null,
  fees        double precision not null constraint trade_fees_are_not_negative check (fees >= 0),
  exit_reason text             not null
                               constraint trade_exit_reason_is_known check (exit_reason in ('signal', 'stop', 'take', 'open')),
  primary key (run_id, n),
  constraint trade_exit_is_not_before_entry check (exit_time >= entry_time)
);
comment on table backtest.trades is
$$The trades of a run, numbered from 1.

A position still open at the end is the last row, exit_reason open: marked at the last close
without exit fee, not a closed trade in the metrics (docs/metrics.md).$$;
comment on column backtest.trades.entry_time is 'Open time of the bar whose open filled the entry.';
comment on column backtest.trades.exit_time is 'Open time of the bar in which the exit filled (the last bar for an open position).';
comment on column backtest.trades.size is 'Quantity in base currency, positive for both sides.';
comment on column backtest.trades.pnl is 'Profit in quote currency after entry and exit fees.';
comment on column backtest.trades.return_pct is 'pnl / (size x entry_price) x 100.';
comment on column backtest.trades.exit_reason is 'signal (opposite signal), stop (stop-loss), take (take-profit) or open (still open at the end).';

create table backtest.equity (
  run_id       bigint           not null references backtest.runs (id) on delete cascade,
  ts           timestamptz      not null,
  equity       double precision not null,
  drawdown_pct double precision not null constraint equity_drawdown_in_range check (drawdown_pct >= 0),
  primary key (run_id, ts)
);
comment on table backtest.equity is
$$A run's equity curve, downsampled to at most 2,000 points.

EquityCurve.downsample keeps each bucket's first, last, lowest, highest and deepest-drawdown
bar, so the global extremes survive (docs/metrics.md, "Equity curve for storage").$$;
comment on column backtest.equity.ts is 'Open time of the bar; equity is marked at its close.';
comment on column backtest.equity.drawdown_pct is 'Fall from the running peak (starting capital included), percent, computed on the full series.';

create table backtest.metrics (
  run_id                 bigint           primary key references backtest.runs (id) on delete cascade,
  final_equity           double precision not null,
  total_return_pct       double precision not null,
  cagr_pct               double precision,
  volatility_ann_pct     double precision,
  sharpe                 double precision,
  sortino                double precision,
  calmar                 double precision,
  max_drawdown_pct       double precision not null,
  max_drawdown_duration  bigint           not null,
  n_trades               bigint           not null,
  win_rate_pct           double precision,
  profit_factor          double precision,
  expectancy             double precision,
  avg_trade_pct          double precision,
  best_trade_pct         double precision,
  worst_trade_pct        double precision,
  exposure_pct           double precision not null,
  fees_paid              double precision not null,
  buy_hold_return_pct    double precision not null,
  bars                   bigint           not null,
  span_days              double precision not null,
  annualised_reliable    boolean          not null
);
comment on table backtest.metrics is
$$Summary metrics of a run, one column per metric of docs/metrics.md (Metrics.rows).

Undefined values are NULL, never NaN. Annualised figures (cagr_pct, volatility_ann_pct, sharpe,
sortino, calmar) are indicative only when annualised_reliable is false.$$;
comment on column backtest.metrics.max_drawdown_duration is 'Longest time from a peak to its recovery (or the last bar), in milliseconds.';
comment on column backtest.metrics.n_trades is 'Closed trades; an open position at the end is not counted.';
comment on column backtest.metrics.bars is 'Bars evaluated.';
comment on column backtest.metrics.span_days is 'Time covered: last open - first open + one bar, in days.';
comment on column backtest.metrics.annualised_reliable is 'False when the span is under 30 days or there are fewer than 30 closed trades.';

create table backtest.optimizations (
  run_id       bigint  primary key references backtest.runs (id) on delete cascade,
  grid         jsonb   not null,
  fixed_params jsonb   not null default '{}',
  objective    text    not null,
  min_trades   bigint  not null,
  combinations bigint  not null,
  skipped      bigint  not null,
  best_n       bigint
);
comment on table backtest.optimizations is
$$The grid search behind a run of kind optimize.

combinations = the grid's product of value counts; skipped = those refused by parameter
validation (e.g. fast >= slow); best_n = the winning row of backtest.optimization_results.$$;

create table backtest.optimization_results (
  run_id          bigint           not null references backtest.runs (id) on delete cascade,
  n               bigint           not null,
  params          jsonb            not null,
  objective_value double precision,
  eligible        boolean          not null,
  rank            bigint,
  is_best         boolean          not null default false,
  metrics         jsonb            not null,
  primary key (run_id, n)
);
comment on table backtest.optimization_results is
$$Every evaluated combination of an optimize run, in grid order (keys sorted, last varies fastest).

eligible: at least min_trades closed trades and a defined objective; rank orders eligible rows
by the objective (1 = best, lower-is-better metrics ascending, ties to the earliest row).
metrics holds every metric by its docs/metrics.md name (null when undefined).$$;
comment on column backtest.optimization_results.n is 'Row number in grid order, from 1.';
comment on column backtest.optimization_results.params is 'The combination merged over the fixed params (allow_short as boolean).';

create unique index optimization_results_one_best on backtest.optimization_results (run_id) where is_best;

create table backtest.walk_forwards (
  run_id                  bigint   primary key references backtest.runs (id) on delete cascade,
  mode                    text     not null constraint walk_forward_mode_is_known check (mode in ('rolling', 'anchored')),
  train                   interval not null,
  test                    interval not null,
  grid                    jsonb    not null,
  fixed_params            jsonb    not null default '{}',
  objective               text     not null,
  min_trades              bigint   not null,
  in_sample_cagr_pct      double precision,
  out_of_sample_cagr_pct  double precision,
  efficiency              double precision
);
comment on table backtest.walk_forwards is
$$The walk-forward analysis behind a run of kind walk_forward.

The run's trades, equity and metrics are the stitched out-of-sample result. efficiency =
out-of-sample CAGR / mean in-sample CAGR of the windows' winners (null when undefined).$$;

create table backtest.walk_forward_windows (
  run_id        bigint      not null references backtest.runs (id) on delete cascade,
  n             bigint      not null,
  train_from    timestamptz not null,
  train_to      timestamptz not null,
  test_from     timestamptz not null,
  test_to       timestamptz not null,
  params        jsonb,
  skipped       bigint      not null default 0,
  in_sample     jsonb,
  out_of_sample jsonb,
  primary key (run_id, n)
);
comment on table backtest.walk_forward_windows is
$$One train/test step of a walk-forward run, numbered from 1.

params is the training winner (null: no combination qualified and the test window stayed in
cash); in_sample and out_of_sample hold its metrics by docs/metrics.md name.$$;

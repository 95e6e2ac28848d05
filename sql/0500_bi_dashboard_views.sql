-- sql/0500_bi_dashboard_views.sql
-- bi views the dashboard (candlestack serve) reads beyond the BI views: runs with settings, trades,
-- equity, strategies, jobs and workers. Depends on backtest (migrations/0007) and queue (migrations/0005)
-- tables (0023: contract runs) and schema bi (migrations/0004). Plain views with their owner's rights; grants in sql/0590.

set local search_path = pg_catalog, pg_temp;

create or replace view bi.backtest_runs as
select r.id as run_id,
       r.job_id,
       r.kind,
       r.status,
       r.strategy,
       r.engine,
       r.params,
       r.inst_id as instrument,
       r.bar,
       r.from_ts as from_time,
       r.to_ts as to_time,
       r.fee_rate,
       r.slippage_bps,
       r.capital,
       r.lot_size,
       r.candle_count,
       r.gap_count,
       r.missing_bars,
       r.resampled,
       r.note,
       r.started_at,
       r.finished_at,
       m.final_equity,
       m.total_return_pct,
       m.cagr_pct,
       m.volatility_ann_pct,
       m.sharpe,
       m.sortino,
       m.calmar,
       m.max_drawdown_pct,
       m.max_drawdown_duration as max_drawdown_duration_ms,
       m.n_trades,
       m.win_rate_pct,
       m.profit_factor,
       m.expectancy,
       m.avg_trade_pct,
       m.best_trade_pct,
       m.worst_trade_pct,
       m.exposure_pct,
       m.fees_paid,
       m.buy_hold_return_pct,
       m.bars,
       m.span_days,
       m.annualised_reliable,
       k.inst_type,
       k.ct_type,
       k.ct_val,
       k.settle_ccy,
       k.leverage,
       k.maintenance_margin_ratio,
       k.funding as funding_mode,
       m.funding_paid,
       case when k.run_id is not null
            then (select count(*) from backtest.funding_payments as f where f.run_id = r.id) end as funding_payments,
       m.liquidations,
       k.final_equity_quote
  from backtest.runs as r
  left join backtest.metrics as m on m.run_id = r.id
  left join backtest.run_contracts as k on k.run_id = r.id;
comment on view bi.backtest_runs is
$$Every stored backtest run with its settings and all its metrics (null when the run has none).

One row per backtest.runs row, of every kind and status. The dashboard's run page reads it;
bi.backtest_leaderboard is the ranked subset with metrics.$$;
comment on column bi.backtest_runs.run_id is 'backtest.runs id.';
comment on column bi.backtest_runs.job_id is 'The queue job that produced the run (null once the job was pruned).';
comment on column bi.backtest_runs.kind is 'backtest, optimize (the grid''s best combination) or walk_forward (stitched out-of-sample).';
comment on column bi.backtest_runs.status is 'succeeded, or no_result when an optimisation found no combination that qualified.';
comment on column bi.backtest_runs.strategy is 'The named strategy the job referred to, or null for inline engine and params.';
comment on column bi.backtest_runs.engine is 'Strategy engine (see bi.strategy_engines).';
comment on column bi.backtest_runs.params is 'Effective parameters, options included; null for walk_forward and for an optimisation without a winner.';
comment on column bi.backtest_runs.instrument is 'OKX instrument id, e.g. BTC-USDT.';
comment on column bi.backtest_runs.bar is 'Candle size the run evaluated.';
comment on column bi.backtest_runs.from_time is 'Start of the requested candle range (inclusive).';
comment on column bi.backtest_runs.to_time is 'End of the requested candle range (exclusive).';
comment on column bi.backtest_runs.fee_rate is 'Fee per fill as a fraction of the traded value (0.001 = 0.1 %).';
comment on column bi.backtest_runs.slippage_bps is 'Slippage per fill in basis points (1 bp = 0.01 %).';
comment on column bi.backtest_runs.capital is 'Starting capital, in the quote currency.';
comment on column bi.backtest_runs.lot_size is 'Position sizes are whole multiples of this, in the base currency.';
comment on column bi.backtest_runs.candle_count is 'Candles the run evaluated.';
comment on column bi.backtest_runs.gap_count is 'Runs of missing bars in the range; 0 means contiguous candles.';
comment on column bi.backtest_runs.missing_bars is 'Bars missing in the range.';
comment on column bi.backtest_runs.resampled is 'True when the bar was built from 1m candles rather than stored.';
comment on column bi.backtest_runs.note is 'Why a run has no result, or other remarks; usually null.';
comment on column bi.backtest_runs.started_at is 'When the job started computing the run.';
comment on column bi.backtest_runs.finished_at is 'When the run was stored.';
comment on column bi.backtest_runs.final_equity is 'Equity at the end, in the quote currency.';
comment on column bi.backtest_runs.total_return_pct is 'Total return in percent.';
comment on column bi.backtest_runs.cagr_pct is 'Compound annual growth rate in percent (indicative when annualised_reliable is false).';
comment on column bi.backtest_runs.volatility_ann_pct is 'Annualised volatility of bar returns in percent.';
comment on column bi.backtest_runs.sharpe is 'Annualised Sharpe ratio (risk-free rate 0).';
comment on column bi.backtest_runs.sortino is 'Annualised Sortino ratio.';
comment on column bi.backtest_runs.calmar is 'CAGR divided by the maximum drawdown.';
comment on column bi.backtest_runs.max_drawdown_pct is 'Deepest fall from a running equity peak, in percent.';
comment on column bi.backtest_runs.max_drawdown_duration_ms is 'Longest time below a previous peak, in milliseconds.';
comment on column bi.backtest_runs.n_trades is 'Closed trades.';
comment on column bi.backtest_runs.win_rate_pct is 'Share of closed trades with a positive pnl, in percent.';
comment on column bi.backtest_runs.profit_factor is 'Gross profit divided by gross loss.';
comment on column bi.backtest_runs.expectancy is 'Mean pnl per closed trade, in the quote currency.';
comment on column bi.backtest_runs.avg_trade_pct is 'Mean return per closed trade in percent.';
comment on column bi.backtest_runs.best_trade_pct is 'Best closed trade''s return in percent.';
comment on column bi.backtest_runs.worst_trade_pct is 'Worst closed trade''s return in percent.';
comment on column bi.backtest_runs.exposure_pct is 'Share of bars with an open position, in percent.';
comment on column bi.backtest_runs.fees_paid is 'Fees paid over the run, in the quote currency.';
comment on column bi.backtest_runs.buy_hold_return_pct is 'Return of buying at the first close and holding, in percent.';
comment on column bi.backtest_runs.bars is 'Bars in the equity curve.';
comment on column bi.backtest_runs.span_days is 'Days from the first to the last bar.';
comment on column bi.backtest_runs.annualised_reliable is 'False under 30 days or 30 trades: annualised figures are indicative only.';
comment on column bi.backtest_runs.inst_type is 'SWAP or FUTURES for a contract run (backtest.run_contracts); NULL for spot, as every column below.';
comment on column bi.backtest_runs.ct_type is 'linear (settled in the quote currency) or inverse (settled in the base coin).';
comment on column bi.backtest_runs.ct_val is 'Contract value at run time: base coin per contract (linear) or quote currency per contract (inverse).';
comment on column bi.backtest_runs.settle_ccy is 'Currency of the run''s cash, PnL, fees, funding and equity, e.g. USDT or BTC (final_equity, fees_paid and expectancy are in it).';
comment on column bi.backtest_runs.leverage is 'Payload leverage (isolated margin = entry notional / leverage).';
comment on column bi.backtest_runs.maintenance_margin_ratio is 'Maintenance margin as a fraction of notional at the mark price; sets the liquidation price.';
comment on column bi.backtest_runs.funding_mode is 'charged (every funding time was charged to the open position) or ignore (the payload said "funding": "ignore").';
comment on column bi.backtest_runs.funding_paid is 'Funding paid over the run, settlement currency (positive: paid overall, negative: received); 0 when ignored.';
comment on column bi.backtest_runs.funding_payments is 'Funding payments charged (rows of bi.backtest_funding_payments).';
comment on column bi.backtest_runs.liquidations is 'Trades ended by liquidation (exit_reason liquidation).';
comment on column bi.backtest_runs.final_equity_quote is 'Final equity in the quote currency (inverse: coin equity x last close; linear: final_equity).';

create or replace view bi.backtest_trades as
select t.run_id, t.n, t.side, t.entry_time, t.entry_price, t.exit_time, t.exit_price, t.size, t.pnl,
       t.return_pct, t.fees, t.exit_reason
  from backtest.trades as t;
comment on view bi.backtest_trades is
$$The trades of every stored run, numbered from 1 per run.

Filter on run_id. exit_reason open marks a position still open at the end (marked at the last close).$$;
comment on column bi.backtest_trades.run_id is 'backtest.runs id (bi.backtest_runs).';
comment on column bi.backtest_trades.n is 'Trade number within the run, from 1.';
comment on column bi.backtest_trades.side is 'long or short.';
comment on column bi.backtest_trades.entry_time is 'Time of the entry fill.';
comment on column bi.backtest_trades.entry_price is 'Entry price after slippage, in the quote currency.';
comment on column bi.backtest_trades.exit_time is 'Time of the exit fill (the last bar for an open position).';
comment on column bi.backtest_trades.exit_price is 'Exit price after slippage, in the quote currency.';
comment on column bi.backtest_trades.size is 'Position size in the base currency.';
comment on column bi.backtest_trades.pnl is 'Profit or loss after fees, in the quote currency.';
comment on column bi.backtest_trades.return_pct is 'Return of the trade in percent.';
comment on column bi.backtest_trades.fees is 'Fees of both fills, in the quote currency.';
comment on column bi.backtest_trades.exit_reason is 'signal, stop (stop loss), take (take profit), liquidation (a contract position whose mark price crossed its liquidation price), window_end (closed at the end of a walk-forward test window) or open (still open at the end).';

create or replace view bi.backtest_equity as
select e.run_id, e.ts as time, e.equity, e.drawdown_pct
  from backtest.equity as e;
comment on view bi.backtest_equity is
$$Every stored run's equity curve, down-sampled to at most 2,000 points per run.

Filter on run_id and order by time. The extremes of the full curve survive the down-sampling.$$;
comment on column bi.backtest_equity.run_id is 'backtest.runs id (bi.backtest_runs).';
comment on column bi.backtest_equity.time is 'Bar open time of the point.';
comment on column bi.backtest_equity.equity is 'Equity at the bar''s close, in the quote currency.';
comment on column bi.backtest_equity.drawdown_pct is 'Percent below the running equity peak (0 at a new peak).';

create or replace view bi.strategies as
select s.name, s.engine, s.params, s.description, s.created_at, s.updated_at
  from backtest.strategies as s;
comment on view bi.strategies is
$$Named strategies: an engine and its parameters, which a backtest job can name.$$;
comment on column bi.strategies.name is 'Strategy name.';
comment on column bi.strategies.engine is 'Strategy engine (see bi.strategy_engines).';
comment on column bi.strategies.params is 'The engine''s parameters and options as JSON.';
comment on column bi.strategies.description is 'What the strategy is for, in words; may be null.';
comment on column bi.strategies.created_at is 'When the strategy was created.';
comment on column bi.strategies.updated_at is 'When the strategy was last changed.';

create or replace view bi.jobs as
select j.id as job_id, j.kind, j.status, j.priority, j.attempts, j.max_attempts, j.progress,
       j.progress_message, j.locked_by as worker_id, j.parent_id, j.created_by, j.run_at, j.created_at,
       j.started_at, j.finished_at, j.cancel_requested_at, j.last_error, j.payload
  from queue.jobs as j;
comment on view bi.jobs is
$$Every queue job: its kind, state, progress, error and parent, without the lease bookkeeping.

Filter on status or job_id; the dashboard's Activity page lists the newest first.$$;
comment on column bi.jobs.job_id is 'queue.jobs id.';
comment on column bi.jobs.kind is 'Job kind (bi.queue_health has one row per kind).';
comment on column bi.jobs.status is 'queued, running, succeeded, failed or cancelled.';
comment on column bi.jobs.priority is 'Lower runs first (0 to 1000).';
comment on column bi.jobs.attempts is 'Attempts started so far.';
comment on column bi.jobs.max_attempts is 'Attempts allowed before the job fails for good.';
comment on column bi.jobs.progress is 'Progress reported by the worker, 0 to 1; null before the first report.';
comment on column bi.jobs.progress_message is 'What the worker is doing, in words.';
comment on column bi.jobs.worker_id is 'The worker holding the job while it runs; null otherwise.';
comment on column bi.jobs.parent_id is 'The job that enqueued this one (fan-out), or null.';
comment on column bi.jobs.created_by is 'Database role that enqueued the job.';
comment on column bi.jobs.run_at is 'When the job may run (future: scheduled or retrying after a backoff).';
comment on column bi.jobs.created_at is 'When the job was enqueued.';
comment on column bi.jobs.started_at is 'When the last attempt started.';
comment on column bi.jobs.finished_at is 'When the job succeeded, failed for good or was cancelled.';
comment on column bi.jobs.cancel_requested_at is 'When a cancel was asked for a running job; null otherwise.';
comment on column bi.jobs.last_error is 'Error of the last failed attempt.';
comment on column bi.jobs.payload is 'The job''s input as JSON (instrument, bar, range, strategy...).';

create or replace view bi.workers as
select w.id as worker_id, w.host, w.pid, w.kinds, w.started_at, w.last_seen, w.stopped_at,
       (w.stopped_at is null and w.last_seen > pg_catalog.now() - interval '1 minute') as is_alive
  from queue.workers as w;
comment on view bi.workers is
$$Worker processes, live and stopped.

is_alive: not stopped and seen in the last minute (as candlestack status and health count them).$$;
comment on column bi.workers.worker_id is 'Worker id (host:pid unless set with --worker-id).';
comment on column bi.workers.host is 'Host name the worker runs on.';
comment on column bi.workers.pid is 'Operating-system process id of the worker.';
comment on column bi.workers.kinds is 'Job kinds the worker claims.';
comment on column bi.workers.started_at is 'When the worker (last) started.';
comment on column bi.workers.last_seen is 'Last heartbeat.';
comment on column bi.workers.stopped_at is 'When the worker shut down cleanly; null while running or after a crash.';
comment on column bi.workers.is_alive is 'True when not stopped and seen in the last minute.';

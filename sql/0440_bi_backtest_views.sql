-- sql/0440_bi_backtest_views.sql
-- BI views of backtest results: bi.backtest_leaderboard, bi.optimization_results, bi.walk_forward_results,
-- bi.backtest_funding_payments. Depends on the backtest tables (migrations/0007_backtest.sql; 0023 for
-- contract runs) and schema bi (migrations/0004_bi.sql).
-- Plain views run with their owner's rights: candlestack_bi reads them without any right on schema backtest.

create or replace view bi.backtest_leaderboard as
select r.id as run_id,
       r.kind,
       r.strategy,
       r.engine,
       r.params,
       r.inst_id,
       r.bar,
       r.from_ts,
       r.to_ts,
       r.candle_count,
       r.gap_count > 0 as has_gaps,
       m.total_return_pct,
       m.cagr_pct,
       m.sharpe,
       m.sortino,
       m.calmar,
       m.max_drawdown_pct,
       m.n_trades,
       m.win_rate_pct,
       m.profit_factor,
       m.exposure_pct,
       m.buy_hold_return_pct,
       m.total_return_pct - m.buy_hold_return_pct as excess_return_pct,
       m.annualised_reliable,
       rank() over (partition by r.inst_id, r.bar order by m.sharpe desc nulls last, r.id) as sharpe_rank,
       r.finished_at,
       -- swap and future runs (migrations/0023); added at the end: the view has landed
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
  join backtest.metrics as m on m.run_id = r.id
  left join backtest.run_contracts as k on k.run_id = r.id;
comment on view bi.backtest_leaderboard is
$$Every stored backtest result with its headline metrics, ranked by Sharpe per instrument and bar.

One row per run that has metrics: single backtests, the best run of each optimisation and each
walk-forward's stitched out-of-sample result (see kind).$$;
comment on column bi.backtest_leaderboard.run_id is 'backtest.runs id; the report: candlestack report RUN_ID.';
comment on column bi.backtest_leaderboard.kind is 'backtest (one strategy), optimize (the grid''s best combination) or walk_forward (stitched out-of-sample).';
comment on column bi.backtest_leaderboard.strategy is 'Named strategy (backtest.strategies) or null for inline parameters.';
comment on column bi.backtest_leaderboard.engine is 'Strategy engine, e.g. sma_cross.';
comment on column bi.backtest_leaderboard.params is 'Effective parameters; null for walk_forward (each window has its own).';
comment on column bi.backtest_leaderboard.inst_id is 'Instrument, e.g. BTC-USDT.';
comment on column bi.backtest_leaderboard.bar is 'Bar size of the candles, e.g. 1m.';
comment on column bi.backtest_leaderboard.from_ts is 'Start of the tested range (inclusive).';
comment on column bi.backtest_leaderboard.to_ts is 'End of the tested range (exclusive).';
comment on column bi.backtest_leaderboard.candle_count is 'Candles evaluated.';
comment on column bi.backtest_leaderboard.has_gaps is 'True when candles were missing in the range (market.gaps).';
comment on column bi.backtest_leaderboard.total_return_pct is 'Final equity / capital - 1, percent.';
comment on column bi.backtest_leaderboard.cagr_pct is 'Compound annual growth rate, percent (365-day year).';
comment on column bi.backtest_leaderboard.sharpe is 'Annualised Sharpe ratio of daily returns, risk-free rate 0.';
comment on column bi.backtest_leaderboard.sortino is 'Annualised Sortino ratio of daily returns.';
comment on column bi.backtest_leaderboard.calmar is 'CAGR / max drawdown.';
comment on column bi.backtest_leaderboard.max_drawdown_pct is 'Largest fall from a running peak of equity, percent.';
comment on column bi.backtest_leaderboard.n_trades is 'Closed trades.';
comment on column bi.backtest_leaderboard.win_rate_pct is 'Share of closed trades with pnl > 0, percent.';
comment on column bi.backtest_leaderboard.profit_factor is 'Gross profit / gross loss; null without a losing trade.';
comment on column bi.backtest_leaderboard.exposure_pct is 'Share of bars with a position held, percent.';
comment on column bi.backtest_leaderboard.buy_hold_return_pct is 'Buy-and-hold return over the same bars, no fees, percent.';
comment on column bi.backtest_leaderboard.excess_return_pct is 'total_return_pct - buy_hold_return_pct.';
comment on column bi.backtest_leaderboard.annualised_reliable is 'False when the span is under 30 days or there are fewer than 30 trades: annualised figures are indicative only.';
comment on column bi.backtest_leaderboard.sharpe_rank is 'Rank by Sharpe among runs of the same instrument and bar (1 = best, undefined Sharpe last).';
comment on column bi.backtest_leaderboard.finished_at is 'When the result was stored.';
comment on column bi.backtest_leaderboard.inst_type is 'SWAP or FUTURES for a contract run (backtest.run_contracts); NULL for spot, as every column below.';
comment on column bi.backtest_leaderboard.ct_type is 'linear (settled in the quote currency) or inverse (settled in the base coin).';
comment on column bi.backtest_leaderboard.ct_val is 'Contract value at run time: base coin per contract (linear) or quote currency per contract (inverse).';
comment on column bi.backtest_leaderboard.settle_ccy is 'Currency of the run''s cash, PnL, fees, funding and equity, e.g. USDT or BTC.';
comment on column bi.backtest_leaderboard.leverage is 'Payload leverage (isolated margin = entry notional / leverage).';
comment on column bi.backtest_leaderboard.maintenance_margin_ratio is 'Maintenance margin as a fraction of notional at the mark price; sets the liquidation price.';
comment on column bi.backtest_leaderboard.funding_mode is 'charged (every funding time was charged to the open position) or ignore (the payload said "funding": "ignore").';
comment on column bi.backtest_leaderboard.funding_paid is 'Funding paid over the run, settlement currency (positive: paid overall, negative: received); 0 when ignored.';
comment on column bi.backtest_leaderboard.funding_payments is 'Funding payments charged (rows of bi.backtest_funding_payments).';
comment on column bi.backtest_leaderboard.liquidations is 'Trades ended by liquidation (exit_reason liquidation).';
comment on column bi.backtest_leaderboard.final_equity_quote is 'Final equity in the quote currency (inverse: coin equity x last close; linear: the final equity).';

create or replace view bi.optimization_results as
select r.id as run_id,
       r.job_id,
       r.engine,
       r.inst_id,
       r.bar,
       r.from_ts,
       r.to_ts,
       o.objective,
       o.min_trades,
       x.n,
       x.params,
       x.objective_value,
       x.eligible,
       x.rank,
       x.is_best,
       (x.metrics ->> 'n_trades')::integer as n_trades,
       (x.metrics ->> 'total_return_pct')::double precision as total_return_pct,
       (x.metrics ->> 'cagr_pct')::double precision as cagr_pct,
       (x.metrics ->> 'sharpe')::double precision as sharpe,
       (x.metrics ->> 'sortino')::double precision as sortino,
       (x.metrics ->> 'max_drawdown_pct')::double precision as max_drawdown_pct,
       (x.metrics ->> 'win_rate_pct')::double precision as win_rate_pct,
       (x.metrics ->> 'profit_factor')::double precision as profit_factor,
       (x.metrics ->> 'exposure_pct')::double precision as exposure_pct,
       x.metrics
  from backtest.runs as r
  join backtest.optimizations as o on o.run_id = r.id
  join backtest.optimization_results as x on x.run_id = r.id;
comment on view bi.optimization_results is
$$Every combination of every optimisation, with its metrics and its rank by the objective.

Filter on run_id for one grid; is_best marks the winner (whose full run, trades and equity are
under the same run_id in bi.backtest_leaderboard).$$;
comment on column bi.optimization_results.run_id is 'The optimize run (backtest.runs id).';
comment on column bi.optimization_results.job_id is 'The optimize job (queue.jobs id).';
comment on column bi.optimization_results.engine is 'Strategy engine.';
comment on column bi.optimization_results.inst_id is 'Instrument.';
comment on column bi.optimization_results.bar is 'Bar size.';
comment on column bi.optimization_results.from_ts is 'Start of the range (inclusive).';
comment on column bi.optimization_results.to_ts is 'End of the range (exclusive).';
comment on column bi.optimization_results.objective is 'Metric the grid was ranked by.';
comment on column bi.optimization_results.min_trades is 'Closed trades a combination needs to be eligible.';
comment on column bi.optimization_results.n is 'Combination number in grid order, from 1.';
comment on column bi.optimization_results.params is 'The combination''s parameters (fixed ones included).';
comment on column bi.optimization_results.objective_value is 'The objective metric of this combination (null when undefined).';
comment on column bi.optimization_results.eligible is 'At least min_trades closed trades and a defined objective.';
comment on column bi.optimization_results.rank is 'Rank among eligible combinations, 1 = best; null when not eligible.';
comment on column bi.optimization_results.is_best is 'True for the winning combination.';
comment on column bi.optimization_results.n_trades is 'Closed trades.';
comment on column bi.optimization_results.total_return_pct is 'Total return, percent.';
comment on column bi.optimization_results.cagr_pct is 'CAGR, percent.';
comment on column bi.optimization_results.sharpe is 'Annualised Sharpe ratio.';
comment on column bi.optimization_results.sortino is 'Annualised Sortino ratio.';
comment on column bi.optimization_results.max_drawdown_pct is 'Max drawdown, percent.';
comment on column bi.optimization_results.win_rate_pct is 'Win rate of closed trades, percent.';
comment on column bi.optimization_results.profit_factor is 'Gross profit / gross loss.';
comment on column bi.optimization_results.exposure_pct is 'Share of bars in a position, percent.';
comment on column bi.optimization_results.metrics is 'Every metric by its docs/metrics.md name.';

create or replace view bi.walk_forward_results as
select r.id as run_id,
       r.job_id,
       r.engine,
       r.inst_id,
       r.bar,
       wf.mode,
       wf.train,
       wf.test,
       wf.objective,
       wf.efficiency,
       wf.in_sample_cagr_pct as mean_in_sample_cagr_pct,
       wf.out_of_sample_cagr_pct,
       m.total_return_pct as out_of_sample_return_pct,
       m.sharpe as out_of_sample_sharpe,
       w.n as window_n,
       w.train_from,
       w.train_to,
       w.test_from,
       w.test_to,
       w.params,
       (w.in_sample ->> 'cagr_pct')::double precision as window_in_sample_cagr_pct,
       (w.in_sample ->> 'sharpe')::double precision as window_in_sample_sharpe,
       (w.out_of_sample ->> 'total_return_pct')::double precision as window_out_of_sample_return_pct,
       (w.out_of_sample ->> 'sharpe')::double precision as window_out_of_sample_sharpe,
       (w.out_of_sample ->> 'n_trades')::integer as window_out_of_sample_trades
  from backtest.runs as r
  join backtest.walk_forwards as wf on wf.run_id = r.id
  join backtest.walk_forward_windows as w on w.run_id = r.id
  left join backtest.metrics as m on m.run_id = r.id;
comment on view bi.walk_forward_results is
$$Walk-forward analyses, one row per window, with the run's stitched out-of-sample figures.

efficiency = out-of-sample CAGR / mean in-sample CAGR of the winners; near 1 means the
optimised parameters held up on unseen data, near 0 or negative that they were overfitted.$$;
comment on column bi.walk_forward_results.run_id is 'The walk_forward run (backtest.runs id).';
comment on column bi.walk_forward_results.job_id is 'The walk_forward job (queue.jobs id).';
comment on column bi.walk_forward_results.engine is 'Strategy engine.';
comment on column bi.walk_forward_results.inst_id is 'Instrument.';
comment on column bi.walk_forward_results.bar is 'Bar size.';
comment on column bi.walk_forward_results.mode is 'rolling (fixed-length training windows) or anchored (growing from the first candle).';
comment on column bi.walk_forward_results.train is 'Training window length.';
comment on column bi.walk_forward_results.test is 'Test window length (and step).';
comment on column bi.walk_forward_results.objective is 'Metric each training window was optimised for.';
comment on column bi.walk_forward_results.efficiency is 'Walk-forward efficiency: out-of-sample CAGR / mean in-sample CAGR.';
comment on column bi.walk_forward_results.mean_in_sample_cagr_pct is 'Mean in-sample CAGR of the windows'' winners, percent.';
comment on column bi.walk_forward_results.out_of_sample_cagr_pct is 'CAGR of the stitched out-of-sample equity, percent.';
comment on column bi.walk_forward_results.out_of_sample_return_pct is 'Total return of the stitched out-of-sample equity, percent.';
comment on column bi.walk_forward_results.out_of_sample_sharpe is 'Sharpe ratio of the stitched out-of-sample equity.';
comment on column bi.walk_forward_results.window_n is 'Window number, from 1.';
comment on column bi.walk_forward_results.train_from is 'Start of the training window (inclusive).';
comment on column bi.walk_forward_results.train_to is 'End of the training window (exclusive) = start of the test window.';
comment on column bi.walk_forward_results.test_from is 'Start of the test window (inclusive).';
comment on column bi.walk_forward_results.test_to is 'End of the test window (exclusive).';
comment on column bi.walk_forward_results.params is 'The training winner''s parameters; null when none qualified (the window stayed in cash).';
comment on column bi.walk_forward_results.window_in_sample_cagr_pct is 'The winner''s CAGR on the training window, percent.';
comment on column bi.walk_forward_results.window_in_sample_sharpe is 'The winner''s Sharpe ratio on the training window.';
comment on column bi.walk_forward_results.window_out_of_sample_return_pct is 'Return on the test window, percent.';
comment on column bi.walk_forward_results.window_out_of_sample_sharpe is 'Sharpe ratio on the test window.';
comment on column bi.walk_forward_results.window_out_of_sample_trades is 'Closed trades in the test window.';

create or replace view bi.backtest_funding_payments as
select f.run_id,
       f.funding_time,
       f.rate,
       f.mark_price,
       f.contracts,
       f.amount,
       sum(f.amount) over (partition by f.run_id order by f.funding_time) as cumulative_amount,
       k.settle_ccy
  from backtest.funding_payments as f
  join backtest.run_contracts as k on k.run_id = f.run_id;
comment on view bi.backtest_funding_payments is
$$Every funding payment of every swap or future run, one row per funding time its position was open at.

Filter on run_id and order by funding_time. amount is positive when the position paid (a long at a
positive rate), negative when it received; the run's sum is funding_paid in bi.backtest_runs.
Formulas: docs/metrics.md, "Contracts, margin, funding and liquidation".$$;
comment on column bi.backtest_funding_payments.run_id is 'backtest.runs id (bi.backtest_runs).';
comment on column bi.backtest_funding_payments.funding_time is 'Funding settlement time (market.funding_rates.funding_time).';
comment on column bi.backtest_funding_payments.rate is 'Funding rate per interval at funding_time (0.0001 = 0.01 %).';
comment on column bi.backtest_funding_payments.mark_price is 'Mark price used: the 1m mark candle''s open at funding_time, else the trade open of the bar that charged it.';
comment on column bi.backtest_funding_payments.contracts is 'Contracts held, signed: positive long, negative short.';
comment on column bi.backtest_funding_payments.amount is 'Funding in settle_ccy: contracts x ct_val x mark_price x rate (linear) or contracts x ct_val / mark_price x rate (inverse); positive when paid.';
comment on column bi.backtest_funding_payments.cumulative_amount is 'Sum of amount over the run up to and including this funding time.';
comment on column bi.backtest_funding_payments.settle_ccy is 'Currency of amount (the run''s settlement currency).';

-- migrations/0015_backtest_trades_window_end.sql
-- A walk-forward test window that another window follows now closes a position still open at its
-- end, with slippage and exit fee (Sources/Backtest/Optimization/WalkForward.swift), instead of
-- marking it for free: such trades end with exit_reason window_end. exit_reason open is kept for
-- the one position still open at the end of a run.
-- Depends on 0007_backtest.sql (backtest.trades).
-- squawk: the new rule allows a superset of the old one, so every stored row already satisfies it:
-- the CHECK is added NOT VALID (no scan of a table that holds every trade ever stored; new rows are
-- checked at once) and the old one dropped in the same statement, under a short lock_timeout.

set local search_path = pg_catalog, pg_temp;
set local lock_timeout = '10s';
set local statement_timeout = '1min';

-- the old CHECK's guarantee is kept by the new one added in the same statement (a superset)
-- squawk-ignore ban-drop-constraint
alter table backtest.trades drop constraint trade_exit_reason_is_known, add constraint trade_exit_reason_is_known check (exit_reason in ('signal', 'stop', 'take', 'window_end', 'open')) not valid;
comment on column backtest.trades.exit_reason is
$$Why the trade ended: signal (opposite signal), stop (stop-loss), take (take-profit), window_end
(closed at the last close of a walk-forward test window, fee and slippage charged) or open (still
open at the end of the run: marked at the last close without exit fee, not a closed trade).$$;

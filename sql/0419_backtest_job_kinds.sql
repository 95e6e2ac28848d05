-- sql/0419_backtest_job_kinds.sql
-- The queue.job_kinds rows of backtest, optimize and walk_forward (validators in sql/0412..0414).
-- Depends on queue.job_kinds (migrations/0005_queue.sql).

insert into queue.job_kinds (kind, description, max_attempts, priority, timeout, lease, validator)
values
  ('backtest', $$Run one strategy over stored candles of one instrument and store its trades, equity curve and metrics in backtest.*.$$,
   3, 100, interval '1 hour', interval '60 seconds', 'backtest.validate_backtest'),
  ('optimize', $$Evaluate a grid of strategy parameters on the same candles, store every combination and the full run of the best.$$,
   3, 100, interval '6 hours', interval '60 seconds', 'backtest.validate_optimize'),
  ('walk_forward', $$Optimise on rolling or anchored training windows, trade each winner on the next test window, store the stitched out-of-sample result.$$,
   3, 100, interval '12 hours', interval '60 seconds', 'backtest.validate_walk_forward')
on conflict (kind) do update
   set description  = excluded.description,
       max_attempts = excluded.max_attempts,
       priority     = excluded.priority,
       timeout      = excluded.timeout,
       lease        = excluded.lease,
       validator    = excluded.validator;

-- pgtests/backtest/runs_once_per_job.test.sql
-- The results of one job exist at most once: writing the same job's run twice (a retry after a
-- worker died between its results and its completion) leaves one run and only the last attempt's
-- rows; a late writer whose attempt is over stores nothing; a duplicate job_id is refused.
begin;
select plan(9);

-- SETUP
delete from queue.jobs;
select count(*) from queue.enqueue('backtest', '{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-01-02", "engine": "buy_hold"}');
select count(*) from queue.claim('w1', array['backtest'], 1, '30 s');
create temp table rec on commit drop as
select jsonb_build_object(
  'job_id', (select id from queue.jobs), 'attempt', 1, 'kind', 'backtest', 'strategy', null, 'engine', 'buy_hold',
  'params', '{}'::jsonb, 'inst_id', 'BTC-USDT', 'bar', '1m', 'from', '2024-01-01Z', 'to', '2024-01-02Z',
  'fee_rate', 0.001, 'slippage_bps', 0, 'capital', 10000, 'lot_size', 0.00000001, 'candle_count', 1440,
  'gap_count', 0, 'missing_bars', 0, 'resampled', false, 'status', 'succeeded', 'note', null,
  'started_at', '2024-06-01Z', 'load_ms', null, 'compute_ms', null) as r;
create temp table first_run on commit drop as select backtest.insert_run((select r from rec)) as id;
insert into backtest.trades (run_id, n, side, entry_time, entry_price, exit_time, exit_price, size, pnl, return_pct, fees, exit_reason)
select id, 1, 'long', '2024-01-01 00:00Z', 100, '2024-01-01 01:00Z', 101, 1, 1, 1, 0, 'signal' from first_run;

-- TEST
create temp table second_run on commit drop as select backtest.insert_run((select r || '{"note": "retry"}' from rec)) as id;
select is((select count(*)::int from backtest.runs where job_id = (select id from queue.jobs)), 1,
          'the same job''s run written twice leaves one run');
select is((select note from backtest.runs), 'retry', 'the one left is the second write');
select is((select count(*)::int from backtest.trades), 0, 'the first write''s trades went with its run');
select isnt((select id from first_run), (select id from second_run), 'the second write has a run id of its own');

select throws_ok($$ select backtest.insert_run((select r || '{"attempt": 2}' from rec)) $$,
                 '55000', null, 'a writer at an attempt the job is not at is refused');
update queue.jobs set status = 'queued', locked_by = null, lease_until = null;
select throws_ok($$ select backtest.insert_run((select r from rec)) $$,
                 '55000', null, 'a writer whose job is no longer running (lease lost) is refused');
select is((select note from backtest.runs), 'retry', 'the refused writers changed nothing');

select throws_ok($$ insert into backtest.runs (job_id, kind, engine, inst_id, bar, from_ts, to_ts, fee_rate, slippage_bps,
                                              capital, lot_size, candle_count, started_at)
                    select job_id, kind, engine, inst_id, bar, from_ts, to_ts, fee_rate, slippage_bps, capital, lot_size,
                           candle_count, started_at from backtest.runs $$,
                 '23505', null, 'a second run of one job is refused by the unique index, whoever writes it');
select lives_ok($$ select backtest.insert_run((select r || '{"job_id": null, "attempt": null}' from rec)),
                          backtest.insert_run((select r || '{"job_id": null, "attempt": null}' from rec)) $$,
                'runs without a job (pruned, or written outside the queue) are not compared');

select * from finish();
rollback;

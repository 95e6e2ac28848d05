-- pgtests/dashboard/run_trades_page_sorts_and_pages.test.sql
-- bi.run_trades_page: one page of a run's trades sorted by a chosen column (ties in trade order),
-- a page past the end is empty, a name that is not a column is refused naming sort; candlestack_bi may call it.
begin;
select plan(7);

-- SETUP: a run with 25 trades whose pnl is (n * 7) % 25 - 12 (every value once)
insert into backtest.runs (kind, engine, inst_id, bar, from_ts, to_ts, fee_rate, slippage_bps, capital, lot_size,
                           candle_count, started_at)
values ('backtest', 'buy_hold', 'BTC-USDT', '1m', '2024-01-01Z', '2024-01-02Z', 0.001, 0, 1000, 0.01, 10, now());
create temporary table r as select max(id) as id from backtest.runs;
insert into backtest.trades (run_id, n, side, entry_time, entry_price, exit_time, exit_price, size, pnl, return_pct, fees, exit_reason)
select r.id, n, case when n % 2 = 0 then 'long' else 'short' end, '2024-01-01Z'::timestamptz + make_interval(mins => n), 100,
       '2024-01-01Z'::timestamptz + make_interval(mins => n + 1), 101, 1, (n * 7) % 25 - 12, 1, 0.1, 'signal'
  from r, generate_series(1, 25) as n;
grant select on r to candlestack_bi;
set local role candlestack_bi;

-- TEST
select is(array(select n from bi.run_trades_page((select id from r), 'n', false, 10, 1)), array[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]::bigint[],
          'page 1 of 10 in trade order');
select is(array(select n from bi.run_trades_page((select id from r), 'n', false, 10, 3)), array[21, 22, 23, 24, 25]::bigint[],
          'the last page holds the rest');
select is((select count(*) from bi.run_trades_page((select id from r), 'n', false, 10, 4)), 0::bigint, 'a page past the end is empty');
select is(array(select pnl from bi.run_trades_page((select id from r), 'pnl', true, 3, 1)), array[12, 11, 10]::double precision[],
          'sorted by pnl, descending');
select is(array(select n from bi.run_trades_page((select id from r), 'side', false, 3, 1)), array[2, 4, 6]::bigint[],
          'ties (same side) in trade order');
select throws_ok($$select * from bi.run_trades_page((select id from r), 'pnl; drop table r', false, 10, 1)$$, '22023',
                 null, 'a sort that is not a column is refused');
select throws_ok($$select * from bi.run_trades_page((select id from r), 'n', false, 0, 1)$$, '22023',
                 null, 'page_size 0 is refused');

select * from finish();
rollback;

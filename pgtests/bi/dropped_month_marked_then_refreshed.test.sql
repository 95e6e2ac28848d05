-- pgtests/bi/dropped_month_marked_then_refreshed.test.sql
-- A dropped month fires no trigger: market.mark_candle_days_changed makes the next refresh forget its days.
begin;
select plan(5);

-- SETUP
select market.ensure_candle_partitions('2023-05-01Z', '2023-06-30Z');
insert into market.watchlist (inst_id, bar) values ('TEST-USDT', '1m');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
select 'TEST-USDT', '1m', ts, 10, 12, 9, 11, 5
  from (values (timestamptz '2023-05-20 10:00Z'), ('2023-06-10 10:00Z')) as v (ts);
select market.refresh_candle_views();
drop table market.candles_y2023m05;

-- TEST
select is((select present_count from bi.data_coverage where instrument = 'TEST-USDT'), 2::bigint,
          'before: the views still count the dropped month');
select is(market.mark_candle_days_changed('2023-05-01Z', '2023-06-01Z'), 1::bigint, 'the one stored day of May is marked');
select is(market.refresh_candle_views(), 1::bigint, 'the refresh recomputes that day');
select results_eq($$ select first_candle, present_count from bi.data_coverage where instrument = 'TEST-USDT' $$,
                  $$ values ('2023-06-10 10:00Z'::timestamptz, 1::bigint) $$, 'after: only June is counted');
select throws_ok($$ select market.mark_candle_days_changed('2023-06-01Z', '2023-05-01Z') $$, '22023', null,
                 'a backwards range is refused');

select * from finish();
rollback;

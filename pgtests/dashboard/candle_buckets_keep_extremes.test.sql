-- pgtests/dashboard/candle_buckets_keep_extremes.test.sql
-- bi.candle_buckets folds a range into at most N buckets: first open, highest high, lowest low,
-- last close, summed volume; a one-candle spike survives; candlestack_bi may call it.
begin;
select plan(7);

-- SETUP
select market.ensure_candle_partitions('2024-03-01Z', '2024-03-02Z');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
select 'BUCKET-USDT', '1m', '2024-03-01Z'::timestamptz + make_interval(mins => i), 100 + i, 101 + i, 99 + i, 100.5 + i, 1
  from generate_series(0, 999) as i;
update market.candles set high = 5000 where inst_id = 'BUCKET-USDT' and ts = '2024-03-01 05:00Z';
set local role candlestack_bi;

-- TEST
select ok((select bool_and(bucket between 1 and 100) from bi.candle_buckets('BUCKET-USDT', '1m', '2024-03-01Z', '2024-03-02Z', 100)),
          'buckets are numbered 1 to 100');
select ok((select count(*) <= 100 from bi.candle_buckets('BUCKET-USDT', '1m', '2024-03-01Z', '2024-03-02Z', 100)),
          'at most 100 buckets');
select is((select sum(candle_count) from bi.candle_buckets('BUCKET-USDT', '1m', '2024-03-01Z', '2024-03-02Z', 100)),
          1000::numeric, 'every candle is in one bucket');
select is((select max(high) from bi.candle_buckets('BUCKET-USDT', '1m', '2024-03-01Z', '2024-03-02Z', 100)),
          5000::numeric, 'a one-candle spike survives');
select is((select open from bi.candle_buckets('BUCKET-USDT', '1m', '2024-03-01Z', '2024-03-02Z', 10) order by bucket limit 1),
          100::numeric, 'the first bucket opens at the first open');
select is((select close from bi.candle_buckets('BUCKET-USDT', '1m', '2024-03-01Z', '2024-03-02Z', 10) order by bucket desc limit 1),
          1099.5::numeric, 'the last bucket closes at the last close');
select is((select count(*) from bi.candle_buckets('BUCKET-USDT', '1m', '2024-03-01Z', '2024-03-01 00:10Z', 5000)),
          10::bigint, 'more buckets than candles: one candle per bucket');

select * from finish();
rollback;

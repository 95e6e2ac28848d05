-- pgtests/roles/market_bi_queries_partitioned_candles.test.sql
-- candlestack_bi can filter bi.candles on populated monthly partitions (the planner inlines the
-- CHECK's market.bar_start as the reader), while every market table stays closed to it.
begin;
select plan(4);

-- SETUP
select market.ensure_candle_partitions(now() - interval '2 days', now());
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote)
values ('BIPROBE-USDT', '1m', date_trunc('minute', now()) - interval '1 day', 1, 2, 0.5, 1.5, 1, 1, 1);
set local role candlestack_bi;

-- TEST
select is((select count(*) from bi.candles where instrument = 'BIPROBE-USDT' and open_time > now() - interval '2 days'),
          1::bigint, 'a filtered query on a populated partition works');
select lives_ok($$ select * from bi.candles where open_time >= now() - interval '7 days' order by open_time desc limit 5 $$,
                'a Grafana-style time range query works');
select throws_ok('select * from market.watchlist', '42501', null, 'market.watchlist stays closed');
select throws_ok('select * from market.tickers', '42501', null, 'market.tickers stays closed');

select * from finish();
rollback;

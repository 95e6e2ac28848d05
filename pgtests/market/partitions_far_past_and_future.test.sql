-- pgtests/market/partitions_far_past_and_future.test.sql
-- market.ensure_candle_partitions creates monthly partitions anywhere in time, once; upsert_candles calls it.
begin;
select plan(7);

-- TEST
select is(market.ensure_candle_partitions('2001-03-15Z', '2001-05-02Z'), 3, 'three months of 2001 are created');
select has_table('market', 'candles_y2001m03', 'market.candles_y2001m03 exists');
select is(market.ensure_candle_partitions('2001-03-01Z', '2001-05-31Z'), 0, 'a second call creates nothing');
select is(market.ensure_candle_partitions('2090-12-31 23:00Z', '2090-12-31 23:59Z'), 1, 'December 2090 is created');
select lives_ok($$ insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
                   values ('TEST-USDT', '1m', '2090-12-31 23:59Z', 10, 12, 9, 11, 5) $$, 'a candle of 2090 is stored');
select is((select tableoid::regclass::text from market.candles where ts = '2090-12-31 23:59Z'), 'market.candles_y2090m12',
          'it lands in its month''s partition');

select market.create_candle_staging();
insert into pg_temp.candle_staging values ('TEST-USDT', '1m', '1999-07-04 12:00Z', 1, 1, 1, 1, 0, 0, 0, true);
select is((select inserted from market.upsert_candles()), 1::bigint, 'upsert_candles creates the partition of 1999 it needs');

select * from finish();
rollback;

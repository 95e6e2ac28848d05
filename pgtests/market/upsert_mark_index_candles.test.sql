-- pgtests/market/upsert_mark_index_candles.test.sql
-- market.upsert_mark_index_candles: creates partitions, counts, dedups, never downgrades, keeps nothing of a bad batch.
begin;
select plan(8);

-- SETUP
select market.create_mark_index_candle_staging();
insert into pg_temp.mark_index_candle_staging (price_type, inst_id, bar, ts, open, high, low, close, confirmed) values
  ('mark', 'BTC-USDT-SWAP', '1H', '2019-03-01 00:00Z', 10, 12, 9, 11, true),
  ('mark', 'BTC-USDT-SWAP', '1H', '2019-03-01 01:00Z', 11, 13, 10, 12, false),
  ('mark', 'BTC-USDT-SWAP', '1H', '2019-03-01 01:00Z', 11, 13, 10, 12.5, true),
  ('index', 'BTC-USDT', '1H', '2019-03-01 00:00Z', 10, 12, 9, 11.01, true);

-- TEST
select results_eq('select * from market.upsert_mark_index_candles()', $$ values (3::bigint, 0::bigint, 1::bigint) $$,
                  'three keys inserted, the extra copy of a key counts as unchanged');
select is((select close from market.mark_index_candles where price_type = 'mark' and ts = '2019-03-01 01:00Z'), 12.5::numeric,
          'of a key staged twice the confirmed row wins');
select ok(to_regclass('market.mark_index_candles_y2019m03') is not null, 'the month''s partition was created');
select results_eq('select * from market.upsert_mark_index_candles()', $$ values (0::bigint, 0::bigint, 4::bigint) $$,
                  'the same batch again changes nothing');

select market.create_mark_index_candle_staging();
insert into pg_temp.mark_index_candle_staging (price_type, inst_id, bar, ts, open, high, low, close, confirmed) values
  ('mark', 'BTC-USDT-SWAP', '1H', '2019-03-01 01:00Z', 11, 13, 10, 12.7, false),
  ('index', 'BTC-USDT', '1H', '2019-03-01 00:00Z', 10, 12, 9, 11.02, true);
select results_eq('select * from market.upsert_mark_index_candles()', $$ values (0::bigint, 1::bigint, 1::bigint) $$,
                  'a changed confirmed row updates; an unconfirmed one never replaces a confirmed one');
select is((select close from market.mark_index_candles where price_type = 'mark' and ts = '2019-03-01 01:00Z'), 12.5::numeric,
          'the confirmed mark candle kept its close');

select market.create_mark_index_candle_staging();
insert into pg_temp.mark_index_candle_staging (price_type, inst_id, bar, ts, open, high, low, close, confirmed) values
  ('mark', 'BTC-USDT-SWAP', '1H', '2019-03-01 02:00Z', 11, 13, 10, 12, true),
  ('mark', 'BTC-USDT-SWAP', '1H', '2019-03-01 03:00Z', 11, 'Infinity', 10, 12, true);
select throws_ok('select * from market.upsert_mark_index_candles()', '23514', null, 'a batch with an infinite high is refused');
select is((select count(*) from market.mark_index_candles), 3::bigint, 'nothing of the refused batch is kept');

select * from finish();
rollback;

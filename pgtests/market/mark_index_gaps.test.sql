-- pgtests/market/mark_index_gaps.test.sql
-- market.mark_index_gaps lists missing runs like market.gaps, per price type.
begin;
select plan(5);

-- SETUP
select market.ensure_mark_index_candle_partitions('2024-01-01Z', '2024-01-31Z');
insert into market.mark_index_candles (price_type, inst_id, bar, ts, open, high, low, close)
select 'mark', 'BTC-USDT-SWAP', '1m', t, 10, 12, 9, 11
  from unnest(array['2024-01-01 00:02Z', '2024-01-01 00:03Z', '2024-01-01 00:06Z', '2024-01-01 00:07Z']::timestamptz[]) as t;
-- an index candle at 00:00 must not fill the mark series' first gap
insert into market.mark_index_candles (price_type, inst_id, bar, ts, open, high, low, close)
values ('index', 'BTC-USDT-SWAP', '1m', '2024-01-01 00:00Z', 10, 12, 9, 11);

-- TEST
select results_eq(
  $$ select * from market.mark_index_gaps('mark', 'BTC-USDT-SWAP', '1m', '2024-01-01 00:00Z', '2024-01-01 00:10Z') $$,
  $$ values ('2024-01-01 00:00Z'::timestamptz, '2024-01-01 00:02Z'::timestamptz, 2::bigint),
            ('2024-01-01 00:04Z', '2024-01-01 00:06Z', 2),
            ('2024-01-01 00:08Z', '2024-01-01 00:10Z', 2) $$,
  'gaps at the start, in the middle and at the end, per price type');
select is_empty($$ select * from market.mark_index_gaps('mark', 'BTC-USDT-SWAP', '1m', '2024-01-01 00:02Z', '2024-01-01 00:04Z') $$,
                'no gap in a covered range');
select results_eq(
  $$ select * from market.mark_index_gaps('index', 'BTC-USDT', '1H', '2024-01-01 00:00Z', '2024-01-02 00:00Z') $$,
  $$ values ('2024-01-01 00:00Z'::timestamptz, '2024-01-02 00:00Z'::timestamptz, 24::bigint) $$,
  'a range without candles is one gap');
select throws_ok($$ select * from market.mark_index_gaps('last', 'BTC-USDT-SWAP', '1m', '2024-01-01Z', '2024-01-02Z') $$, '22023', null,
                 'an unknown price type is refused');
select throws_ok($$ select * from market.mark_index_gaps('mark', 'BTC-USDT-SWAP', '1h', '2024-01-01Z', '2024-01-02Z') $$, '22023', null,
                 'an unknown bar is refused');

select * from finish();
rollback;

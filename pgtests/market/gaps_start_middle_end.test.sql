-- pgtests/market/gaps_start_middle_end.test.sql
-- market.gaps lists missing runs at the start, in the middle and at the end of a range.
begin;
select plan(4);

-- SETUP
select market.ensure_candle_partitions('2024-01-01Z', '2024-01-31Z');
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
select 'TEST-USDT', '1m', t, 10, 12, 9, 11, 5
  from unnest(array['2024-01-01 00:02Z', '2024-01-01 00:03Z', '2024-01-01 00:06Z', '2024-01-01 00:07Z']::timestamptz[]) as t;

-- TEST
select results_eq(
  $$ select * from market.gaps('TEST-USDT', '1m', '2024-01-01 00:00Z', '2024-01-01 00:10Z') $$,
  $$ values ('2024-01-01 00:00Z'::timestamptz, '2024-01-01 00:02Z'::timestamptz, 2::bigint),
            ('2024-01-01 00:04Z', '2024-01-01 00:06Z', 2),
            ('2024-01-01 00:08Z', '2024-01-01 00:10Z', 2) $$,
  'gaps at the start, in the middle and at the end');
select is_empty($$ select * from market.gaps('TEST-USDT', '1m', '2024-01-01 00:02Z', '2024-01-01 00:04Z') $$, 'no gap in a covered range');
select results_eq(
  $$ select * from market.gaps('TEST-USDT', '1m', '2024-01-01 01:00Z', '2024-01-01 02:00Z') $$,
  $$ values ('2024-01-01 01:00Z'::timestamptz, '2024-01-01 02:00Z'::timestamptz, 60::bigint) $$,
  'a range without candles is one gap');
select throws_ok($$ select * from market.gaps('TEST-USDT', '1h', '2024-01-01Z', '2024-01-02Z') $$, '22023', null, 'an unknown bar is refused');

select * from finish();
rollback;

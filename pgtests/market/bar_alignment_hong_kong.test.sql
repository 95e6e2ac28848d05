-- pgtests/market/bar_alignment_hong_kong.test.sql
-- market.bar_start for 6H 12H 1D 2D 3D 1W 1M 3M: Hong Kong time (fixed UTC+8), Monday weeks, calendar months and quarters.
begin;
select plan(13);

-- SETUP
set local timezone = 'Europe/Berlin';

-- TEST
select is(market.bar_start('6H',  '2024-05-15 13:37Z'), '2024-05-15 10:00Z'::timestamptz, '6H opens at 16, 22, 04, 10 UTC (00, 06, 12, 18 HK)');
select is(market.bar_start('12H', '2024-05-15 13:37Z'), '2024-05-15 04:00Z'::timestamptz, '12H opens at 04 and 16 UTC');
select is(market.bar_start('1D',  '2024-05-15 13:37Z'), '2024-05-14 16:00Z'::timestamptz, '1D opens at 16:00 UTC (HK midnight)');
select is(market.bar_start('1D',  '2024-05-15 16:00Z'), '2024-05-15 16:00Z'::timestamptz, '1D: 16:00 UTC is its own open');
select is(market.bar_start('2D',  '2024-05-15 13:37Z'), '2024-05-14 16:00Z'::timestamptz,
          '2D: HK day 19858 since 1970-01-01 is even, so it opens a 2D bar');
select is(market.bar_start('3D',  '2024-05-15 13:37Z'), '2024-05-13 16:00Z'::timestamptz,
          '3D: floor(19858 / 3) * 3 = 19857 = 2024-05-14 HK');
select is(market.bar_start('1W',  '2024-05-15 13:37Z'), '2024-05-12 16:00Z'::timestamptz, '1W opens Monday 00:00 HK = Sunday 16:00 UTC');
select is(extract(isodow from pg_catalog.timezone(interval '8 hours', market.bar_start('1W', '2031-02-03Z')))::int, 1,
          '1W always opens on a Monday in HK');
select is(market.bar_start('1M',  '2024-05-15 13:37Z'), '2024-04-30 16:00Z'::timestamptz, '1M opens on the 1st, 00:00 HK');
select is(market.bar_start('1M',  '2024-04-30 16:30Z'), '2024-04-30 16:00Z'::timestamptz, '1M: 16:30 UTC on Apr 30 is already May in HK');
select is(market.bar_start('3M',  '2024-05-15 13:37Z'), '2024-03-31 16:00Z'::timestamptz, '3M opens on Apr 1 HK (quarters Jan/Apr/Jul/Oct)');
select is(market.bar_start('3M',  '2024-12-31 16:00Z'), '2024-12-31 16:00Z'::timestamptz, '3M: Jan 1 HK opens a quarter');
select is(market.bar_start('1D',  '1975-07-01 12:00Z'), '1975-06-30 16:00Z'::timestamptz,
          'a fixed +8 offset, not Asia/Hong_Kong''s summer time of the 1970s');

select * from finish();
rollback;

-- pgtests/market/bar_next.test.sql
-- market.bar_next: the open of the following bar, calendar-aware for months, exact across DST of the session zone.
begin;
select plan(8);

-- SETUP
set local timezone = 'Europe/London';

-- TEST
select is(market.bar_next('1m',  '2024-05-15 13:37:21Z'), '2024-05-15 13:38Z'::timestamptz, '1m');
select is(market.bar_next('4H',  '2024-05-15 22:00Z'), '2024-05-16 00:00Z'::timestamptz, '4H across midnight');
select is(market.bar_next('1D',  '2024-03-31 00:30Z'), '2024-03-31 16:00Z'::timestamptz, '1D is 24 hours even on a London DST day');
select is(market.bar_next('1Wutc', '2024-05-15Z'), '2024-05-20 00:00Z'::timestamptz, '1Wutc: next Monday');
select is(market.bar_next('1M',  '2024-02-10Z'), '2024-02-29 16:00Z'::timestamptz, '1M: February 2024 has 29 days (HK)');
select is(market.bar_next('1Mutc', '2023-02-10Z'), '2023-03-01 00:00Z'::timestamptz, '1Mutc: February 2023 has 28 days');
select is(market.bar_next('3M',  '2024-11-30Z'), '2024-12-31 16:00Z'::timestamptz, '3M: Q4 ends at Jan 1 HK');
select is(market.bar_next('3Dutc', '2024-05-14 00:00Z'), '2024-05-17 00:00Z'::timestamptz, '3Dutc');

select * from finish();
rollback;

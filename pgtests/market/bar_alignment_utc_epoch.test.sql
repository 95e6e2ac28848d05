-- pgtests/market/bar_alignment_utc_epoch.test.sql
-- market.bar_start for 1s 1m 3m 5m 15m 30m 1H 2H 4H: aligned to the UTC epoch, whatever the session TimeZone.
begin;
select plan(10);

-- SETUP
set local timezone = 'America/New_York';

-- TEST
select is(market.bar_start('1s',  '2024-05-15 13:37:21.5Z'), '2024-05-15 13:37:21Z'::timestamptz, '1s');
select is(market.bar_start('1m',  '2024-05-15 13:37:21.5Z'), '2024-05-15 13:37:00Z'::timestamptz, '1m');
select is(market.bar_start('3m',  '2024-05-15 13:37:21Z'), '2024-05-15 13:36:00Z'::timestamptz, '3m');
select is(market.bar_start('5m',  '2024-05-15 13:37:21Z'), '2024-05-15 13:35:00Z'::timestamptz, '5m');
select is(market.bar_start('15m', '2024-05-15 13:37:21Z'), '2024-05-15 13:30:00Z'::timestamptz, '15m');
select is(market.bar_start('30m', '2024-05-15 13:29:59Z'), '2024-05-15 13:00:00Z'::timestamptz, '30m');
select is(market.bar_start('1H',  '2024-05-15 13:37:21Z'), '2024-05-15 13:00:00Z'::timestamptz, '1H');
select is(market.bar_start('2H',  '2024-05-15 13:37:21Z'), '2024-05-15 12:00:00Z'::timestamptz, '2H on even UTC hours');
select is(market.bar_start('4H',  '2024-05-15 23:59:59Z'), '2024-05-15 20:00:00Z'::timestamptz, '4H on multiples of 4 UTC hours');
select is(market.bar_start('1H',  '1969-12-31 23:30Z'), '1969-12-31 23:00Z'::timestamptz, 'before 1970 too');

select * from finish();
rollback;

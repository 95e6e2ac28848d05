-- pgtests/market/bar_alignment_utc_forms.test.sql
-- market.bar_start for 6Hutc 12Hutc 1Dutc 2Dutc 3Dutc 1Wutc 1Mutc 3Mutc: the same sizes aligned to UTC.
begin;
select plan(9);

-- SETUP
set local timezone = 'Asia/Tokyo';

-- TEST
select is(market.bar_start('6Hutc',  '2024-05-15 13:37Z'), '2024-05-15 12:00Z'::timestamptz, '6Hutc');
select is(market.bar_start('12Hutc', '2024-05-15 13:37Z'), '2024-05-15 12:00Z'::timestamptz, '12Hutc');
select is(market.bar_start('1Dutc',  '2024-05-15 13:37Z'), '2024-05-15 00:00Z'::timestamptz, '1Dutc opens at 00:00 UTC');
select is(market.bar_start('2Dutc',  '2024-05-15 13:37Z'), '2024-05-15 00:00Z'::timestamptz, '2Dutc: UTC day 19858 is even');
select is(market.bar_start('3Dutc',  '2024-05-15 13:37Z'), '2024-05-14 00:00Z'::timestamptz, '3Dutc: floor(19858 / 3) * 3 = 19857');
select is(market.bar_start('1Wutc',  '2024-05-15 13:37Z'), '2024-05-13 00:00Z'::timestamptz, '1Wutc opens Monday 00:00 UTC');
select is(market.bar_start('1Mutc',  '2024-05-15 13:37Z'), '2024-05-01 00:00Z'::timestamptz, '1Mutc opens on the 1st, 00:00 UTC');
select is(market.bar_start('3Mutc',  '2024-05-15 13:37Z'), '2024-04-01 00:00Z'::timestamptz, '3Mutc opens Apr 1, 00:00 UTC');
select is(market.bar_start('2Hutc',  '2024-05-15 13:37Z'), null, 'there is no 2Hutc');

select * from finish();
rollback;

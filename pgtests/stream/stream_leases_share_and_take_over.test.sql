-- pgtests/stream/stream_leases_share_and_take_over.test.sql
-- Stream leases: one holder per series, fair shares between live holders, a dead holder's series taken over.
begin;
select plan(12);

-- SETUP
delete from market.stream_holders;
delete from market.watchlist;
insert into market.watchlist (inst_id, bar)
select 'S' || n || '-USDT', '1m' from generate_series(1, 6) as n;
insert into market.watchlist (inst_id, bar, enabled) values ('OFF-USDT', '1m', false);

-- TEST
select is((select count(*)::int from market.stream_lease_take('a', 100, 30)), 6,
          'the only live holder takes every enabled series');
select is((select count(*)::int from market.stream_leases where inst_id = 'OFF-USDT'), 0,
          'a disabled entry is never leased');
select is((select count(*)::int from market.stream_lease_take('b', 100, 30)), 0,
          'a second holder finds nothing free at first');
select is((select count(*)::int from market.stream_lease_take('a', 100, 30)), 3,
          'the first holder hands back the series over its fair share (ceil(6 / 2))');
select is((select count(*)::int from market.stream_lease_take('b', 100, 30)), 3,
          'the second holder takes the series handed back');
select is((select count(*)::int from market.stream_leases), 6, 'every series has exactly one lease');
select is((select count(distinct holder)::int from market.stream_leases), 2, 'held by two holders');

-- b dies: its leases and heartbeat expire.
update market.stream_leases set expires_at = clock_timestamp() - interval '1 second' where holder = 'b';
update market.stream_holders set seen_until = clock_timestamp() - interval '1 second' where holder = 'b';
select is((select count(*)::int from market.stream_lease_take('a', 100, 30)), 6,
          'the live holder takes the dead holder''s series once their leases expired');
select is(market.stream_series_held('S1-USDT', '1m'), true, 'a held series is reported held');

select is(market.stream_lease_release('a'), 6, 'release returns how many series were held');
select is(market.stream_series_held('S1-USDT', '1m'), false, 'a released series is free');
select is((select count(*)::int from market.stream_lease_take('a', 2, 30)), 2, 'max_series caps a holder''s share');

select * from finish();
rollback;

-- pgtests/stream/stream_leases_refuse_bad_input.test.sql
-- The lease functions refuse bad arguments, naming the argument, and write nothing.
begin;
select plan(6);

-- SETUP
delete from market.stream_holders;

-- TEST
select throws_like($$ select * from market.stream_lease_take('', 10, 30) $$, '%holder must be a name%',
                   'an empty holder is refused');
select throws_like($$ select * from market.stream_lease_take(null, 10, 30) $$, '%holder must be a name%',
                   'a NULL holder is refused');
select throws_like($$ select * from market.stream_lease_take('a', -1, 30) $$, '%max_series must be 0 or more%',
                   'a negative max_series is refused');
select throws_like($$ select * from market.stream_lease_take('a', 10, 0) $$, '%lease_seconds must be between 1 and 3600%',
                   'a zero lease is refused');
select throws_like($$ select market.stream_lease_release('') $$, '%holder must be a name%',
                   'release refuses an empty holder');
select is((select count(*)::int from market.stream_holders), 0, 'nothing was written');

select * from finish();
rollback;

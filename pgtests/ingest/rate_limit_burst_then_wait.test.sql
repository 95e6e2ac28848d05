-- pgtests/ingest/rate_limit_burst_then_wait.test.sql
-- market.okx_rate_acquire grants a full window at once, then answers how long to wait; keys and endpoints are separate budgets.
begin;
select plan(7);

-- SETUP
delete from market.okx_rate_limits;

-- TEST
select is((select array_agg(market.okx_rate_acquire('host-a', 'history-candles', 3, 2000)) from generate_series(1, 3)),
          array[0, 0, 0], 'a full window of 3 goes at once');
select cmp_ok(market.okx_rate_acquire('host-a', 'history-candles', 3, 2000), '>', 0, 'the 4th must wait');
select cmp_ok(market.okx_rate_acquire('host-a', 'history-candles', 3, 2000), '<=', 2100, 'at most window + margin');
select is(market.okx_rate_acquire('host-b', 'history-candles', 3, 2000), 0, 'another rate key has its own budget');
select is(market.okx_rate_acquire('host-a', 'candles', 3, 2000), 0, 'another endpoint has its own budget');
update market.okx_rate_limits set grants = array(select g - interval '2.2 s' from unnest(grants) as g)
 where rate_key = 'host-a' and endpoint = 'history-candles';
select is(market.okx_rate_acquire('host-a', 'history-candles', 3, 2000), 0, 'grants older than window + margin no longer count');
select throws_ok($$ select market.okx_rate_acquire('host-a', 'candles', 0, 2000) $$, '22023', null,
                 'a limit below 1 is refused');

select * from finish();
rollback;

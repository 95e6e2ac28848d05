-- pgtests/market/upsert_tickers.test.sql
-- market.upsert_tickers keeps the newest 24h snapshot per instrument from OKX's data array.
begin;
select plan(4);

-- TEST
select is(market.upsert_tickers('[
  {"instType":"SPOT","instId":"BTC-USDT","last":"43000.1","lastSz":"0.01","askPx":"43000.2","askSz":"1","bidPx":"43000.1","bidSz":"2","open24h":"42000","high24h":"44000","low24h":"41000","vol24h":"1000","volCcy24h":"43000000.5","sodUtc0":"42500","sodUtc8":"42600","ts":"1704067200000"},
  {"instType":"SPOT","instId":"ETH-USDT","last":"2300","open24h":"","ts":"1704067200000"}]'), 2, 'two tickers stored');
select results_eq($$ select last, vol_ccy_24h, ts from market.tickers where inst_id = 'BTC-USDT' $$,
                  $$ values (43000.1::numeric, 43000000.5::numeric, '2024-01-01 00:00Z'::timestamptz) $$, 'fields parsed exactly');
select is(market.upsert_tickers('[{"instId":"BTC-USDT","last":"1","ts":"1704060000000"}]'), 0, 'an older snapshot is ignored');
select throws_ok($$ select market.upsert_tickers('[{"instId":"BTC-USDT","last":"1"}]') $$, '22023', null, 'a ticker without ts is refused');

select * from finish();
rollback;

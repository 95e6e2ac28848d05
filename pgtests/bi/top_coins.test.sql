-- pgtests/bi/top_coins.test.sql
-- bi.top_coins ranks listed spot instruments by 24h quote volume, with currencies and last price.
begin;
select plan(1);

-- SETUP
insert into market.instruments (inst_id, inst_type, base_ccy, quote_ccy) values
  ('BTC-USDT', 'SPOT', 'BTC', 'USDT'), ('ETH-USDT', 'SPOT', 'ETH', 'USDT'),
  ('OLD-USDT', 'SPOT', 'OLD', 'USDT'), ('BTC-USDT-SWAP', 'SWAP', null, null);
update market.instruments set delisted_at = now() where inst_id = 'OLD-USDT';
insert into market.tickers (inst_id, last, vol_ccy_24h, ts) values
  ('BTC-USDT', 43000, 9000000, '2024-01-01Z'), ('ETH-USDT', 2300, 12000000, '2024-01-01Z'),
  ('OLD-USDT', 1, 99000000, '2024-01-01Z'), ('BTC-USDT-SWAP', 43001, 50000000, '2024-01-01Z');
refresh materialized view bi.top_coins;

-- TEST
select results_eq(
  $$ select rank, instrument, base_currency, quote_currency, last_price, quote_volume_24h from bi.top_coins order by rank $$,
  $$ values (1, 'ETH-USDT', 'ETH', 'USDT', 2300::numeric, 12000000::numeric),
            (2, 'BTC-USDT', 'BTC', 'USDT', 43000::numeric, 9000000::numeric) $$,
  'listed spot only, most traded first');

select * from finish();
rollback;

-- pgtests/bi/refresh_views.test.sql
-- market.refresh_views refreshes every bi materialized view (concurrently when populated, plainly when not)
-- and the incrementally kept bi.daily_candles and bi.data_coverage.
begin;
select plan(4);

-- SETUP
refresh materialized view bi.top_coins with no data;
insert into market.instruments (inst_id, inst_type, base_ccy, quote_ccy) values ('BTC-USDT', 'SPOT', 'BTC', 'USDT');
insert into market.tickers (inst_id, last, vol_ccy_24h, ts) values ('BTC-USDT', 43000, 9000000, '2024-01-01Z');

-- TEST
select results_eq($$ select view_name, refreshed_concurrently from market.refresh_views() $$,
                  $$ values ('bi.daily_candles', true), ('bi.data_coverage', true), ('bi.top_coins', false) $$,
                  'every bi materialized view, the unpopulated one plainly');
select is((select count(*) from bi.top_coins), 1::bigint, 'the refreshed view holds the new data');
select results_eq($$ select view_name, refreshed_concurrently from market.refresh_views() $$,
                  $$ values ('bi.daily_candles', true), ('bi.data_coverage', true), ('bi.top_coins', true) $$,
                  'then concurrently');
select is((select count(*) from pg_indexes i join pg_matviews m on m.schemaname = i.schemaname and m.matviewname = i.tablename
            where m.schemaname = 'bi' and i.indexdef like 'CREATE UNIQUE INDEX%'), (select count(*) from pg_matviews where schemaname = 'bi'),
          'each materialized view has a unique index');

select * from finish();
rollback;

-- pgtests/market/watchlist_validation.test.sql
-- market.watchlist refuses an unknown bar or a malformed inst_id at INSERT; the instrument need not exist yet.
begin;
select plan(6);

-- TEST
select lives_ok($$ insert into market.watchlist (inst_id, bar, history_from) values ('BTC-USDT', '1m', '2024-01-01Z') $$,
                'BTC-USDT 1m is accepted on an empty instruments table');
select lives_ok($$ insert into market.watchlist (inst_id, bar) values ('BTC-USDT-SWAP', '1Dutc') $$, 'a swap with 1Dutc is accepted');
select is((select added_by from market.watchlist where inst_id = 'BTC-USDT'), current_user::text, 'added_by defaults to current_user');
select throws_ok($$ insert into market.watchlist (inst_id, bar) values ('ETH-USDT', '1h') $$, '23514', null, 'bar 1h is refused');
select throws_ok($$ insert into market.watchlist (inst_id, bar) values ('btc-usdt', '1m') $$, '23514', null, 'a lower-case inst_id is refused');
select throws_ok($$ insert into market.watchlist (inst_id, bar) values ('BTCUSDT', '1m') $$, '23514', null, 'an inst_id without a dash is refused');

select * from finish();
rollback;

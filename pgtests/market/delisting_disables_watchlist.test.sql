-- pgtests/market/delisting_disables_watchlist.test.sql
-- A delisted instrument's watchlist entries are disabled with a readable reason, their schedules too;
-- nothing is re-enabled when it comes back; bi.watchlist shows them.
begin;
select plan(14);

-- SETUP
delete from queue.schedules;
delete from queue.jobs;
select * from market.upsert_instruments('SPOT', '[{"instType":"SPOT","instId":"BTC-USDT"},{"instType":"SPOT","instId":"ETH-USDT"}]');
insert into market.watchlist (inst_id, bar) values ('BTC-USDT', '1m'), ('ETH-USDT', '1m'), ('ETH-USDT', '1H');
select queue.enqueue('ingest', '{"inst_id":"ETH-USDT","bar":"1m"}', unique_key => 'schedule:ingest:ETH-USDT:1m');
select queue.enqueue('ingest', '{"inst_id":"BTC-USDT","bar":"1m"}', unique_key => 'schedule:ingest:BTC-USDT:1m');

-- TEST
select results_eq($$ select * from market.upsert_instruments('SPOT', '[{"instType":"SPOT","instId":"BTC-USDT"}]', null) $$,
                  $$ values (0, 1, 1, 2) $$, 'ETH-USDT vanishes: delisted, and its two entries disabled');
select results_eq($$ select inst_id, bar, enabled from market.watchlist order by inst_id, bar $$,
                  $$ values ('BTC-USDT'::text, '1m'::text, true), ('ETH-USDT', '1H', false), ('ETH-USDT', '1m', false) $$,
                  'only the delisted instrument''s entries are disabled');
select ok((select bool_and(disabled_reason like 'ETH-USDT was delisted: OKX''s SPOT instruments have not listed it since %'
                           and disabled_reason like '%set enabled = true where inst_id = ''ETH-USDT'' and bar = ''1_''%'
                           and disabled_at is not null)
             from market.watchlist where inst_id = 'ETH-USDT'),
          'each says why, since when, and how to re-enable it');
select results_eq($$ select name, enabled from queue.schedules where name like '%:ETH-USDT:%' order by name $$,
                  $$ values ('ingest:ETH-USDT:1H'::text, false), ('ingest:ETH-USDT:1m', false),
                            ('repair_gaps:ETH-USDT:1H', false), ('repair_gaps:ETH-USDT:1m', false) $$,
                  'their ingest and repair_gaps schedules are disabled');
select is((select count(*)::int from queue.schedules where name like '%:BTC-USDT:%' and enabled), 2,
          'the listed instrument''s schedules run on');
select results_eq($$ select unique_key, status from queue.jobs where kind = 'ingest' order by unique_key $$,
                  $$ values ('schedule:ingest:BTC-USDT:1m'::text, 'queued'::text), ('schedule:ingest:ETH-USDT:1m', 'cancelled') $$,
                  'the delisted entry''s queued ingest is cancelled, the other one waits');

select results_eq($$ select * from market.upsert_instruments('SPOT', '[{"instType":"SPOT","instId":"BTC-USDT"},{"instType":"SPOT","instId":"ETH-USDT"}]', null) $$,
                  $$ values (0, 2, 0, 0) $$, 'ETH-USDT comes back');
select is((select count(*)::int from market.watchlist where inst_id = 'ETH-USDT' and not enabled and disabled_reason is not null), 2,
          'its entries stay disabled with their reason: nothing is re-enabled silently');
select results_eq($$ select instrument, bar, is_enabled, instrument_status, disabled_reason is not null
                       from bi.watchlist order by instrument, bar $$,
                  $$ values ('BTC-USDT'::text, '1m'::text, true, 'listed'::text, false),
                            ('ETH-USDT', '1H', false, 'listed', true), ('ETH-USDT', '1m', false, 'listed', true) $$,
                  'bi.watchlist shows the disabled entries, their reason and that the instrument is listed again');

update market.watchlist set enabled = true where inst_id = 'ETH-USDT' and bar = '1m';
select results_eq($$ select w.disabled_reason, w.disabled_at, s.enabled
                       from market.watchlist as w join queue.schedules as s on s.name = 'ingest:ETH-USDT:1m'
                      where w.inst_id = 'ETH-USDT' and w.bar = '1m' $$,
                  $$ values (null::text, null::timestamptz, true) $$,
                  'the operator re-enables: the reason is cleared and the schedule runs again');
update market.watchlist set enabled = false where inst_id = 'BTC-USDT';
select is((select disabled_reason from market.watchlist where inst_id = 'BTC-USDT'), 'disabled by ' || session_user,
          'an entry someone disables says who');

select * from market.upsert_instruments('SPOT', '[{"instType":"SPOT","instId":"BTC-USDT"}]', null);
insert into market.watchlist (inst_id, bar) values ('ETH-USDT', '5m');
select is((select (u).disabled_entries from (select market.upsert_instruments('SPOT', '[{"instType":"SPOT","instId":"BTC-USDT"}]', null) as u) as x),
          1, 'an entry added while its instrument is delisted is disabled at the next sync');
select is((select count(*)::int from market.watchlist where inst_id = 'ETH-USDT' and enabled), 0, 'no ETH-USDT entry left enabled');
select throws_ok($$ update market.watchlist set disabled_reason = 'x' where inst_id = 'BTC-USDT' and bar = '1m';
                    alter table market.watchlist disable trigger watchlist_disabled_reason;
                    update market.watchlist set enabled = true where inst_id = 'BTC-USDT' $$,
                 '23514', null, 'an enabled entry with a disabled_reason is refused (the CHECK behind the trigger)');

select * from finish();
rollback;

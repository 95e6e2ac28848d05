-- pgtests/ingest/sync_instruments_option_needs_inst_family.test.sql
-- sync_instruments for OPTION carries inst_family (OKX requires instFamily); option watchlist entries sync per family.
begin;
select plan(11);

-- SETUP
delete from queue.schedules;
delete from queue.jobs;

-- TEST
select throws_ok($$ select queue.validate_payload('sync_instruments', '{"inst_type":"OPTION"}') $$, '22023',
                 'sync_instruments payload: "inst_family" is required for inst_type OPTION (OKX requires instFamily for options), e.g. "BTC-USD"',
                 'OPTION without inst_family is refused, naming the field');
select is(queue.validate_payload('sync_instruments', '{"inst_type":"OPTION","inst_family":"BTC-USD"}'),
          '{"inst_type":"OPTION","inst_family":"BTC-USD"}'::jsonb, 'OPTION with inst_family is accepted');
select is(queue.validate_payload('sync_instruments', '{"inst_type":"SWAP","inst_family":"BTC-USDT"}'),
          '{"inst_type":"SWAP","inst_family":"BTC-USDT"}'::jsonb, 'SWAP may name a family');
select is(queue.validate_payload('sync_instruments', '{"inst_type":"SWAP"}'), '{"inst_type":"SWAP"}'::jsonb,
          'SWAP needs none');
select throws_ok($$ select queue.validate_payload('sync_instruments', '{"inst_type":"SPOT","inst_family":"BTC-USDT"}') $$,
                 '22023', null, 'SPOT has no families');
select throws_ok($$ select queue.validate_payload('sync_instruments', '{"inst_type":"OPTION","inst_family":"btc-usd"}') $$,
                 '22023', null, 'a family must look like BTC-USD');
select throws_ok($$ select queue.validate_payload('sync_instruments', '{"inst_type":"OPTION","inst_family":7}') $$,
                 '22023', null, 'a family is a string');

insert into market.watchlist (inst_id, bar) values ('BTC-USD-240628-60000-C', '1H'), ('BTC-USD-240628-70000-P', '1H'),
                                                   ('ETH-USD-240628-3000-C', '1H');
select results_eq($$ select name, payload from queue.schedules where kind = 'sync_instruments' order by name $$,
                  $$ values ('sync_instruments:OPTION:BTC-USD'::text, '{"inst_type":"OPTION","inst_family":"BTC-USD"}'::jsonb),
                            ('sync_instruments:OPTION:ETH-USD', '{"inst_type":"OPTION","inst_family":"ETH-USD"}'::jsonb) $$,
                  'option entries get one sync_instruments schedule per family, with inst_family');
select is(market.inst_family_of('BTC-USDT-SWAP'), 'BTC-USDT', 'a swap''s family');
select is(market.inst_family_of('BTC-USDT'), null, 'spot has none');

-- upsert per family: another family's options are not delisted by this family's answer
select * from market.upsert_instruments('OPTION', '[{"instType":"OPTION","instId":"ETH-USD-240628-3000-C","instFamily":"ETH-USD"}]', 'ETH-USD');
select results_eq($$ select * from market.upsert_instruments('OPTION',
                       '[{"instType":"OPTION","instId":"BTC-USD-240628-60000-C","instFamily":"BTC-USD"}]', 'BTC-USD') $$,
                  $$ values (1, 0, 0, 0) $$, 'a BTC-USD answer delists no ETH-USD option');

select * from finish();
rollback;

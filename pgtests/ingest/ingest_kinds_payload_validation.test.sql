-- pgtests/ingest/ingest_kinds_payload_validation.test.sql
-- The validators of ingest, repair_gaps, sync_instruments, sync_tickers and refresh_views.
begin;
select plan(10);

-- TEST
select is(queue.validate_payload('ingest', '{"inst_id":"BTC-USDT","bar":"1H"}'),
          '{"inst_id":"BTC-USDT","bar":"1H"}'::jsonb, 'ingest takes inst_id and bar');
select throws_ok($$ select queue.validate_payload('ingest', '{"inst_id":"BTC-USDT"}') $$, '22023', null, 'ingest needs a bar');
select is(queue.validate_payload('repair_gaps', '{"inst_id":"BTC-USDT","bar":"1m"}'),
          '{"inst_id":"BTC-USDT","bar":"1m"}'::jsonb, 'repair_gaps: from and to are optional');
select throws_ok($$ select queue.validate_payload('repair_gaps', '{"inst_id":"BTC-USDT","bar":"1m","from":"2024-02-01","to":"2024-01-01"}') $$,
                 '22023', null, 'repair_gaps: from before to');
select is(queue.validate_payload('sync_instruments', '{}'), '{"inst_type":"SPOT"}'::jsonb, 'inst_type defaults to SPOT');
select is(queue.validate_payload('sync_tickers', '{"inst_type":"SWAP"}'), '{"inst_type":"SWAP"}'::jsonb, 'sync_tickers takes SWAP');
select throws_ok($$ select queue.validate_payload('sync_tickers', '{"inst_type":"spot"}') $$, '22023', null,
                 'inst_type is case sensitive');
select throws_ok($$ select queue.validate_payload('sync_instruments', '{"inst_type":1}') $$, '22023', null,
                 'inst_type must be a string');
select is(queue.validate_payload('refresh_views', '{}'), '{}'::jsonb, 'refresh_views takes nothing');
select throws_ok($$ select queue.validate_payload('refresh_views', '{"all":true}') $$, '22023', null,
                 'refresh_views refuses fields');

select * from finish();
rollback;

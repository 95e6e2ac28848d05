-- pgtests/ingest/swap_kinds_payload_validation.test.sql
-- The validators of backfill_funding, ingest_funding, backfill_mark_index and ingest_mark_index refuse bad payloads at INSERT, naming the field.
begin;
select plan(14);

-- TEST
select is(queue.validate_payload('ingest_funding', '{"inst_id":"BTC-USDT-SWAP"}'), '{"inst_id":"BTC-USDT-SWAP"}'::jsonb,
          'ingest_funding takes a swap');
select throws_ok($$ select queue.validate_payload('ingest_funding', '{"inst_id":"BTC-USDT"}') $$, '22023', null,
                 'ingest_funding refuses a spot instrument (no funding)');
select is(queue.validate_payload('backfill_funding', '{"inst_id":"BTC-USDT-SWAP","from":"2024-01-01","to":"2024-02-01"}'),
          '{"inst_id":"BTC-USDT-SWAP","from":"2024-01-01T00:00:00Z","to":"2024-02-01T00:00:00Z"}'::jsonb,
          'backfill_funding normalizes its range to UTC');
select throws_ok($$ select queue.validate_payload('backfill_funding', '{"inst_id":"BTC-USDT-SWAP"}') $$, '22023', null,
                 'backfill_funding needs from');
select throws_ok($$ select queue.validate_payload('backfill_funding', '{"inst_id":"BTC-USDT-SWAP","from":"2024-02-01","to":"2024-01-01"}') $$,
                 '22023', null, 'backfill_funding: from before to');
select throws_ok($$ select queue.validate_payload('backfill_funding', '{"inst_id":"BTC-USDT-SWAP","from":"2024-01-01","bar":"1m"}') $$,
                 '22023', null, 'backfill_funding refuses unknown fields');
select is(queue.validate_payload('ingest_mark_index', '{"inst_id":"BTC-USDT-SWAP","bar":"1H"}'),
          '{"price_type":"mark","inst_id":"BTC-USDT-SWAP","bar":"1H"}'::jsonb, 'price_type defaults to mark');
select is(queue.validate_payload('ingest_mark_index', '{"price_type":"index","inst_id":"BTC-USDT","bar":"1m"}'),
          '{"price_type":"index","inst_id":"BTC-USDT","bar":"1m"}'::jsonb, 'an index series is named like a spot pair');
select throws_ok($$ select queue.validate_payload('ingest_mark_index', '{"price_type":"last","inst_id":"BTC-USDT-SWAP","bar":"1m"}') $$,
                 '22023', null, 'an unknown price_type is refused');
select throws_ok($$ select queue.validate_payload('ingest_mark_index', '{"price_type":"mark","inst_id":"BTC-USDT","bar":"1m"}') $$,
                 '22023', null, 'mark candles need a swap');
select throws_ok($$ select queue.validate_payload('ingest_mark_index', '{"price_type":"index","inst_id":"BTC-USDT-SWAP","bar":"1m"}') $$,
                 '22023', null, 'an index is not named like a swap');
select throws_ok($$ select queue.validate_payload('backfill_mark_index', '{"inst_id":"BTC-USDT-SWAP","bar":"7m","from":"2024-01-01"}') $$,
                 '22023', null, 'backfill_mark_index refuses an unknown bar');
select throws_ok($$ insert into queue.jobs (kind, payload) values ('backfill_mark_index', '{"inst_id":"BTC-USDT-SWAP","bar":"1m"}') $$,
                 '22023', null, 'a job without from is refused at INSERT');
select lives_ok($$ insert into queue.jobs (kind, payload) values ('backfill_mark_index', '{"inst_id":"BTC-USDT-SWAP","bar":"1m","from":"2024-01-01"}') $$,
                'a sound job is queued');

select * from finish();
rollback;

-- pgtests/ingest/backfill_payload_validation.test.sql
-- queue.validate_backfill normalizes a good payload and refuses bad fields with 22023.
begin;
select plan(8);

-- TEST
select is(queue.validate_payload('backfill', '{"inst_id":"BTC-USDT","bar":"1m","from":"2024-01-01","to":"2024-01-02T00:00"}'),
          '{"inst_id":"BTC-USDT","bar":"1m","from":"2024-01-01T00:00:00Z","to":"2024-01-02T00:00:00Z"}'::jsonb,
          'times are normalized to UTC strings');
select ok(queue.validate_payload('backfill', '{"inst_id":"BTC-USDT","bar":"1m","from":"2024-01-01"}') ? 'to',
          'to defaults to now');
select throws_ok($$ select queue.validate_payload('backfill', '{"bar":"1m","from":"2024-01-01"}') $$,
                 '22023', null, 'inst_id is required');
select throws_ok($$ select queue.validate_payload('backfill', '{"inst_id":"btc","bar":"1m","from":"2024-01-01"}') $$,
                 '22023', null, 'a malformed inst_id is refused');
select throws_ok($$ select queue.validate_payload('backfill', '{"inst_id":"BTC-USDT","bar":"1x","from":"2024-01-01"}') $$,
                 '22023', null, 'an unknown bar is refused');
select throws_ok($$ select queue.validate_payload('backfill', '{"inst_id":"BTC-USDT","bar":"1m","from":"2024-01-02","to":"2024-01-01"}') $$,
                 '22023', null, 'from must be before to');
select throws_ok($$ select queue.validate_payload('backfill', '{"inst_id":"BTC-USDT","bar":"1m","from":"yesterday"}') $$,
                 '22023', null, 'from must be a date');
select throws_ok($$ select queue.validate_payload('backfill', '{"inst_id":"BTC-USDT","bar":"1m","from":"2024-01-01","limit":5}') $$,
                 '22023', null, 'unknown fields are refused');

select * from finish();
rollback;

-- pgtests/queue/validation_helpers.test.sql
-- The payload helpers of sql/0200, directly and through a test-only validator registered as a kind.
begin;
select plan(30);

-- SETUP: a backfill-like kind, built only inside this transaction.
create function queue.test_validate_range(payload jsonb) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  v_from timestamptz := queue.payload_timestamptz(payload, 'test_range', 'from', true);
  v_to   timestamptz := queue.payload_timestamptz(payload, 'test_range', 'to', true);
begin
  perform queue.payload_reject_unknown(payload, 'test_range', array['inst_id', 'bar', 'from', 'to']);
  perform queue.payload_check_range('test_range', 'from', v_from, 'to', v_to);
  return pg_catalog.jsonb_build_object(
    'inst_id', queue.payload_inst_id(payload, 'test_range', 'inst_id'),
    'bar', queue.payload_bar(payload, 'test_range', 'bar', false, '1m'),
    'from', queue.json_utc(v_from), 'to', queue.json_utc(v_to));
end;
$$;
insert into queue.job_kinds (kind, description, validator)
values ('test_range', 'test kind', 'queue.test_validate_range');

-- TEST: helpers directly
select is(queue.payload_text('{"a": "x"}', 'k', 'a'), 'x', 'payload_text reads a string');
select is(queue.payload_text('{}', 'k', 'a', false, 'd'), 'd', 'payload_text: missing optional field gives the default');
select throws_ok($$ select queue.payload_text('{}', 'k', 'a', true) $$, '22023', null, 'payload_text: missing required field');
select throws_ok($$ select queue.payload_text('{"a": 1}', 'k', 'a') $$, '22023', null, 'payload_text: a number is not a string');
select is(queue.payload_int('{"n": 5}', 'k', 'n', true, 0, 10), 5::bigint, 'payload_int reads an integer');
select is(queue.payload_int('{"n": null}', 'k', 'n', false, 0, 10, 3), 3::bigint, 'payload_int: null means the default');
select throws_ok($$ select queue.payload_int('{}', 'k', 'n', true, 0, 10) $$, '22023', null, 'payload_int: missing required field');
select throws_ok($$ select queue.payload_int('{"n": 11}', 'k', 'n', true, 0, 10) $$, '22023', null, 'payload_int: out of range');
select is(queue.payload_bool('{"b": true}', 'k', 'b'), true, 'payload_bool reads a boolean');
select throws_ok($$ select queue.payload_bool('{"b": 1}', 'k', 'b') $$, '22023', null, 'payload_bool: 1 is not a boolean');
select is(queue.payload_timestamptz('{"t": "2024-01-01"}', 'k', 't'), '2024-01-01 00:00:00+00'::timestamptz,
          'payload_timestamptz: a date is midnight UTC');
set local timezone = 'Asia/Hong_Kong';
select is(queue.payload_timestamptz('{"t": "2024-01-01T12:30"}', 'k', 't'), '2024-01-01 12:30:00+00'::timestamptz,
          'payload_timestamptz: no offset means UTC whatever the session time zone');
select is(queue.payload_timestamptz('{"t": "2024-01-01T12:00:00+02:00"}', 'k', 't'), '2024-01-01 10:00:00+00'::timestamptz,
          'payload_timestamptz: an explicit offset is honoured');
select is(queue.json_utc('2024-01-01 08:00:00+08'), '"2024-01-01T00:00:00Z"'::jsonb, 'json_utc writes UTC whatever the session time zone');
reset timezone;
select throws_ok($$ select queue.payload_timestamptz('{"t": "yesterday"}', 'k', 't') $$, '22023', null, 'payload_timestamptz: garbage');
select throws_ok($$ select queue.payload_timestamptz('{"t": "2024-02-30"}', 'k', 't') $$, '22023', null, 'payload_timestamptz: an impossible date');
select is(queue.payload_inst_id('{"i": "BTC-USDT-SWAP"}', 'k', 'i'), 'BTC-USDT-SWAP', 'payload_inst_id reads an instrument id');
select throws_ok($$ select queue.payload_inst_id('{"i": "btc-usdt"}', 'k', 'i') $$, '22023', null, 'payload_inst_id: lower case');
select throws_ok($$ select queue.payload_inst_id('{"i": "BTCUSDT"}', 'k', 'i') $$, '22023', null, 'payload_inst_id: one part only');
select is(queue.payload_bar('{"b": "1Dutc"}', 'k', 'b'), '1Dutc', 'payload_bar reads a bar');
select throws_ok($$ select queue.payload_bar('{"b": "1h"}', 'k', 'b') $$, '22023', null, 'payload_bar: 1h is not an OKX bar (1H is)');
select throws_ok($$ select queue.payload_check_range('k', 'from', '2024-01-02', 'to', '2024-01-01') $$, '22023', null,
                 'payload_check_range: from after to');
select throws_ok($$ select queue.payload_reject_unknown('{"a": 1, "z": 2}', 'k', array['a']) $$, '22023', null,
                 'payload_reject_unknown: a field outside the list');
-- TEST: through INSERT with the test-only kind
select lives_ok($$ insert into queue.jobs (kind, payload) values ('test_range', '{"inst_id": "BTC-USDT", "from": "2024-01-01", "to": "2024-02-01T00:00:00Z"}') $$,
                'a sound payload is accepted');
select is((select payload from queue.jobs where kind = 'test_range'),
          '{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01T00:00:00Z", "to": "2024-02-01T00:00:00Z"}'::jsonb,
          'and normalized: default bar, dates in UTC ISO form');
select throws_ok($$ insert into queue.jobs (kind, payload) values ('test_range', '{"inst_id": "BTC-USDT", "bar": "7m", "from": "2024-01-01", "to": "2024-02-01"}') $$,
                 '22023', null, 'a bad bar is refused at INSERT');
select throws_ok($$ insert into queue.jobs (kind, payload) values ('test_range', '{"inst_id": "BTC_USDT", "from": "2024-01-01", "to": "2024-02-01"}') $$,
                 '22023', null, 'a malformed instrument id is refused at INSERT');
select throws_ok($$ insert into queue.jobs (kind, payload) values ('test_range', '{"inst_id": "BTC-USDT", "from": "2024-13-01", "to": "2024-02-01"}') $$,
                 '22023', null, 'an unparsable date is refused at INSERT');
select throws_ok($$ insert into queue.jobs (kind, payload) values ('test_range', '{"inst_id": "BTC-USDT", "from": "2024-02-01", "to": "2024-02-01"}') $$,
                 '22023', null, 'from >= to is refused at INSERT');
select throws_ok($$ insert into queue.jobs (kind, payload) values ('test_range', '{"from": "2024-01-01", "to": "2024-02-01"}') $$,
                 '22023', null, 'a missing required field is refused at INSERT');

select * from finish();
rollback;

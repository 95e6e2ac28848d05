-- pgtests/backtest/walk_forward_payload_validation.test.sql
-- Kind walk_forward: the optimize fields plus train, test (intervals > 0) and mode (22023).
begin;
select plan(8);

-- SETUP
create temporary table ok (p jsonb);
insert into ok values ('{"inst_id": "BTC-USDT", "bar": "1H", "from": "2024-01-01", "to": "2024-07-01", "engine": "sma_cross", "grid": {"fast": [5, 10], "slow": [30, 50]}}');

-- TEST
select lives_ok($$ select queue.enqueue('walk_forward', (select p from ok) || '{"train": "30 days", "test": "7 days", "mode": "anchored"}') $$, 'a sound walk-forward');
select is((queue.validate_payload('walk_forward', (select p from ok) || '{"train": "2 days", "test": "1 day"}') ->> 'train_ms')::bigint, 172800000::bigint, 'train_ms is filled in');
select is(queue.validate_payload('walk_forward', (select p from ok) || '{"train": "2 days", "test": "1 day"}') ->> 'mode', 'rolling', 'mode defaults to rolling');
select throws_ok($$ select queue.enqueue('walk_forward', (select p from ok) || '{"test": "7 days"}') $$, '22023', null, 'train is required');
select throws_ok($$ select queue.enqueue('walk_forward', (select p from ok) || '{"train": "a month or so", "test": "7 days"}') $$, '22023', null, 'train that is not an interval');
select throws_ok($$ select queue.enqueue('walk_forward', (select p from ok) || '{"train": "30 days", "test": "0 days"}') $$, '22023', null, 'test of 0');
select throws_ok($$ select queue.enqueue('walk_forward', (select p from ok) || '{"train": "30 days", "test": "7 days", "mode": "sliding"}') $$, '22023', null, 'an unknown mode');
select lives_ok($$ select queue.validate_payload('walk_forward', queue.validate_payload('walk_forward', (select p from ok) || '{"train": "30 days", "test": "7 days"}')) $$, 'a normalized payload validates again');

select * from finish();
rollback;

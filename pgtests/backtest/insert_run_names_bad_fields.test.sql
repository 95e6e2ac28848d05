-- pgtests/backtest/insert_run_names_bad_fields.test.sql
-- backtest.insert_run takes one record with named fields: a missing, mistyped or unknown field is
-- refused with 22023 naming it, and nothing is stored.
begin;
select plan(14);

-- SETUP
create temp table rec on commit drop as
select jsonb_build_object(
  'job_id', null, 'attempt', null, 'kind', 'backtest', 'strategy', null, 'engine', 'buy_hold',
  'params', '{"allow_short": false}'::jsonb, 'inst_id', 'BTC-USDT', 'bar', '1m',
  'from', '2024-01-01 00:00:00+00', 'to', '2024-01-02 00:00:00+00', 'fee_rate', 0.001, 'slippage_bps', 0,
  'capital', 10000, 'lot_size', 0.00000001, 'candle_count', 1440, 'gap_count', 0, 'missing_bars', 0,
  'resampled', false, 'status', 'succeeded', 'note', null, 'started_at', '2024-06-01 12:00:00.5+00',
  'load_ms', 1.5, 'compute_ms', 2.25) as r;

-- TEST
create temp table stored on commit drop as select backtest.insert_run((select r from rec)) as id;
select is((select count(*)::int from backtest.runs where id = (select id from stored)), 1,
          'a complete record is stored and its id returned');
select is((select row(kind, engine, params, inst_id, from_ts, to_ts, fee_rate, candle_count, resampled, status,
                      note, started_at, load_ms, compute_ms)::text from backtest.runs),
          row('backtest', 'buy_hold', '{"allow_short": false}'::jsonb, 'BTC-USDT', '2024-01-01Z'::timestamptz,
              '2024-01-02Z'::timestamptz, 0.001::float8, 1440::bigint, false, 'succeeded', null::text,
              '2024-06-01 12:00:00.5Z'::timestamptz, 1.5::float8, 2.25::float8)::text,
          'every field lands in its own column');
insert into stored select backtest.insert_run((select r || '{"params": null}' from rec));
select is((select params from backtest.runs where id = (select max(id) from stored)), null,
          'params may be JSON null (stored as SQL null)');

select throws_ok($$ select backtest.insert_run((select r - 'candle_count' from rec)) $$,
                 '22023', null, 'a missing field is refused');
select throws_like($$ select backtest.insert_run((select r - 'candle_count' from rec)) $$,
                   '%"candle_count" is missing%', 'the error names the missing field');
select throws_like($$ select backtest.insert_run((select r - 'job_id' from rec)) $$,
                   '%"job_id" is missing%', 'a nullable field must be present too (spelled null)');
select throws_ok($$ select backtest.insert_run((select r || '{"fee_rate": "0.001"}' from rec)) $$,
                 '22023', null, 'a number given as a string is refused');
select throws_like($$ select backtest.insert_run((select r || '{"fee_rate": "0.001"}' from rec)) $$,
                   '%"fee_rate" must be a JSON number%', 'the error names the mistyped field');
select throws_like($$ select backtest.insert_run((select r || '{"kind": null}' from rec)) $$,
                   '%"kind" must be a JSON string, got null%', 'null is refused where the column needs a value');
select throws_like($$ select backtest.insert_run((select r || '{"candle_count": 14.5}' from rec)) $$,
                   '%"candle_count" must be a whole number%', 'a count must be whole');
select throws_like($$ select backtest.insert_run((select r || '{"started_at": "yesterday-ish"}' from rec)) $$,
                   '%"started_at" must be a timestamp%', 'a timestamp must parse');
select throws_like($$ select backtest.insert_run((select r || '{"candles": 1440}' from rec)) $$,
                   '%unknown field(s) {candles}%', 'an unknown (misspelt) field is refused by name');
select throws_ok($$ select backtest.insert_run('[1, 2]') $$, '22023', null, 'a record that is not an object is refused');
select is((select count(*)::int from backtest.runs), 2, 'nothing refused was stored');

select * from finish();
rollback;

-- sql/0420_backtest_insert_run.sql
-- backtest.insert_run: store one run row from a jsonb record whose fields are named and checked.
-- Depends on backtest.runs (migrations/0007_backtest.sql, unique job_id from 0023) and queue.jobs.

create or replace function backtest.insert_run(run jsonb)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  -- every field, its JSON type and whether it may be null: all must be present, none other
  v_fields  constant text[] := array[
    'job_id:number:null', 'attempt:number:null', 'kind:string', 'strategy:string:null', 'engine:string',
    'params:object:null', 'inst_id:string', 'bar:string', 'from:string', 'to:string', 'fee_rate:number',
    'slippage_bps:number', 'capital:number', 'lot_size:number', 'candle_count:number', 'gap_count:number',
    'missing_bars:number', 'resampled:boolean', 'status:string', 'note:string:null', 'started_at:string',
    'load_ms:number:null', 'compute_ms:number:null'];
  v_spec    text[];
  v_names   text[] := '{}';
  v         jsonb;
  v_field   text;
  v_expected text;
  v_job_id  bigint;
  v_attempt bigint;
  v_id      bigint;
begin
  if run is null or pg_catalog.jsonb_typeof(run) <> 'object' then
    raise exception 'backtest.insert_run: run must be a JSON object, got %', coalesce(run::text, 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  foreach v_field in array v_fields loop
    v_spec := pg_catalog.string_to_array(v_field, ':');
    v_names := v_names || v_spec[1];
    v_expected := 'a JSON ' || v_spec[2] || case when v_spec[3] is null then '' else ' or null' end;
    v := run -> v_spec[1];
    if v is null then
      raise exception 'backtest.insert_run: field "%" is missing (expected %)', v_spec[1], v_expected
        using errcode = 'invalid_parameter_value';
    end if;
    continue when v = 'null'::jsonb and v_spec[3] is not null;
    if pg_catalog.jsonb_typeof(v) <> v_spec[2] then
      raise exception 'backtest.insert_run: field "%" must be %, got %', v_spec[1], v_expected, v
        using errcode = 'invalid_parameter_value';
    end if;
    if v_spec[1] in ('job_id', 'attempt', 'candle_count', 'gap_count', 'missing_bars')
       and (pg_catalog.trunc((v #>> '{}')::numeric) <> (v #>> '{}')::numeric or (v #>> '{}')::numeric < 0) then
      raise exception 'backtest.insert_run: field "%" must be a whole number >= 0, got %', v_spec[1], v
        using errcode = 'invalid_parameter_value';
    end if;
    if v_spec[1] in ('from', 'to', 'started_at') then
      begin
        perform (v #>> '{}')::timestamptz;
      exception when others then
        raise exception 'backtest.insert_run: field "%" must be a timestamp, got %', v_spec[1], v
          using errcode = 'invalid_parameter_value';
      end;
    end if;
  end loop;
  perform queue.payload_reject_unknown(run, 'backtest.insert_run', v_names);

  v_job_id := (run ->> 'job_id')::bigint;
  v_attempt := (run ->> 'attempt')::bigint;
  if v_job_id is not null then
    -- a late writer (its lease expired, the job ran again or ended) stores nothing
    perform 1 from queue.jobs as j
     where j.id = v_job_id and j.status = 'running' and (v_attempt is null or j.attempts = v_attempt);
    if not found then
      raise exception 'backtest.insert_run: job % is not running at attempt %', v_job_id, coalesce(v_attempt::text, 'any')
        using errcode = 'object_not_in_prerequisite_state',
              hint = 'Its lease expired and another attempt took it over, or it ended; these results are dropped.';
    end if;
    -- an earlier attempt that committed its results but never completed: its rows (and, by
    -- cascade, its trades, equity, metrics...) give way to this attempt's
    delete from backtest.runs as r where r.job_id = v_job_id;
  end if;

  insert into backtest.runs (job_id, kind, strategy, engine, params, inst_id, bar, from_ts, to_ts, fee_rate,
                             slippage_bps, capital, lot_size, candle_count, gap_count, missing_bars, resampled,
                             status, note, started_at, load_ms, compute_ms)
  values (v_job_id, run ->> 'kind', run ->> 'strategy', run ->> 'engine', nullif(run -> 'params', 'null'::jsonb),
          run ->> 'inst_id', run ->> 'bar', (run ->> 'from')::timestamptz, (run ->> 'to')::timestamptz,
          (run ->> 'fee_rate')::float8, (run ->> 'slippage_bps')::float8, (run ->> 'capital')::float8,
          (run ->> 'lot_size')::float8, (run ->> 'candle_count')::bigint, (run ->> 'gap_count')::bigint,
          (run ->> 'missing_bars')::bigint, (run ->> 'resampled')::boolean, run ->> 'status', run ->> 'note',
          (run ->> 'started_at')::timestamptz, (run ->> 'load_ms')::float8, (run ->> 'compute_ms')::float8)
  returning id into v_id;
  return v_id;
end;
$$;
comment on function backtest.insert_run(jsonb) is
$$Store one backtest.runs row from a record with named fields; returns its id.

Fields (all present, null only where marked): job_id (or null), attempt (or null), kind,
strategy (or null), engine, params (object or null), inst_id, bar, from, to, fee_rate,
slippage_bps, capital, lot_size, candle_count, gap_count, missing_bars, resampled, status,
note (or null), started_at, load_ms (or null), compute_ms (or null). A missing, unknown or
mistyped field is refused with 22023 naming it; table CHECKs still apply (23514).

Exactly once per job: with a job_id, the job must be running (at that attempt when given),
else 55000; the rows an earlier attempt of the same job left (it committed its results but
never completed) are deleted first, cascading to its trades, equity and metrics. The unique
index runs_job_id_is_unique (migration 0017) makes a concurrent second writer fail.$$;

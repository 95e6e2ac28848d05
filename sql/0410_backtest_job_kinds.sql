-- sql/0410_backtest_job_kinds.sql
-- Job kinds backtest, optimize and walk_forward: payload validators and their queue.job_kinds rows.
-- Depends on sql/0200 (queue payload helpers), sql/0400 (backtest.validate_params), market.instruments.

create or replace function backtest.payload_number(payload jsonb, kind text, field text, default_value numeric,
                                                   min_value numeric, min_inclusive boolean,
                                                   max_value numeric default null, max_inclusive boolean default false)
returns numeric
language plpgsql
immutable
set search_path = ''
as $$
declare
  v jsonb := payload -> field;
  v_num numeric;
  v_range text := pg_catalog.format('%s %s%s', case when min_inclusive then '>=' else '>' end, min_value,
                    case when max_value is null then ''
                         else pg_catalog.format(' and %s %s', case when max_inclusive then '<=' else '<' end, max_value) end);
begin
  if v is null or v = 'null'::jsonb then
    return default_value;
  end if;
  if pg_catalog.jsonb_typeof(v) <> 'number' then
    raise exception '% payload: "%" must be a number %, got %', kind, field, v_range, v
      using errcode = 'invalid_parameter_value';
  end if;
  v_num := (v #>> '{}')::numeric;
  if (min_inclusive and v_num < min_value) or (not min_inclusive and v_num <= min_value)
     or (max_value is not null and ((max_inclusive and v_num > max_value) or (not max_inclusive and v_num >= max_value))) then
    raise exception '% payload: "%" must be a number %, got %', kind, field, v_range, v
      using errcode = 'invalid_parameter_value';
  end if;
  return v_num;
end;
$$;
comment on function backtest.payload_number(jsonb, text, text, numeric, numeric, boolean, numeric, boolean) is
$$Read a numeric payload field within bounds (each inclusive or not); default when missing.

Raises 22023 naming the field, the allowed range and the value.$$;

create or replace function backtest.payload_common(payload jsonb, kind text)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_inst text := queue.payload_inst_id(payload, kind, 'inst_id', true);
  v_bar  text := queue.payload_bar(payload, kind, 'bar', true);
  v_from timestamptz := queue.payload_timestamptz(payload, kind, 'from', true);
  v_to   timestamptz := queue.payload_timestamptz(payload, kind, 'to', true);
  v_lot  numeric;
begin
  perform queue.payload_check_range(kind, 'from', v_from, 'to', v_to);
  v_lot := backtest.payload_number(payload, kind, 'lot_size', null, 0, false);
  if v_lot is null then
    select i.lot_sz into v_lot from market.instruments as i where i.inst_id = v_inst and i.lot_sz > 0;
  end if;
  return pg_catalog.jsonb_build_object(
    'inst_id', v_inst, 'bar', v_bar, 'from', queue.json_utc(v_from), 'to', queue.json_utc(v_to),
    'fee_rate', backtest.payload_number(payload, kind, 'fee_rate', 0.001, 0, true, 0.1, false),
    'slippage_bps', backtest.payload_number(payload, kind, 'slippage_bps', 0, 0, true, 1000, true),
    'capital', backtest.payload_number(payload, kind, 'capital', 10000, 0, false),
    'lot_size', coalesce(v_lot, 0.00000001));
end;
$$;
comment on function backtest.payload_common(jsonb, text) is
$$The fields every backtest-like payload has, checked and with defaults filled in.

inst_id, bar, from, to (half-open [from, to), from < to) are required; fee_rate 0 <= x < 0.1
(default 0.001), slippage_bps 0..1000 (0), capital > 0 (10000), lot_size > 0 (default the
instrument's market.instruments.lot_sz, else 0.00000001).$$;

create or replace function backtest.payload_grid(payload jsonb, kind text, engine text, fixed jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_grid    jsonb := payload -> 'grid';
  v_allowed text[] := backtest.engine_params(engine) || array['stop_loss_pct', 'take_profit_pct', 'allow_short'];
  v_key     text;
  v_values  jsonb;
  v_item    jsonb;
  v_out     jsonb := '{}';
  v_list    jsonb;
  v_count   numeric := 1;
begin
  if v_grid is null or pg_catalog.jsonb_typeof(v_grid) <> 'object' or v_grid = '{}'::jsonb then
    raise exception '% payload: "grid" is required: an object of parameter -> non-empty array of numbers, got %',
      kind, coalesce(v_grid, 'null'::jsonb)
      using errcode = 'invalid_parameter_value';
  end if;
  for v_key, v_values in select e.key, e.value from pg_catalog.jsonb_each(v_grid) as e order by e.key loop
    if v_key <> all (v_allowed) then
      raise exception '% payload: grid key "%" is not a parameter of %; allowed: %', kind, v_key, engine, v_allowed
        using errcode = 'invalid_parameter_value';
    end if;
    if fixed ? v_key then
      raise exception '% payload: "%" is both in "grid" and in "params"', kind, v_key
        using errcode = 'invalid_parameter_value';
    end if;
    if pg_catalog.jsonb_typeof(v_values) <> 'array' or pg_catalog.jsonb_array_length(v_values) = 0 then
      raise exception '% payload: grid "%" must be a non-empty array, got %', kind, v_key, v_values
        using errcode = 'invalid_parameter_value';
    end if;
    v_list := '[]';
    for v_item in select a.value from pg_catalog.jsonb_array_elements(v_values) as a loop
      if v_key = 'allow_short' and pg_catalog.jsonb_typeof(v_item) = 'boolean' then
        v_list := v_list || pg_catalog.jsonb_build_array(v_item);
      elsif v_key <> 'allow_short' and pg_catalog.jsonb_typeof(v_item) = 'number' then
        v_list := v_list || pg_catalog.jsonb_build_array(v_item);
      else
        raise exception '% payload: grid "%" must hold only %, got %', kind, v_key,
          case when v_key = 'allow_short' then 'true or false' else 'numbers' end, v_item
          using errcode = 'invalid_parameter_value';
      end if;
    end loop;
    v_count := v_count * pg_catalog.jsonb_array_length(v_list);
    v_out := v_out || pg_catalog.jsonb_build_object(v_key, v_list);
  end loop;
  if v_count > 10000 then
    raise exception '% payload: "grid" has % combinations, at most 10000 are allowed', kind, v_count
      using errcode = 'invalid_parameter_value';
  end if;
  foreach v_key in array backtest.engine_params(engine) loop
    if not (v_out ? v_key or fixed ? v_key) then
      raise exception '% payload: % requires "%" in "grid" or "params"', kind, engine, v_key
        using errcode = 'invalid_parameter_value';
    end if;
  end loop;
  return v_out;
end;
$$;
comment on function backtest.payload_grid(jsonb, text, text, jsonb) is
$$Check an optimisation grid: parameter -> non-empty array of numbers (allow_short: booleans).

Keys must be parameters of the engine (or stop_loss_pct, take_profit_pct, allow_short) and not
also fixed in params; at most 10,000 combinations; every required parameter must be in the grid
or in params. Combinations that break a rule (fast >= slow) are skipped by the optimizer and
counted in backtest.optimizations.skipped. Raises 22023.$$;

create or replace function backtest.payload_objective(payload jsonb, kind text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_names text[] := array['final_equity', 'total_return_pct', 'cagr_pct', 'volatility_ann_pct', 'sharpe', 'sortino',
    'calmar', 'max_drawdown_pct', 'max_drawdown_duration', 'n_trades', 'win_rate_pct', 'profit_factor', 'expectancy',
    'avg_trade_pct', 'best_trade_pct', 'worst_trade_pct', 'exposure_pct', 'fees_paid', 'buy_hold_return_pct'];
  v_objective text := queue.payload_text(payload, kind, 'objective', false, 'sharpe');
begin
  if v_objective <> all (v_names) then
    raise exception '% payload: "objective" must be one of %, got %', kind, v_names, pg_catalog.to_jsonb(v_objective)
      using errcode = 'invalid_parameter_value';
  end if;
  return v_objective;
end;
$$;
comment on function backtest.payload_objective(jsonb, text) is
$$Read the optimisation objective: a metric name of Metrics.names (default sharpe), else 22023.$$;

create or replace function backtest.payload_optimization(payload jsonb, kind text)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_engine text := queue.payload_text(payload, kind, 'engine', true);
  v_fixed  jsonb;
begin
  if backtest.engine_params(v_engine) is null then
    raise exception '% payload: "engine" must be one of %, got %', kind, backtest.engines(), pg_catalog.to_jsonb(v_engine)
      using errcode = 'invalid_parameter_value';
  end if;
  v_fixed := coalesce(payload -> 'params', '{}');
  if pg_catalog.jsonb_typeof(v_fixed) <> 'object' then
    raise exception '% payload: "params" must be a JSON object, got %', kind, v_fixed
      using errcode = 'invalid_parameter_value';
  end if;
  -- fixed params alone need not be complete (the grid supplies the rest): check them one by one.
  perform backtest.validate_params_partial(v_engine, v_fixed, kind || ' payload "params"');
  return pg_catalog.jsonb_build_object(
    'engine', v_engine,
    'params', v_fixed,
    'grid', backtest.payload_grid(payload, kind, v_engine, v_fixed),
    'objective', backtest.payload_objective(payload, kind),
    'min_trades', queue.payload_int(payload, kind, 'min_trades', false, 0, 1000000000, 0));
end;
$$;
comment on function backtest.payload_optimization(jsonb, text) is
$$The optimisation fields of optimize and walk_forward payloads: engine, params (fixed), grid,
objective (default sharpe), min_trades (default 0).$$;

create or replace function backtest.validate_params_partial(engine text, params jsonb, what text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_key  text;
  v_value jsonb;
  v_probe jsonb;
begin
  -- Each fixed value is checked by validating it inside a complete, valid parameter set.
  for v_key, v_value in select e.key, e.value from pg_catalog.jsonb_each(params) as e loop
    v_probe := case engine
      when 'sma_cross' then '{"fast": 1, "slow": 1000000}'::jsonb
      when 'ema_cross' then '{"fast": 1, "slow": 1000000}'::jsonb
      when 'rsi_reversion' then '{"period": 14, "lower": 0.000001, "upper": 99.999999}'::jsonb
      when 'bollinger_breakout' then '{"period": 20, "k": 2}'::jsonb
      when 'macd_cross' then '{"fast": 1, "slow": 1000000, "signal": 9}'::jsonb
      when 'donchian_breakout' then '{"entry": 20, "exit": 10}'::jsonb
      else '{}'::jsonb end;
    -- the probe's own extremes stay valid whatever single value replaces one of them
    if v_key in ('fast', 'slow', 'lower', 'upper') then
      v_probe := v_probe - array['fast', 'slow', 'lower', 'upper'];
      v_probe := v_probe || case
        when v_key = 'fast' then '{"slow": 1000000}'::jsonb
        when v_key = 'slow' then '{"fast": 1}'::jsonb
        when v_key = 'lower' then '{"upper": 99.9999999}'::jsonb
        else '{"lower": 0.0000001}'::jsonb end;
    end if;
    perform backtest.validate_params(engine, v_probe || pg_catalog.jsonb_build_object(v_key, v_value), what);
  end loop;
end;
$$;
comment on function backtest.validate_params_partial(text, jsonb, text) is
$$Check each parameter of an incomplete set on its own (the fixed params of an optimisation).

Raises 22023 like backtest.validate_params for a bad or unknown value; cross-parameter rules
(fast < slow, lower < upper) are checked per combination by the optimizer.$$;

create or replace function backtest.validate_backtest(payload jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_strategy text;
  v_engine   text;
  v_out      jsonb;
begin
  perform queue.payload_reject_unknown(payload, 'backtest', array['inst_id', 'bar', 'from', 'to', 'fee_rate',
    'slippage_bps', 'capital', 'lot_size', 'strategy', 'engine', 'params']);
  v_out := backtest.payload_common(payload, 'backtest');
  v_strategy := queue.payload_text(payload, 'backtest', 'strategy');
  if v_strategy is not null then
    if payload ? 'engine' or payload ? 'params' then
      raise exception 'backtest payload: give either "strategy" or "engine" + "params", not both'
        using errcode = 'invalid_parameter_value';
    end if;
    if not exists (select 1 from backtest.strategies as s where s.name = v_strategy) then
      raise exception 'backtest payload: "strategy" % is not in backtest.strategies', pg_catalog.to_jsonb(v_strategy)
        using errcode = 'invalid_parameter_value';
    end if;
    return v_out || pg_catalog.jsonb_build_object('strategy', v_strategy);
  end if;
  v_engine := queue.payload_text(payload, 'backtest', 'engine', true);
  return v_out || pg_catalog.jsonb_build_object(
    'engine', v_engine,
    'params', backtest.validate_params(v_engine, payload -> 'params', 'backtest payload'));
end;
$$;
comment on function backtest.validate_backtest(jsonb) is
$$Validator of kind backtest.

Payload: inst_id, bar, from, to, optional fee_rate, slippage_bps, capital, lot_size (see
backtest.payload_common), and either {"strategy": name of backtest.strategies} or
{"engine": "sma_cross", "params": {"fast": 10, "slow": 30}} checked by backtest.validate_params.
Raises 22023 naming the field.$$;

create or replace function backtest.validate_optimize(payload jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  perform queue.payload_reject_unknown(payload, 'optimize', array['inst_id', 'bar', 'from', 'to', 'fee_rate',
    'slippage_bps', 'capital', 'lot_size', 'engine', 'params', 'grid', 'objective', 'min_trades']);
  return backtest.payload_common(payload, 'optimize') || backtest.payload_optimization(payload, 'optimize');
end;
$$;
comment on function backtest.validate_optimize(jsonb) is
$$Validator of kind optimize.

Payload: the common fields (backtest.payload_common) plus engine, grid ({"fast": [5, 10],
"slow": [30, 50]}, at most 10,000 combinations), objective (a metric name, default sharpe),
min_trades (default 0) and optional fixed params. Raises 22023 naming the field.$$;

create or replace function backtest.validate_walk_forward(payload jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_train interval;
  v_test  interval;
  v_field text;
  v_text  text;
  v_mode  text;
begin
  perform queue.payload_reject_unknown(payload, 'walk_forward', array['inst_id', 'bar', 'from', 'to', 'fee_rate',
    'slippage_bps', 'capital', 'lot_size', 'engine', 'params', 'grid', 'objective', 'min_trades',
    'train', 'test', 'mode', 'train_ms', 'test_ms']);
  foreach v_field in array array['train', 'test'] loop
    v_text := queue.payload_text(payload, 'walk_forward', v_field, true);
    begin
      if v_field = 'train' then v_train := v_text::interval; else v_test := v_text::interval; end if;
    exception when invalid_datetime_format or datetime_field_overflow or interval_field_overflow then
      raise exception 'walk_forward payload: "%" must be an interval such as "30 days", got %', v_field,
        pg_catalog.to_jsonb(v_text)
        using errcode = 'invalid_parameter_value';
    end;
    if (case when v_field = 'train' then v_train else v_test end) <= interval '0' then
      raise exception 'walk_forward payload: "%" must be longer than 0, got %', v_field, pg_catalog.to_jsonb(v_text)
        using errcode = 'invalid_parameter_value';
    end if;
  end loop;
  v_mode := queue.payload_text(payload, 'walk_forward', 'mode', false, 'rolling');
  if v_mode not in ('rolling', 'anchored') then
    raise exception 'walk_forward payload: "mode" must be rolling or anchored, got %', pg_catalog.to_jsonb(v_mode)
      using errcode = 'invalid_parameter_value';
  end if;
  return backtest.payload_common(payload, 'walk_forward') || backtest.payload_optimization(payload, 'walk_forward')
    || pg_catalog.jsonb_build_object('train', v_train::text, 'test', v_test::text, 'mode', v_mode,
         'train_ms', (extract(epoch from v_train) * 1000)::bigint, 'test_ms', (extract(epoch from v_test) * 1000)::bigint);
end;
$$;
comment on function backtest.validate_walk_forward(jsonb) is
$$Validator of kind walk_forward.

Payload: the optimize fields plus train and test (intervals such as "30 days", > 0) and mode
(rolling or anchored, default rolling). The normalized payload adds train_ms and test_ms
(a month counts 30 days). Raises 22023 naming the field.$$;

insert into queue.job_kinds (kind, description, max_attempts, priority, timeout, lease, validator)
values
  ('backtest', $$Run one strategy over stored candles of one instrument and store its trades, equity curve and metrics in backtest.*.$$,
   3, 100, interval '1 hour', interval '60 seconds', 'backtest.validate_backtest'),
  ('optimize', $$Evaluate a grid of strategy parameters on the same candles, store every combination and the full run of the best.$$,
   3, 100, interval '6 hours', interval '60 seconds', 'backtest.validate_optimize'),
  ('walk_forward', $$Optimise on rolling or anchored training windows, trade each winner on the next test window, store the stitched out-of-sample result.$$,
   3, 100, interval '12 hours', interval '60 seconds', 'backtest.validate_walk_forward')
on conflict (kind) do update
   set description  = excluded.description,
       max_attempts = excluded.max_attempts,
       priority     = excluded.priority,
       timeout      = excluded.timeout,
       lease        = excluded.lease,
       validator    = excluded.validator;

-- sql/0411_backtest_payload_optimization.sql
-- The optimisation fields of optimize and walk_forward payloads: grid, objective, fixed params.
-- Depends on sql/0200, sql/0400 (the engine list) and sql/0401 (backtest.validate_params_partial).

create or replace function backtest.payload_grid(payload jsonb, kind text, engine text, fixed jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_grid    jsonb := payload -> 'grid';
  v_allowed text[] := backtest.engine_params(engine)
                       || (select pg_catalog.array_agg(o.name order by o.ordinal) from backtest.strategy_options as o);
  v_key     text;
  v_values  jsonb;
  v_item    jsonb;
  v_out     jsonb := '{}';
  v_list    jsonb;
  v_count   numeric := 1;
  v_boolean boolean;
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
    v_boolean := exists (select 1 from backtest.strategy_options as o where o.name = v_key and o.value_type = 'boolean');
    v_list := '[]';
    for v_item in select a.value from pg_catalog.jsonb_array_elements(v_values) as a loop
      if pg_catalog.jsonb_typeof(v_item) = (case when v_boolean then 'boolean' else 'number' end) then
        v_list := v_list || pg_catalog.jsonb_build_array(v_item);
      else
        raise exception '% payload: grid "%" must hold only %, got %', kind, v_key,
          case when v_boolean then 'true or false' else 'numbers' end, v_item
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
$$Check an optimisation grid: parameter -> non-empty array of numbers (boolean options: booleans).

Keys must be parameters of the engine or options (backtest.strategy_options) and not
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

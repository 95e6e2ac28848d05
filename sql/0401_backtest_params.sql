-- sql/0401_backtest_params.sql
-- backtest.param_value (one parameter or option checked against its row), backtest.validate_params
-- (a complete parameter set) and backtest.validate_params_partial (fixed params of a grid). The
-- rules are rows of migrations/0009_backtest_engines.sql; nothing here names an engine.

create or replace function backtest.param_value(engine text, key text, value jsonb, what text default 'params',
                                                errcode text default '22023')
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_param  backtest.engine_parameters;
  v_option backtest.strategy_options;
  v_type   text;
  v_min    numeric;
  v_min_in boolean;
  v_max    numeric;
  v_max_in boolean;
  v_num    numeric;
  v_range  text;
begin
  select p.* into v_param from backtest.engine_parameters as p where p.engine = param_value.engine and p.name = key;
  if found then
    v_type := v_param.value_type; v_min := v_param.min_value; v_min_in := v_param.min_inclusive;
    v_max := v_param.max_value; v_max_in := v_param.max_inclusive;
  else
    select o.* into v_option from backtest.strategy_options as o where o.name = key;
    if not found then
      raise exception '%: % takes no parameter "%"; allowed: %', what, engine, key,
        backtest.engine_params(engine) || (select pg_catalog.array_agg(o.name order by o.ordinal) from backtest.strategy_options as o)
        using errcode = param_value.errcode;
    end if;
    v_type := v_option.value_type; v_min := v_option.min_value; v_min_in := v_option.min_inclusive;
    v_max := v_option.max_value; v_max_in := v_option.max_inclusive;
  end if;
  v_range := backtest.param_range_text(v_type, v_min, v_min_in, v_max, v_max_in);
  if v_type = 'boolean' then
    if pg_catalog.jsonb_typeof(value) is distinct from 'boolean' then
      raise exception '%: "%" must be %, got %', what, key, v_range, coalesce(value, 'null'::jsonb)
        using errcode = param_value.errcode;
    end if;
    return value;
  end if;
  if pg_catalog.jsonb_typeof(value) is distinct from 'number' then
    raise exception '%: "%" of % must be %, got %', what, key, engine, v_range, coalesce(value, 'null'::jsonb)
      using errcode = param_value.errcode;
  end if;
  v_num := (value #>> '{}')::numeric;
  if (v_type = 'whole' and v_num <> pg_catalog.trunc(v_num))
     or (v_min_in and v_num < v_min) or (not v_min_in and v_num <= v_min)
     or (v_max is not null and ((v_max_in and v_num > v_max) or (not v_max_in and v_num >= v_max))) then
    raise exception '%: "%" of % must be %, got %', what, key, engine, v_range, value
      using errcode = param_value.errcode;
  end if;
  return pg_catalog.to_jsonb(v_num);
end;
$$;
comment on function backtest.param_value(text, text, jsonb, text, text) is
$$Check one parameter (backtest.engine_parameters) or option (backtest.strategy_options) of an
engine; return it as a JSON number (booleans unchanged).

Raises errcode with a message naming what, the key, the engine and the allowed range: an unknown
key (listing the allowed ones), a wrong type, a fraction for a whole number, a value out of range.$$;

create or replace function backtest.validate_params(engine text, params jsonb, what text default 'params',
                                                    errcode text default '22023')
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_names text[] := backtest.engine_params(validate_params.engine);
  v_key   text;
  v_value jsonb;
  v_nums  jsonb := '{}';
  v_rule  record;
begin
  if v_names is null then
    raise exception '%: "engine" must be one of %, got %', what, backtest.engines(),
      pg_catalog.to_jsonb(validate_params.engine)
      using errcode = validate_params.errcode;
  end if;
  if params is null or params = 'null'::jsonb then
    params := '{}';
  end if;
  if pg_catalog.jsonb_typeof(params) <> 'object' then
    raise exception '%: "params" must be a JSON object, got %', what, params
      using errcode = validate_params.errcode;
  end if;
  for v_key, v_value in select e.key, e.value from pg_catalog.jsonb_each(params) as e order by e.key loop
    v_nums := v_nums || pg_catalog.jsonb_build_object(v_key,
      backtest.param_value(engine, v_key, v_value, what, validate_params.errcode));
  end loop;
  foreach v_key in array v_names loop
    if not params ? v_key then
      raise exception '%: % requires "%" (parameters: %)', what, engine, v_key, v_names
        using errcode = validate_params.errcode;
    end if;
  end loop;
  for v_rule in select o.lesser, o.greater from backtest.engine_parameter_order as o
                 where o.engine = validate_params.engine order by o.lesser, o.greater loop
    if (v_nums ->> v_rule.lesser)::numeric >= (v_nums ->> v_rule.greater)::numeric then
      raise exception '%: % needs % < %, got %=% %=%', what, engine, v_rule.lesser, v_rule.greater,
        v_rule.lesser, v_nums -> v_rule.lesser, v_rule.greater, v_nums -> v_rule.greater
        using errcode = validate_params.errcode;
    end if;
  end loop;
  return params;
end;
$$;
comment on function backtest.validate_params(text, jsonb, text, text) is
$$Check an engine's parameters; return them unchanged when they are sound.

The rules are rows: each key a parameter of the engine (backtest.engine_parameters) or an option
(backtest.strategy_options) within its range (backtest.param_value); every parameter present;
every backtest.engine_parameter_order rule kept (fast < slow). Raises errcode (22023 for job
payloads, 23514 for backtest.strategies rows) with a message naming what, the parameter and the value.$$;

create or replace function backtest.validate_params_partial(engine text, params jsonb, what text)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_key   text;
  v_value jsonb;
begin
  if backtest.engine_params(engine) is null then
    raise exception '%: "engine" must be one of %, got %', what, backtest.engines(), pg_catalog.to_jsonb(engine)
      using errcode = 'invalid_parameter_value';
  end if;
  for v_key, v_value in select e.key, e.value from pg_catalog.jsonb_each(params) as e order by e.key loop
    perform backtest.param_value(engine, v_key, v_value, what);
  end loop;
end;
$$;
comment on function backtest.validate_params_partial(text, jsonb, text) is
$$Check each parameter of an incomplete set on its own (the fixed params of an optimisation).

Raises 22023 like backtest.validate_params for a bad or unknown value; rules between parameters
(fast < slow) are checked per combination by the optimizer, which skips the ones that break them.$$;

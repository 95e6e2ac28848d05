-- sql/0400_backtest_engine_catalog.sql
-- Readers of the engine list (migrations/0009_backtest_engines.sql): backtest.engines(),
-- backtest.engine_params(engine), backtest.param_range_text(...) for messages and docs, and
-- backtest.engine_catalog(), the whole list as one JSON document for the worker's start-up check.

create or replace function backtest.engines()
returns text[]
language sql
stable
parallel safe
set search_path = ''
as $$
  select coalesce(pg_catalog.array_agg(e.engine order by e.ordinal), '{}') from backtest.strategy_engines as e
$$;
comment on function backtest.engines() is
$$The engine names of backtest.strategy_engines, in their order (the CLI quotes them for --engine).$$;

create or replace function backtest.engine_params(engine text)
returns text[]
language sql
stable
parallel safe
set search_path = ''
as $$
  select case when exists (select 1 from backtest.strategy_engines as e where e.engine = engine_params.engine)
         then coalesce((select pg_catalog.array_agg(p.name order by p.ordinal) from backtest.engine_parameters as p
                         where p.engine = engine_params.engine), '{}')
         end
$$;
comment on function backtest.engine_params(text) is
$$The parameter names an engine requires, in order ('{}' for buy_hold; NULL for an unknown engine).

Read from backtest.engine_parameters. Every engine also takes the options of backtest.strategy_options.$$;

create or replace function backtest.param_range_text(value_type text, min_value numeric, min_inclusive boolean,
                                                     max_value numeric, max_inclusive boolean)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when value_type = 'boolean' then 'true or false'
    else (case when value_type = 'whole' then 'a whole number ' else 'a number ' end)
      || case
           when min_inclusive and max_value is not null and max_inclusive
             then pg_catalog.format('from %s to %s', min_value, max_value)
           else pg_catalog.format('%s %s', case when min_inclusive then '>=' else '>' end, min_value)
             || case when max_value is null then ''
                     else pg_catalog.format(' and %s %s', case when max_inclusive then '<=' else '<' end, max_value) end
         end
  end
$$;
comment on function backtest.param_range_text(text, numeric, boolean, numeric, boolean) is
$$How error messages and docs say a parameter's range: "a whole number from 1 to 1000000",
"a number > 0 and < 100", "a number > 0", "true or false".$$;

create or replace function backtest.engine_catalog()
returns jsonb
language sql
stable
parallel safe
set search_path = ''
as $$
  select pg_catalog.jsonb_build_object(
    'engines', coalesce((select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
        'engine', e.engine,
        'parameters', coalesce((select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
              'name', p.name, 'value_type', p.value_type, 'min', p.min_value, 'min_inclusive', p.min_inclusive,
              'max', p.max_value, 'max_inclusive', p.max_inclusive) order by p.ordinal)
            from backtest.engine_parameters as p where p.engine = e.engine), '[]'),
        'order', coalesce((select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_array(o.lesser, o.greater)
                                                       order by o.lesser, o.greater)
            from backtest.engine_parameter_order as o where o.engine = e.engine), '[]'))
      order by e.ordinal) from backtest.strategy_engines as e), '[]'),
    'options', coalesce((select pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
        'name', s.name, 'value_type', s.value_type, 'min', s.min_value, 'min_inclusive', s.min_inclusive,
        'max', s.max_value, 'max_inclusive', s.max_inclusive) order by s.ordinal)
      from backtest.strategy_options as s), '[]'))
$$;
comment on function backtest.engine_catalog() is
$$The engine list as one JSON document: {"engines": [{"engine", "parameters": [{"name", "value_type",
"min", "min_inclusive", "max", "max_inclusive"}], "order": [[lesser, greater]]}], "options": [...]}.

A worker reads it at start-up and refuses to run backtest kinds when its build implements a
different set of engines or parameters (Sources/Worker/Backtests/EngineCatalog.swift).$$;

-- sql/0400_backtest_params.sql
-- backtest.engine_params and backtest.validate_params (the per-engine parameter rules), and the
-- trigger that validates backtest.strategies. Depends on migrations/0007_backtest.sql.

create or replace function backtest.engine_params(engine text)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case engine
    when 'buy_hold' then array[]::text[]
    when 'sma_cross' then array['fast', 'slow']
    when 'ema_cross' then array['fast', 'slow']
    when 'rsi_reversion' then array['period', 'lower', 'upper']
    when 'bollinger_breakout' then array['period', 'k']
    when 'macd_cross' then array['fast', 'slow', 'signal']
    when 'donchian_breakout' then array['entry', 'exit']
  end
$$;
comment on function backtest.engine_params(text) is
$$The parameter names an engine requires (null for an unknown engine).

Identical to Engine.parameterNames in Sources/Backtest. Every engine also accepts the options
stop_loss_pct, take_profit_pct and allow_short.$$;

create or replace function backtest.engines()
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select array['buy_hold', 'sma_cross', 'ema_cross', 'rsi_reversion', 'bollinger_breakout', 'macd_cross',
               'donchian_breakout']
$$;
comment on function backtest.engines() is
$$The engine names, as Engine in Sources/Backtest spells them.$$;

create or replace function backtest.validate_params(engine text, params jsonb, what text default 'params',
                                                    errcode text default '22023')
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_names   text[] := backtest.engine_params(validate_params.engine);
  v_allowed text[];
  v_key     text;
  v_value   jsonb;
  v_num     numeric;
  v_nums    jsonb := '{}';
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
  v_allowed := v_names || array['stop_loss_pct', 'take_profit_pct', 'allow_short'];
  for v_key, v_value in select e.key, e.value from pg_catalog.jsonb_each(params) as e order by e.key loop
    if v_key <> all (v_allowed) then
      raise exception '%: % takes no parameter "%"; allowed: %', what, engine, v_key, v_allowed
        using errcode = validate_params.errcode;
    end if;
    if v_key = 'allow_short' then
      if pg_catalog.jsonb_typeof(v_value) <> 'boolean' then
        raise exception '%: "allow_short" must be true or false, got %', what, v_value
          using errcode = validate_params.errcode;
      end if;
      continue;
    end if;
    if pg_catalog.jsonb_typeof(v_value) <> 'number' then
      raise exception '%: "%" of % must be a number, got %', what, v_key, engine, v_value
        using errcode = validate_params.errcode;
    end if;
    v_num := (v_value #>> '{}')::numeric;
    if v_key in ('fast', 'slow', 'signal', 'period', 'entry', 'exit')
       and (v_num <> pg_catalog.trunc(v_num) or v_num < 1 or v_num > 1000000) then
      raise exception '%: "%" of % must be a whole number from 1 to 1000000, got %', what, v_key, engine, v_value
        using errcode = validate_params.errcode;
    end if;
    if v_key = 'stop_loss_pct' and not (v_num > 0 and v_num < 100) then
      raise exception '%: "stop_loss_pct" must be > 0 and < 100 (percent), got %', what, v_value
        using errcode = validate_params.errcode;
    end if;
    if v_key = 'take_profit_pct' and not (v_num > 0) then
      raise exception '%: "take_profit_pct" must be > 0 (percent), got %', what, v_value
        using errcode = validate_params.errcode;
    end if;
    if v_key = 'k' and not (v_num > 0) then
      raise exception '%: "k" of % must be > 0, got %', what, engine, v_value
        using errcode = validate_params.errcode;
    end if;
    v_nums := v_nums || pg_catalog.jsonb_build_object(v_key, v_num);
  end loop;
  foreach v_key in array v_names loop
    if not params ? v_key then
      raise exception '%: % requires "%" (parameters: %)', what, engine, v_key, v_names
        using errcode = validate_params.errcode;
    end if;
  end loop;
  if engine in ('sma_cross', 'ema_cross', 'macd_cross')
     and (v_nums ->> 'fast')::numeric >= (v_nums ->> 'slow')::numeric then
    raise exception '%: % needs fast < slow, got fast=% slow=%', what, engine, v_nums -> 'fast', v_nums -> 'slow'
      using errcode = validate_params.errcode;
  end if;
  if engine = 'rsi_reversion' and not ((v_nums ->> 'lower')::numeric > 0
       and (v_nums ->> 'lower')::numeric < (v_nums ->> 'upper')::numeric and (v_nums ->> 'upper')::numeric < 100) then
    raise exception '%: rsi_reversion needs 0 < lower < upper < 100, got lower=% upper=%', what,
      v_nums -> 'lower', v_nums -> 'upper'
      using errcode = validate_params.errcode;
  end if;
  return params;
end;
$$;
comment on function backtest.validate_params(text, jsonb, text, text) is
$$Check an engine's parameters; return them unchanged when they are sound.

The rules of StrategySpec in Sources/Backtest: periods (fast, slow, signal, period, entry,
exit) whole numbers 1..1000000; fast < slow; 0 < lower < upper < 100; k > 0;
0 < stop_loss_pct < 100; take_profit_pct > 0; allow_short true or false; every required
parameter present; unknown parameters refused. Raises errcode (22023 for job payloads,
23514 for backtest.strategies rows) with a message naming what, the parameter and the value.$$;

create or replace function backtest.strategies_before_write()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
begin
  new.params := backtest.validate_params(new.engine, new.params,
                                         pg_catalog.format('backtest.strategies %s', new.name), '23514');
  if tg_op = 'UPDATE' then
    new.updated_at := pg_catalog.now();
  end if;
  return new;
end;
$$;
comment on function backtest.strategies_before_write() is
$$Trigger: refuse a strategy whose params do not suit its engine (SQLSTATE 23514).$$;

create or replace trigger strategies_validate
  before insert or update of engine, params on backtest.strategies
  for each row execute function backtest.strategies_before_write();
comment on trigger strategies_validate on backtest.strategies is
$$Validate params against the engine's rules at INSERT and UPDATE (backtest.validate_params).$$;

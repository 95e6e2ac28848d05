-- sql/0402_backtest_strategies_validate.sql
-- The trigger that validates backtest.strategies rows with backtest.validate_params (sql/0401).

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

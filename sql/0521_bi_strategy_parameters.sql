-- sql/0521_bi_strategy_parameters.sql
-- bi.strategy_parameters: each engine's parameters and the options every engine takes, one row each, for
-- the dashboard's backtest form. Depends on migrations/0009 (backtest.engine_parameters, strategy_options)
-- and backtest.param_range_text (sql/0400). Plain view with its owner's rights; grants in sql/0529.

set local search_path = pg_catalog, pg_temp;

create or replace view bi.strategy_parameters as
select p.engine,
       p.ordinal,
       p.name,
       true as required,
       p.value_type,
       backtest.param_range_text(p.value_type, p.min_value, p.min_inclusive, p.max_value, p.max_inclusive) as rule,
       p.description
  from backtest.engine_parameters as p
union all
select e.engine,
       (select count(*) from backtest.engine_parameters as p where p.engine = e.engine)::integer + o.ordinal,
       o.name,
       false,
       o.value_type,
       backtest.param_range_text(o.value_type, o.min_value, o.min_inclusive, o.max_value, o.max_inclusive),
       o.description
  from backtest.strategy_engines as e
 cross join backtest.strategy_options as o;
comment on view bi.strategy_parameters is
$$What a backtest of each engine takes in "params": its parameters (required) and the options every engine takes.

One row per (engine, parameter) of backtest.engine_parameters and per (engine, option) of
backtest.strategy_options. backtest.validate_params is the check; rule says the range in words.$$;
comment on column bi.strategy_parameters.engine is 'Engine name (bi.strategy_engines.engine).';
comment on column bi.strategy_parameters.ordinal is 'Position in the engine''s list: its parameters first, then the options.';
comment on column bi.strategy_parameters.name is 'Key in the payload''s "params" object (fast, stop_loss_pct).';
comment on column bi.strategy_parameters.required is 'True for an engine parameter (must be given), false for an option (may be left out).';
comment on column bi.strategy_parameters.value_type is 'whole, number or boolean.';
comment on column bi.strategy_parameters.rule is 'The allowed values in words (a whole number from 1 to 1000000).';
comment on column bi.strategy_parameters.description is 'What the parameter or option means.';

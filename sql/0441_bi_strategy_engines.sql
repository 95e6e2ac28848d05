-- sql/0441_bi_strategy_engines.sql
-- bi.strategy_engines: the engine list (migrations/0009_backtest_engines.sql) as one row per engine,
-- with its parameters and rules in words. docs/psql.md's engine table is this view, row for row
-- (Tests/BacktestJobTests/EngineCatalogTests.swift checks it).
-- Plain view with its owner's rights: candlestack_bi reads it without any right on schema backtest.

set local search_path = pg_catalog, pg_temp;

create or replace view bi.strategy_engines as
select e.engine,
       e.ordinal,
       coalesce((select string_agg(p.name, ', ' order by p.ordinal)
                   from backtest.engine_parameters as p where p.engine = e.engine), 'none') as parameters,
       coalesce((select string_agg(r.rule, '; ' order by r.n)
                   from (select 1 as n, p.ordinal, format('%s: %s', p.name,
                                backtest.param_range_text(p.value_type, p.min_value, p.min_inclusive,
                                                          p.max_value, p.max_inclusive)) as rule
                           from backtest.engine_parameters as p where p.engine = e.engine
                         union all
                         select 2, 0, format('%s < %s', o.lesser, o.greater)
                           from backtest.engine_parameter_order as o where o.engine = e.engine
                          order by 1, 2) as r), 'none') as rules,
       e.description
  from backtest.strategy_engines as e;
comment on view bi.strategy_engines is
$$The strategy engines a backtest can run: parameters, their rules and the trading rule in a sentence.

One row per row of backtest.strategy_engines. Every engine also takes the options of
backtest.strategy_options (stop_loss_pct, take_profit_pct, allow_short).$$;
comment on column bi.strategy_engines.engine is 'Engine name, as jobs and strategies spell it (sma_cross).';
comment on column bi.strategy_engines.ordinal is 'Position in the list.';
comment on column bi.strategy_engines.parameters is 'The parameters the engine requires, in order, or none.';
comment on column bi.strategy_engines.rules is 'Each parameter''s range and the rules between parameters (fast < slow), or none.';
comment on column bi.strategy_engines.description is 'The trading rule in one sentence (docs/metrics.md has the details).';

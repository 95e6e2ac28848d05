-- pgtests/dashboard/strategy_parameters_list_params_and_options.test.sql
-- bi.strategy_parameters (sql/0521) lists each engine's parameters (required) then every option (optional),
-- and candlestack_bi reads it.
begin;
select plan(4);

-- TEST
select is((select count(*)::integer from bi.strategy_parameters),
          (select count(*)::integer from backtest.engine_parameters)
          + (select count(*)::integer from backtest.strategy_engines) * (select count(*)::integer from backtest.strategy_options),
          'one row per engine parameter and per (engine, option)');
select is((select array_agg(name || ':' || required order by ordinal) from bi.strategy_parameters where engine = 'sma_cross'),
          (select array['fast:true', 'slow:true'] || array_agg(o.name || ':false' order by o.ordinal) from backtest.strategy_options as o),
          'sma_cross: fast and slow required, then the options');
select is((select rule from bi.strategy_parameters where engine = 'sma_cross' and name = 'fast'),
          'a whole number from 1 to 1000000', 'the rule in words');
set local role candlestack_bi;
select lives_ok('select * from bi.strategy_parameters', 'candlestack_bi reads it');

select * from finish();
rollback;

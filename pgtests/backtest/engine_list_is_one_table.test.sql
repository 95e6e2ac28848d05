-- pgtests/backtest/engine_list_is_one_table.test.sql
-- The engine list is rows (migration 0009): adding an engine with its parameters makes it valid for
-- strategies and jobs, and an engine or option removed from the rows is refused everywhere.
begin;
select plan(10);

-- TEST
select is(backtest.engines(), array['buy_hold', 'sma_cross', 'ema_cross', 'rsi_reversion', 'bollinger_breakout',
                                    'macd_cross', 'donchian_breakout'], 'backtest.engines() reads the table, in order');
select is(backtest.engine_params('buy_hold'), '{}'::text[], 'an engine without parameters');
select is(backtest.engine_params('turtle'), null, 'an unknown engine');

insert into backtest.strategy_engines (engine, ordinal, description) values ('turtle', 99, 'Turtle rules.');
insert into backtest.engine_parameters (engine, name, ordinal, value_type, min_value, min_inclusive, max_value,
                                        max_inclusive, description)
values ('turtle', 'entry', 1, 'whole', 2, true, 500, true, 'Entry channel.'),
       ('turtle', 'exit', 2, 'whole', 1, true, 500, true, 'Exit channel.');
insert into backtest.engine_parameter_order (engine, lesser, greater) values ('turtle', 'exit', 'entry');

select lives_ok($$ insert into backtest.strategies (name, engine, params) values ('t', 'turtle', '{"entry": 55, "exit": 20}') $$,
                'a new engine row is a valid strategy engine at once');
select throws_like($$ insert into backtest.strategies (name, engine, params) values ('t2', 'turtle', '{"entry": 1, "exit": 1}') $$,
                   '%"entry" of turtle must be a whole number from 2 to 500, got 1%', 'its range comes from its row');
select throws_like($$ insert into backtest.strategies (name, engine, params) values ('t3', 'turtle', '{"entry": 20, "exit": 55}') $$,
                   '%turtle needs exit < entry%', 'its order rule comes from its row');
select throws_like($$ select backtest.validate_params('turtle', '{"entry": 20}') $$, '%turtle requires "exit"%',
                   'a missing parameter is named');
select is((select rules from bi.strategy_engines where engine = 'turtle'),
          'entry: a whole number from 2 to 500; exit: a whole number from 1 to 500; exit < entry', 'the bi view says the rules');

delete from backtest.strategy_options where name = 'allow_short';
select throws_like($$ select backtest.validate_params('sma_cross', '{"fast": 5, "slow": 20, "allow_short": true}') $$,
                   '%sma_cross takes no parameter "allow_short"%', 'an option removed from the rows is refused');
select throws_ok($$ insert into backtest.strategies (name, engine, params) values ('x', 'nope', '{}') $$, '23514', null,
                 'an engine not in the table is refused');

select * from finish();
rollback;

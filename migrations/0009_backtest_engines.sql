-- migrations/0009_backtest_engines.sql
-- The one list of strategy engines and their parameters: backtest.strategy_engines,
-- backtest.engine_parameters, backtest.engine_parameter_order and backtest.strategy_options.
-- backtest.validate_params (sql/0401), backtest.engines() and engine_params() (sql/0400), the
-- bi.strategy_engines view (sql/0441), docs/psql.md (checked by a test) and the worker's start-up
-- check (Sources/Worker/Backtests/EngineCatalog.swift) all read these rows; before, the list was
-- spelled out in Swift, in three SQL files and in the CLI.
-- Depends on 0007_backtest.sql (backtest.strategies, whose engine CHECK becomes a foreign key here).
-- squawk: four new tables, filled here; the one change to an existing table is backtest.strategies'
-- engine rule, a table of a few named parameter sets, so its locks last milliseconds; lock_timeout
-- makes a migration behind a long reader fail cleanly instead of queueing other sessions. The
-- ordinals are positions in lists of a few rows: integer is plenty.
-- squawk-ignore-file prefer-bigint-over-int

set local search_path = pg_catalog, pg_temp;
set local lock_timeout = '10s';
set local statement_timeout = '10min';

create table backtest.strategy_engines (
  engine      text    primary key
                      constraint strategy_engine_name_is_identifier check (engine ~ '^[a-z][a-z0-9_]{0,62}$'),
  ordinal     integer not null
                      constraint strategy_engine_ordinal_is_unique unique,
  description text    not null
                      constraint strategy_engine_description_is_not_empty check (description <> '')
);
comment on table backtest.strategy_engines is
$$The strategy engines a backtest can run, one row each: the single list.

Every engine needs an implementation in the worker (Sources/Backtest, Engine): a worker refuses
to start when this table and its build disagree, naming the engines missing on either side.
Parameters are in backtest.engine_parameters, options every engine takes in backtest.strategy_options.$$;
comment on column backtest.strategy_engines.engine is 'Engine name, as jobs and backtest.strategies spell it (sma_cross).';
comment on column backtest.strategy_engines.ordinal is 'Position in lists and error messages.';
comment on column backtest.strategy_engines.description is 'The trading rule in one sentence (docs/metrics.md has the details).';

create table backtest.engine_parameters (
  engine        text    not null
                        references backtest.strategy_engines (engine) on update cascade on delete cascade,
  name          text    not null
                        constraint engine_parameter_name_is_identifier check (name ~ '^[a-z][a-z0-9_]{0,62}$'),
  ordinal       integer not null,
  value_type    text    not null
                        constraint engine_parameter_value_type_is_known check (value_type in ('whole', 'number')),
  min_value     numeric not null,
  min_inclusive boolean not null,
  max_value     numeric,
  max_inclusive boolean not null default false,
  description   text    not null
                        constraint engine_parameter_description_is_not_empty check (description <> ''),
  constraint engine_parameters_pkey primary key (engine, name),
  constraint engine_parameter_ordinal_is_unique unique (engine, ordinal),
  constraint engine_parameter_range_is_not_empty check (max_value is null or max_value > min_value)
);
comment on table backtest.engine_parameters is
$$The parameters each engine requires, with their type and range: one row per (engine, name).

A strategy or job must give every parameter of its engine, each a number of value_type within
[min_value, max_value] (each end inclusive or not; no max_value: unbounded). Rules between two
parameters are in backtest.engine_parameter_order.$$;
comment on column backtest.engine_parameters.ordinal is 'Position among the engine''s parameters (lists, messages, the optimizer''s grid order).';
comment on column backtest.engine_parameters.value_type is 'whole: a whole number (a period in bars); number: any finite number.';
comment on column backtest.engine_parameters.min_value is 'Smallest value (see min_inclusive).';
comment on column backtest.engine_parameters.min_inclusive is 'True: min_value itself is allowed; false: values must be greater.';
comment on column backtest.engine_parameters.max_value is 'Largest value (see max_inclusive); NULL for no upper bound.';
comment on column backtest.engine_parameters.max_inclusive is 'True: max_value itself is allowed; false: values must be smaller.';
comment on column backtest.engine_parameters.description is 'What the parameter means.';

create table backtest.engine_parameter_order (
  engine  text not null,
  lesser  text not null,
  greater text not null,
  constraint engine_parameter_order_pkey primary key (engine, lesser, greater),
  constraint engine_parameter_order_lesser_fk foreign key (engine, lesser)
    references backtest.engine_parameters (engine, name) on update cascade on delete cascade,
  constraint engine_parameter_order_greater_fk foreign key (engine, greater)
    references backtest.engine_parameters (engine, name) on update cascade on delete cascade,
  constraint engine_parameter_order_names_two check (lesser <> greater)
);
comment on table backtest.engine_parameter_order is
$$Rules between two parameters of one engine: lesser must be strictly smaller than greater (fast < slow).$$;
comment on column backtest.engine_parameter_order.lesser is 'The parameter that must be smaller.';
comment on column backtest.engine_parameter_order.greater is 'The parameter that must be greater.';

create table backtest.strategy_options (
  name          text    primary key
                        constraint strategy_option_name_is_identifier check (name ~ '^[a-z][a-z0-9_]{0,62}$'),
  ordinal       integer not null
                        constraint strategy_option_ordinal_is_unique unique,
  value_type    text    not null
                        constraint strategy_option_value_type_is_known check (value_type in ('number', 'boolean')),
  min_value     numeric,
  min_inclusive boolean not null default false,
  max_value     numeric,
  max_inclusive boolean not null default false,
  description   text    not null
                        constraint strategy_option_description_is_not_empty check (description <> ''),
  constraint strategy_option_boolean_has_no_range
    check (value_type = 'number' or (min_value is null and max_value is null)),
  constraint strategy_option_number_has_a_minimum check (value_type = 'boolean' or min_value is not null)
);
comment on table backtest.strategy_options is
$$Options every engine takes besides its parameters (stop-loss, take-profit, shorts); all optional.$$;
comment on column backtest.strategy_options.value_type is 'number (within min/max) or boolean (true or false).';
comment on column backtest.strategy_options.min_value is 'Smallest value of a number option (see min_inclusive); NULL for booleans.';
comment on column backtest.strategy_options.max_value is 'Largest value of a number option (see max_inclusive); NULL for none or booleans.';

insert into backtest.strategy_engines (engine, ordinal, description) values
  ('buy_hold', 1, 'Enter long on the first bar and hold to the end.'),
  ('sma_cross', 2, 'SMA(fast) crosses above SMA(slow): bullish; crosses below: bearish.'),
  ('ema_cross', 3, 'EMA(fast) crosses above EMA(slow): bullish; crosses below: bearish.'),
  ('rsi_reversion', 4, 'RSI(period) below lower: bullish; above upper: bearish.'),
  ('bollinger_breakout', 5, 'Close crosses a band of period bars and k standard deviations: enter; crosses the middle band: exit.'),
  ('macd_cross', 6, 'MACD(fast, slow) crosses above its signal line: bullish; below: bearish.'),
  ('donchian_breakout', 7, 'Close beyond the highest high or lowest low of the last entry bars: enter; of the last exit bars the other way: exit.');

insert into backtest.engine_parameters (engine, name, ordinal, value_type, min_value, min_inclusive, max_value,
                                        max_inclusive, description) values
  ('sma_cross', 'fast', 1, 'whole', 1, true, 1000000, true, 'Bars of the fast moving average.'),
  ('sma_cross', 'slow', 2, 'whole', 1, true, 1000000, true, 'Bars of the slow moving average.'),
  ('ema_cross', 'fast', 1, 'whole', 1, true, 1000000, true, 'Bars of the fast moving average.'),
  ('ema_cross', 'slow', 2, 'whole', 1, true, 1000000, true, 'Bars of the slow moving average.'),
  ('rsi_reversion', 'period', 1, 'whole', 1, true, 1000000, true, 'Bars of the RSI (Wilder smoothing).'),
  ('rsi_reversion', 'lower', 2, 'number', 0, false, 100, false, 'RSI level below which the signal is bullish.'),
  ('rsi_reversion', 'upper', 3, 'number', 0, false, 100, false, 'RSI level above which the signal is bearish.'),
  ('bollinger_breakout', 'period', 1, 'whole', 1, true, 1000000, true, 'Bars of the middle band (an SMA).'),
  ('bollinger_breakout', 'k', 2, 'number', 0, false, null, false, 'Band width in population standard deviations.'),
  ('macd_cross', 'fast', 1, 'whole', 1, true, 1000000, true, 'Bars of the fast EMA.'),
  ('macd_cross', 'slow', 2, 'whole', 1, true, 1000000, true, 'Bars of the slow EMA.'),
  ('macd_cross', 'signal', 3, 'whole', 1, true, 1000000, true, 'Bars of the signal line''s EMA.'),
  ('donchian_breakout', 'entry', 1, 'whole', 1, true, 1000000, true, 'Bars of the entry channel.'),
  ('donchian_breakout', 'exit', 2, 'whole', 1, true, 1000000, true, 'Bars of the exit channel.');

insert into backtest.engine_parameter_order (engine, lesser, greater) values
  ('sma_cross', 'fast', 'slow'),
  ('ema_cross', 'fast', 'slow'),
  ('rsi_reversion', 'lower', 'upper'),
  ('macd_cross', 'fast', 'slow');

insert into backtest.strategy_options (name, ordinal, value_type, min_value, min_inclusive, max_value, max_inclusive,
                                       description) values
  ('stop_loss_pct', 1, 'number', 0, false, 100, false, 'Stop-loss distance in percent of the entry price.'),
  ('take_profit_pct', 2, 'number', 0, false, null, false, 'Take-profit distance in percent of the entry price.'),
  ('allow_short', 3, 'boolean', null, false, null, false, 'Whether bearish signals open shorts (default false).');

-- backtest.strategies: the engine is a row of the list instead of a CHECK that repeats it. The
-- table holds a few named parameter sets: the foreign key's scan takes milliseconds.
-- squawk-ignore ban-drop-constraint, adding-foreign-key-constraint, constraint-missing-not-valid
alter table backtest.strategies drop constraint strategy_engine_is_known, add constraint strategy_engine_is_known foreign key (engine) references backtest.strategy_engines (engine) on update cascade;
comment on column backtest.strategies.engine is 'Engine name: a row of backtest.strategy_engines.';
comment on column backtest.strategies.params is
$$The engine's parameters (backtest.engine_parameters) plus any options (backtest.strategy_options).

bi.strategy_engines lists each engine's parameters and rules; see docs/metrics.md for their meaning.$$;

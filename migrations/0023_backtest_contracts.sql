-- migrations/0017_backtest_contracts.sql
-- Swap and future backtests: a run's contract terms (backtest.run_contracts), its funding payments
-- (backtest.funding_payments), metrics funding_paid and liquidations, exit reason liquidation.
-- Depends on 0007_backtest.sql and 0018 (backtest.trades exit_reason CHECK). Writes: sql/0430..0439.
-- squawk: the two tables are new (no session uses them); the metrics columns are nullable without
-- default (a catalog-only change); the exit_reason CHECK is a superset of the old one, added NOT
-- VALID and swapped in one statement, as 0018 did. All under a short lock_timeout.

set local search_path = pg_catalog, pg_temp;
set local lock_timeout = '10s';
set local statement_timeout = '1min';

create table backtest.run_contracts (
  run_id                   bigint           primary key references backtest.runs (id) on delete cascade,
  inst_type                text             not null
                                            constraint run_contract_inst_type_is_derivative check (inst_type in ('SWAP', 'FUTURES')),
  ct_type                  text             not null
                                            constraint run_contract_ct_type_is_known check (ct_type in ('linear', 'inverse')),
  ct_val                   double precision not null
                                            constraint run_contract_ct_val_is_positive check (ct_val > 0),
  settle_ccy               text,
  leverage                 double precision not null
                                            constraint run_contract_leverage_at_least_one check (leverage >= 1),
  maintenance_margin_ratio double precision not null
                                            constraint run_contract_mmr_in_unit_interval check (maintenance_margin_ratio > 0 and maintenance_margin_ratio < 1),
  funding                  text             not null
                                            constraint run_contract_funding_is_known check (funding in ('charged', 'ignore')),
  final_equity_quote       double precision
);
comment on table backtest.run_contracts is
$$The contract terms a swap or future run used, one row per such run (none for spot).

Sizes of its trades are contracts; cash, PnL, fees, funding and equity are in the settlement
currency (the quote currency for linear contracts, the base coin for inverse ones). Formulas:
docs/metrics.md, "Contracts, margin, funding and liquidation".$$;
comment on column backtest.run_contracts.ct_val is 'market.instruments.ct_val at run time: base coin per contract (linear) or quote currency per contract (inverse).';
comment on column backtest.run_contracts.settle_ccy is 'Currency of the run''s cash, PnL, fees, funding and equity (market.instruments.settle_ccy).';
comment on column backtest.run_contracts.leverage is 'Payload leverage, 1 up to the instrument''s lever; isolated margin = entry notional / leverage.';
comment on column backtest.run_contracts.maintenance_margin_ratio is 'Maintenance margin as a fraction of notional at the mark price; sets the liquidation price.';
comment on column backtest.run_contracts.funding is
$$charged: every funding time in the run was charged to the open position (backtest.funding_payments);
ignore: the payload said "funding": "ignore", no funding was charged and the figures leave it out.$$;
comment on column backtest.run_contracts.final_equity_quote is 'Final equity in the quote currency (inverse: coin equity x last close; linear: final_equity).';

create table backtest.funding_payments (
  run_id       bigint           not null references backtest.runs (id) on delete cascade,
  funding_time timestamptz      not null,
  rate         double precision not null,
  mark_price   double precision not null
                                constraint funding_payment_mark_price_is_positive check (mark_price > 0),
  contracts    double precision not null
                                constraint funding_payment_contracts_are_not_zero check (contracts <> 0),
  amount       double precision not null,
  primary key (run_id, funding_time)
);
comment on table backtest.funding_payments is
$$Funding a run's open position paid or received, one row per funding time it was open at.

amount = contracts x ct_val x mark_price x rate (linear, quote currency) or
contracts x ct_val / mark_price x rate (inverse, coin), contracts signed: positive when paid
(a long at a positive rate), negative when received. Their sum is backtest.metrics.funding_paid.$$;
comment on column backtest.funding_payments.funding_time is 'market.funding_rates.funding_time of the payment.';
comment on column backtest.funding_payments.rate is 'market.funding_rates.rate at funding_time (0.0001 = 0.01%).';
comment on column backtest.funding_payments.mark_price is 'Mark price at funding_time: the 1m mark candle opening then, else the trade open of the bar that charged it.';
comment on column backtest.funding_payments.contracts is 'Contracts held, signed: positive long, negative short.';
comment on column backtest.funding_payments.amount is 'Settlement currency; positive when the position paid, negative when it received.';

alter table backtest.metrics add column funding_paid double precision, add column liquidations bigint;
comment on column backtest.metrics.funding_paid is 'Sum of the run''s backtest.funding_payments amounts, settlement currency (positive: paid overall); 0 with funding ignore; NULL for spot.';
comment on column backtest.metrics.liquidations is 'Trades that ended with exit_reason liquidation; NULL for spot.';

-- the old CHECK's guarantee is kept by the new one added in the same statement (a superset)
-- squawk-ignore ban-drop-constraint
alter table backtest.trades drop constraint trade_exit_reason_is_known, add constraint trade_exit_reason_is_known check (exit_reason in ('signal', 'stop', 'take', 'window_end', 'liquidation', 'open')) not valid;
comment on column backtest.trades.exit_reason is
$$Why the trade ended: signal (opposite signal), stop (stop-loss), take (take-profit), liquidation
(a contract's mark price crossed its liquidation price), window_end (closed at the last close of
a walk-forward test window, fee and slippage charged) or open (still open at the end of the run:
marked at the last close without exit fee, not a closed trade).$$;

-- migrations/0035_market_funding_rates_if_missing.sql
-- market.funding_rates for the swap backtests (sql/0431, sql/0432) when the data side has not
-- created it: the same columns and CHECKs as the data branch's table (issue 18), created only if
-- missing, so either order of landing gives one table. Depends on 0008 (market.is_inst_id).
-- squawk: a new table no session uses yet; nothing waits on a lock held by live traffic.
-- squawk-ignore-file require-lock-timeout, require-statement-timeout

set local search_path = pg_catalog, pg_temp;

create table if not exists market.funding_rates (
  funding_time  timestamptz not null,
  ingested_at   timestamptz not null default now(),
  inst_id       text        not null
                            constraint funding_rate_inst_id_is_well_formed check (market.is_inst_id(inst_id)),
  rate          numeric     not null,
  realized_rate numeric,
  method        text,
  formula_type  text,
  constraint funding_rates_pkey primary key (inst_id, funding_time),
  constraint funding_rate_is_finite check (rate < 'Infinity'::numeric and rate > '-Infinity'::numeric),
  constraint funding_rate_within_ten_percent check (rate between -0.1 and 0.1),
  constraint funding_realized_rate_is_finite check (realized_rate < 'Infinity'::numeric and realized_rate > '-Infinity'::numeric),
  constraint funding_realized_rate_within_ten_percent check (realized_rate between -0.1 and 0.1),
  constraint funding_method_is_known check (method in ('current_period', 'next_period')),
  constraint funding_formula_type_is_known check (formula_type in ('noRate', 'withRate'))
);
comment on table market.funding_rates is
$$Funding rates of perpetual swaps, one row per instrument and funding time.

From GET /api/v5/public/funding-rate-history. Funding intervals are not fixed (8 h for most
swaps, 4 h or shorter for some): read funding_time, never assume 8 h. A long position pays
rate x notional at funding_time when rate > 0.$$;
comment on column market.funding_rates.rate is 'OKX fundingRate of the interval ending at funding_time, a fraction (0.0001 = 0.01%).';
comment on column market.funding_rates.realized_rate is 'OKX realizedRate, when given.';
comment on column market.funding_rates.method is 'OKX method: current_period or next_period.';
comment on column market.funding_rates.formula_type is 'OKX formulaType: noRate or withRate.';
comment on column market.funding_rates.ingested_at is 'When the row was last written.';

-- migrations/0021_market_funding_rates.sql
-- market.funding_rates: the funding rates OKX charged perpetual swaps, one row per (inst_id, funding_time).
-- Depends on 0008_market_inst_id.sql (market.is_inst_id); the upsert lives in sql/0172, grants in sql/0179.
-- squawk: this file only creates a new table, which no session uses yet: nothing waits on a lock
-- held by live traffic, so lock_timeout/statement_timeout would only add ways to fail.
-- squawk-ignore-file require-lock-timeout, require-statement-timeout

set local search_path = pg_catalog, pg_temp;

-- Rates are numeric (OKX's decimal strings kept exactly, e.g. "0.0000764583022452"), never double.
-- The bound: OKX clamps every instrument's funding rate to a cap and floor of a few percent per
-- interval at most (docs/swaps.md); +-10% per interval is far outside any such cap, so a row beyond
-- it is a decoding bug (a rate read in percent or basis points), not a market event.
create table market.funding_rates (
  funding_time  timestamptz not null,
  ingested_at   timestamptz not null default now(),
  inst_id       text        not null
                            constraint funding_rate_inst_id_is_well_formed check (market.is_inst_id(inst_id)),
  rate          numeric     not null,
  realized_rate numeric,
  method        text,
  formula_type  text,
  constraint funding_rates_pkey primary key (inst_id, funding_time),
  -- NaN sorts above every number and PG15 numeric takes 'Infinity': both fail x < 'Infinity', -Infinity fails x > '-Infinity'
  constraint funding_rate_is_finite check (rate < 'Infinity'::numeric and rate > '-Infinity'::numeric),
  constraint funding_rate_within_ten_percent check (rate between -0.1 and 0.1),
  constraint funding_realized_rate_is_finite check (realized_rate < 'Infinity'::numeric and realized_rate > '-Infinity'::numeric),
  constraint funding_realized_rate_within_ten_percent check (realized_rate between -0.1 and 0.1),
  constraint funding_method_is_known check (method in ('current_period', 'next_period')),
  constraint funding_formula_type_is_known check (formula_type in ('noRate', 'withRate'))
);
comment on table market.funding_rates is
$$Funding rates of perpetual swaps, one row per instrument and funding time.

Filled by market.upsert_funding_rates from GET /api/v5/public/funding-rate-history (settled
rates, newest first, about three months back) and /public/funding-rate (the current period's
rate, stored at its fundingTime and overwritten once settled). Funding intervals are not fixed
(8 h for most swaps, 4 h or shorter for some, and OKX moves instruments between them): the
interval of a row is the time since the instrument's previous funding_time (bi.funding_rates),
never an assumed 8 h. A long position pays rate x notional at funding_time when rate > 0.$$;
comment on column market.funding_rates.funding_time is 'When the funding was (or will be) settled (OKX fundingTime, Unix ms).';
comment on column market.funding_rates.ingested_at is 'When this version of the row was written.';
comment on column market.funding_rates.inst_id is 'The perpetual swap, e.g. BTC-USDT-SWAP.';
comment on column market.funding_rates.rate is
$$The funding rate of the interval that ends at funding_time, as a fraction (0.0001 is 0.01 percent).

OKX fundingRate: exact decimal, finite, within +-0.1 (CHECKs funding_rate_is_finite and
funding_rate_within_ten_percent).$$;
comment on column market.funding_rates.realized_rate is
$$OKX realizedRate: the rate actually charged at settlement; NULL when OKX sent "" (not settled yet).$$;
comment on column market.funding_rates.method is 'OKX method: current_period or next_period (how the rate was set); NULL when not sent.';
comment on column market.funding_rates.formula_type is 'OKX formulaType: noRate or withRate (the rate formula''s family); NULL when not sent.';

-- migrations/0003_market.sql
-- The market schema: bar arithmetic, instruments, tickers, watchlist and the monthly-partitioned candles.
-- Depends on 0002_roles.sql (grants live in sql/0190_market_grants.sql). Functions used by CHECKs live here.

-- squawk: this file creates the market schema: every table and index is new, and the first
-- partitions are made on the still-empty candles table.
-- `candlestack migrate` applies it in one transaction before anything uses these objects, so no
-- statement waits behind live traffic: lock_timeout/statement_timeout would only add ways to fail.
-- squawk-ignore-file require-lock-timeout, require-statement-timeout

-- Unqualified names below (now(), jsonb, =, ...) resolve in pg_catalog whatever search_path the
-- migrating session has; `local`: the migrator's transaction for this file only.
set local search_path = pg_catalog, pg_temp;

create schema market;
comment on schema market is
$$Market data from OKX.

Instruments, 24h tickers, the watchlist of what to keep, and candles partitioned by month.
Workers write it through market.upsert_* functions; BI tools read the bi schema instead.$$;

-- ---------------------------------------------------------------------------------------------
-- Bar arithmetic. Plain `language sql immutable` one-expression functions WITHOUT a
-- `set search_path` clause: PostgreSQL inlines such functions into the calling query (a SET
-- clause forbids inlining), so a CHECK or a GROUP BY pays an expression, not a function call.
-- Every reference is qualified (pg_catalog., market.) so the caller's search_path cannot change them.
-- All arithmetic happens on `timestamp` (local wall time of the bar's zone) with fixed-offset
-- zones given as intervals: timezone(interval, ...) and timestamp + interval are immutable,
-- unlike timestamptz + interval, which depends on the session TimeZone.
-- ---------------------------------------------------------------------------------------------

create function market.bar_interval(bar text)
returns interval
language sql
immutable
parallel safe
as $$
  select case
    when bar operator(pg_catalog.=) '1m'    then interval '1 minute'
    when bar operator(pg_catalog.=) '1s'    then interval '1 second'
    when bar operator(pg_catalog.=) '3m'    then interval '3 minutes'
    when bar operator(pg_catalog.=) '5m'    then interval '5 minutes'
    when bar operator(pg_catalog.=) '15m'   then interval '15 minutes'
    when bar operator(pg_catalog.=) '30m'   then interval '30 minutes'
    when bar operator(pg_catalog.=) '1H'    then interval '1 hour'
    when bar operator(pg_catalog.=) '2H'    then interval '2 hours'
    when bar operator(pg_catalog.=) '4H'    then interval '4 hours'
    when bar operator(pg_catalog.=) '6H'    then interval '6 hours'
    when bar operator(pg_catalog.=) '12H'   then interval '12 hours'
    when bar operator(pg_catalog.=) '1D'    then interval '1 day'
    when bar operator(pg_catalog.=) '2D'    then interval '2 days'
    when bar operator(pg_catalog.=) '3D'    then interval '3 days'
    when bar operator(pg_catalog.=) '1W'    then interval '7 days'
    when bar operator(pg_catalog.=) '1M'    then interval '1 month'
    when bar operator(pg_catalog.=) '3M'    then interval '3 months'
    when bar operator(pg_catalog.=) '6Hutc' then interval '6 hours'
    when bar operator(pg_catalog.=) '12Hutc' then interval '12 hours'
    when bar operator(pg_catalog.=) '1Dutc' then interval '1 day'
    when bar operator(pg_catalog.=) '2Dutc' then interval '2 days'
    when bar operator(pg_catalog.=) '3Dutc' then interval '3 days'
    when bar operator(pg_catalog.=) '1Wutc' then interval '7 days'
    when bar operator(pg_catalog.=) '1Mutc' then interval '1 month'
    when bar operator(pg_catalog.=) '3Mutc' then interval '3 months'
  end
$$;
comment on function market.bar_interval(text) is
$$The length of an OKX bar, or NULL for a name OKX does not serve.

Fixed sizes for 1s..1W (days are whole 24-hour days: the zones are fixed offsets without DST);
calendar months for 1M/1Mutc ('1 mon') and quarters for 3M/3Mutc ('3 mons'), so the length of
those depends on the month: add it to the bar's local wall time, as market.bar_next does.
NULL doubles as "not a bar": CHECKs test bar_interval(bar) is not null.
Plain SQL, immutable, no SET clause, so PostgreSQL inlines it into CHECKs and queries.$$;

create function market.bar_utc_offset(bar text)
returns interval
language sql
immutable
parallel safe
as $$
  select case
    when bar operator(pg_catalog.=) any (array['1s', '1m', '3m', '5m', '15m', '30m', '1H', '2H', '4H',
                 '6Hutc', '12Hutc', '1Dutc', '2Dutc', '3Dutc', '1Wutc', '1Mutc', '3Mutc'])
      then interval '0 hours'
    when bar operator(pg_catalog.=) any (array['6H', '12H', '1D', '2D', '3D', '1W', '1M', '3M'])
      then interval '8 hours'
  end
$$;
comment on function market.bar_utc_offset(text) is
$$The UTC offset of the zone a bar is aligned in: 8 hours (Hong Kong) or 0 (UTC).

OKX aligns 6H and longer bars to Hong Kong time unless the name ends in utc; shorter bars are
UTC-epoch aligned. Hong Kong is taken as the fixed offset UTC+8, not the Asia/Hong_Kong zone,
which had summer time before 1980. NULL for an unknown bar. Inlinable (plain SQL, no SET clause).$$;

create function market.bar_start(bar text, ts timestamptz)
returns timestamptz
language sql
immutable
parallel safe
as $$
  select case
    when bar operator(pg_catalog.=) any (array['1M', '1Mutc', '3M', '3Mutc']) then
      pg_catalog.timezone(market.bar_utc_offset(bar),
        pg_catalog.date_trunc(case when bar operator(pg_catalog.=) any (array['1M', '1Mutc']) then 'month' else 'quarter' end,
                              pg_catalog.timezone(market.bar_utc_offset(bar), ts)))
    else
      pg_catalog.timezone(market.bar_utc_offset(bar),
        pg_catalog.date_bin(market.bar_interval(bar),
                            pg_catalog.timezone(market.bar_utc_offset(bar), ts),
                            case when bar operator(pg_catalog.=) any (array['1W', '1Wutc']) then timestamp '1970-01-05 00:00'
                                 else timestamp '1970-01-01 00:00' end))
  end
$$;
comment on function market.bar_start(text, timestamptz) is
$$The open time of the bar that contains ts, with OKX's alignment.

Fixed bars are binned from an origin at midnight in the bar's zone: 1970-01-01 (so 2D and 3D
are whole days since 1970-01-01 floored to a multiple of 2 or 3, and 1D opens at 16:00 UTC, or
00:00 UTC for 1Dutc), and Monday 1970-01-05 for weeks (1W opens Monday 00:00 Hong Kong time,
which is Sunday 16:00 UTC; 1Wutc opens Monday 00:00 UTC). 1M and 3M are calendar months
and quarters (Jan/Apr/Jul/Oct) of the bar's local wall time. NULL for an unknown bar.
Inlinable (plain SQL, no SET clause): used by the candle CHECK that keeps ts on the grid.$$;

create function market.bar_next(bar text, ts timestamptz)
returns timestamptz
language sql
immutable
parallel safe
as $$
  select pg_catalog.timezone(market.bar_utc_offset(bar),
           pg_catalog.timezone(market.bar_utc_offset(bar), market.bar_start(bar, ts))
           operator(pg_catalog.+) market.bar_interval(bar))
$$;
comment on function market.bar_next(text, timestamptz) is
$$The open time of the bar after the one that contains ts (the exclusive end of ts's bar).

Adds bar_interval in the bar's local wall time, so 1M after 2024-01-31 16:00 UTC (Feb 1 HK)
is 2024-02-29 16:00 UTC (Mar 1 HK). Inlinable (plain SQL, no SET clause).$$;

create function market.bar_count(bar text, from_ts timestamptz, to_ts timestamptz)
returns bigint
language sql
immutable
parallel safe
as $$
  -- grid points g with from_ts <= g < to_ts: the difference of the first grid points at or after each end
  select case
    when to_ts operator(pg_catalog.<=) from_ts then 0::bigint
    when bar operator(pg_catalog.=) any (array['1M', '1Mutc', '3M', '3Mutc']) then
      (((pg_catalog.date_part('year', pg_catalog.timezone(market.bar_utc_offset(bar), e.t)) operator(pg_catalog.*) 12)
         operator(pg_catalog.+) pg_catalog.date_part('month', pg_catalog.timezone(market.bar_utc_offset(bar), e.t)))
       operator(pg_catalog.-)
       ((pg_catalog.date_part('year', pg_catalog.timezone(market.bar_utc_offset(bar), e.f)) operator(pg_catalog.*) 12)
         operator(pg_catalog.+) pg_catalog.date_part('month', pg_catalog.timezone(market.bar_utc_offset(bar), e.f))))::bigint
      operator(pg_catalog./) case when bar operator(pg_catalog.=) any (array['1M', '1Mutc']) then 1 else 3 end
    else
      (pg_catalog.date_part('epoch', e.t operator(pg_catalog.-) e.f)
        operator(pg_catalog./) pg_catalog.date_part('epoch', market.bar_interval(bar)))::bigint
  end
  from (select case when market.bar_start(bar, from_ts) operator(pg_catalog.=) from_ts then from_ts
                    else market.bar_next(bar, from_ts) end as f,
               case when market.bar_start(bar, to_ts) operator(pg_catalog.=) to_ts then to_ts
                    else market.bar_next(bar, to_ts) end as t) as e
$$;
comment on function market.bar_count(text, timestamptz, timestamptz) is
$$How many bars of a size open in [from_ts, to_ts).

The expected number of candles in a range: used by market.gaps, market.resample (is a bucket
complete?) and bi.data_coverage. 0 when to_ts <= from_ts; NULL for an unknown bar.$$;

create function market.bars()
returns table (bar text, bar_interval interval, utc_offset interval, zone text, ordinal integer)
language sql
immutable
parallel safe
as $$
  select b.bar, market.bar_interval(b.bar), market.bar_utc_offset(b.bar),
         case when market.bar_utc_offset(b.bar) operator(pg_catalog.=) interval '0' then 'UTC' else 'UTC+8 (Hong Kong)' end,
         b.ordinal::integer
    from pg_catalog.unnest(array['1s', '1m', '3m', '5m', '15m', '30m', '1H', '2H', '4H',
                      '6H', '12H', '1D', '2D', '3D', '1W', '1M', '3M',
                      '6Hutc', '12Hutc', '1Dutc', '2Dutc', '3Dutc', '1Wutc', '1Mutc', '3Mutc'])
         with ordinality as b(bar, ordinal)
$$;
comment on function market.bars() is
$$Every bar OKX serves, with its length and the zone it is aligned in.

The list error messages quote ("bar must be one of ..."): string_agg(bar, ', ' order by ordinal).
Sizes and zones come from market.bar_interval and market.bar_utc_offset, the single source.$$;

-- ---------------------------------------------------------------------------------------------
-- Instruments and tickers
-- ---------------------------------------------------------------------------------------------

create table market.instruments (
  inst_id      text        primary key
                           constraint instrument_inst_id_is_well_formed check (inst_id ~ '^[A-Z0-9]+(-[A-Z0-9]+){1,3}$'),
  inst_type    text        not null
                           constraint instrument_inst_type_is_known check (inst_type in ('SPOT', 'MARGIN', 'SWAP', 'FUTURES', 'OPTION')),
  base_ccy     text,
  quote_ccy    text,
  settle_ccy   text,
  ct_val       numeric,
  ct_mult      numeric,
  ct_val_ccy   text,
  ct_type      text,
  tick_sz      numeric,
  lot_sz       numeric,
  min_sz       numeric,
  state        text,
  list_time    timestamptz,
  exp_time     timestamptz,
  uly          text,
  inst_family  text,
  raw          jsonb       not null default '{}'::jsonb,
  first_seen   timestamptz not null default now(),
  last_seen    timestamptz not null default now(),
  delisted_at  timestamptz
);
comment on table market.instruments is
$$OKX instruments we have seen, one row per instId.

Filled by market.upsert_instruments from GET /api/v5/public/instruments. An instrument that
vanishes from OKX's answer is marked (delisted_at), never deleted, so its candles keep a home.$$;
comment on column market.instruments.inst_id is 'OKX instId, e.g. BTC-USDT (spot) or BTC-USDT-SWAP.';
comment on column market.instruments.inst_type is 'OKX instType: SPOT, MARGIN, SWAP, FUTURES or OPTION.';
comment on column market.instruments.ct_val is 'Contract value (derivatives); NULL for spot, where OKX sends "".';
comment on column market.instruments.tick_sz is 'Price tick size.';
comment on column market.instruments.lot_sz is 'Order size increment (base currency for spot, contracts for derivatives).';
comment on column market.instruments.state is 'OKX state: live, suspend, preopen or test.';
comment on column market.instruments.list_time is 'Listing time (OKX listTime, Unix ms).';
comment on column market.instruments.exp_time is 'Expiry time for futures and options (OKX expTime); NULL otherwise.';
comment on column market.instruments.raw is 'The instrument''s object from OKX''s last answer, verbatim.';
comment on column market.instruments.first_seen is 'When an OKX answer first listed this instrument.';
comment on column market.instruments.last_seen is 'When an OKX answer last listed this instrument.';
comment on column market.instruments.delisted_at is
$$When the instrument vanished from OKX's answer for its type; NULL while listed.

Cleared again if the instrument comes back.$$;

create table market.tickers (
  inst_id      text        primary key
                           constraint ticker_inst_id_is_well_formed check (inst_id ~ '^[A-Z0-9]+(-[A-Z0-9]+){1,3}$'),
  inst_type    text,
  last         numeric,
  last_sz      numeric,
  bid_px       numeric,
  bid_sz       numeric,
  ask_px       numeric,
  ask_sz       numeric,
  open_24h     numeric,
  high_24h     numeric,
  low_24h      numeric,
  vol_24h      numeric,
  vol_ccy_24h  numeric,
  sod_utc0     numeric,
  sod_utc8     numeric,
  ts           timestamptz not null,
  raw          jsonb       not null default '{}'::jsonb,
  updated_at   timestamptz not null default now()
);
comment on table market.tickers is
$$The latest 24-hour ticker snapshot per instrument.

Filled by market.upsert_tickers from GET /api/v5/market/tickers. One row per instrument,
overwritten by newer snapshots; no history (candles are the history).$$;
comment on column market.tickers.vol_24h is 'Volume over 24h in the units of candle volume: base currency for spot, contracts for derivatives.';
comment on column market.tickers.vol_ccy_24h is 'Volume over 24h in the units of candle volume_ccy: quote currency for spot (ranks bi.top_coins), base currency for derivatives.';
comment on column market.tickers.sod_utc0 is 'Open price at the start of the UTC day.';
comment on column market.tickers.sod_utc8 is 'Open price at the start of the Hong Kong (UTC+8) day.';
comment on column market.tickers.ts is 'OKX''s snapshot time (ts, Unix ms).';
comment on column market.tickers.raw is 'The ticker object from OKX, verbatim.';

-- ---------------------------------------------------------------------------------------------
-- Watchlist
-- ---------------------------------------------------------------------------------------------

create table market.watchlist (
  inst_id      text        not null
                           constraint watchlist_inst_id_is_well_formed check (inst_id ~ '^[A-Z0-9]+(-[A-Z0-9]+){1,3}$'),
  bar          text        not null
                           constraint watchlist_bar_is_known check (market.bar_interval(bar) is not null),
  history_from timestamptz,
  enabled      boolean     not null default true,
  added_by     text        not null default current_user,
  added_at     timestamptz not null default now(),
  constraint watchlist_pkey primary key (inst_id, bar)
);
comment on table market.watchlist is
$$What users ask Candlestack to keep: one row per instrument and bar.

Rows are validated at INSERT (bar among market.bars(), inst_id shaped like BTC-USDT or
BTC-USDT-SWAP). The instrument need not be in market.instruments yet: a fresh database has none
until sync_instruments runs.$$;
comment on column market.watchlist.history_from is 'Keep candles from this time on; NULL means as far back as OKX has.';
comment on column market.watchlist.enabled is 'False pauses ingestion without losing the row.';
comment on column market.watchlist.added_by is 'The role that added the row (current_user).';

-- ---------------------------------------------------------------------------------------------
-- Candles
-- ---------------------------------------------------------------------------------------------

-- Column order is for alignment: the 8-byte timestamps first, then the boolean, then the
-- variable-length columns (short 1-byte headers, no padding). ~165 bytes per candle with the key.
create table market.candles (
  ts            timestamptz not null,
  ingested_at   timestamptz not null default now(),
  confirmed     boolean     not null default true,
  inst_id       text        not null,
  bar           text        not null,
  open          numeric     not null,
  high          numeric     not null,
  low           numeric     not null,
  close         numeric     not null,
  volume        numeric     not null,
  volume_ccy    numeric,
  volume_quote  numeric,
  constraint candles_pkey primary key (inst_id, bar, ts),
  constraint candle_bar_is_known check (market.bar_interval(bar) is not null),
  constraint candle_ts_is_on_bar_grid check (ts = market.bar_start(bar, ts)),
  constraint candle_prices_are_positive check (open > 0 and high > 0 and low > 0 and close > 0),
  -- NaN sorts above every number and PG15 numeric takes 'Infinity': both are >= 'Infinity'
  constraint candle_prices_are_finite check (
    open < 'Infinity'::numeric and high < 'Infinity'::numeric and low < 'Infinity'::numeric and close < 'Infinity'::numeric),
  constraint candle_volumes_are_not_negative check (volume >= 0 and volume_ccy >= 0 and volume_quote >= 0),
  constraint candle_volumes_are_finite check (
    volume < 'Infinity'::numeric and volume_ccy < 'Infinity'::numeric and volume_quote < 'Infinity'::numeric),
  constraint candle_high_is_highest check (high >= greatest(open, close, low)),
  constraint candle_low_is_lowest check (low <= least(open, close))
) partition by range (ts);
comment on table market.candles is
$$OHLCV candles from OKX, one row per (inst_id, bar, ts), partitioned by month of ts.

Prices and volumes are numeric and keep OKX's decimal strings exactly. Partitions are named
market.candles_yYYYYmMM (UTC months) and created by market.ensure_candle_partitions; there is
no default partition. Write in bulk with market.create_candle_staging + COPY +
market.upsert_candles.$$;
comment on column market.candles.ts is 'The candle''s open time (OKX ts), on the bar''s grid (market.bar_start).';
comment on column market.candles.ingested_at is 'When this version of the row was written.';
comment on column market.candles.confirmed is
$$True once OKX closed the candle (confirm = "1").

An unconfirmed candle is still forming and is overwritten by later ingests; a confirmed one is
never turned back into an unconfirmed one by market.upsert_candles.$$;
comment on column market.candles.bar is 'OKX bar name, one of market.bars().';
comment on column market.candles.volume is 'OKX vol: base currency for spot and margin, number of contracts for derivatives.';
comment on column market.candles.volume_ccy is 'OKX volCcy: quote currency for spot and margin, base currency for derivatives.';
comment on column market.candles.volume_quote is 'OKX volCcyQuote: always quote currency.';

create function market.ensure_candle_partitions(from_ts timestamptz, to_ts timestamptz)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_month   timestamp := pg_catalog.date_trunc('month', pg_catalog.timezone('UTC', from_ts));
  v_last    timestamp := pg_catalog.date_trunc('month', pg_catalog.timezone('UTC', to_ts));
  v_name    text;
  v_created integer := 0;
begin
  if from_ts is null or to_ts is null or to_ts < from_ts then
    raise exception 'market.ensure_candle_partitions: from_ts and to_ts must be set with from_ts <= to_ts, got % and %',
      from_ts, to_ts using errcode = 'invalid_parameter_value';
  end if;
  if v_last - v_month > interval '1200 months' then
    raise exception 'market.ensure_candle_partitions: range % to % spans more than 100 years', from_ts, to_ts
      using errcode = 'invalid_parameter_value';
  end if;
  while v_month <= v_last loop
    v_name := pg_catalog.to_char(v_month, '"candles_y"YYYY"m"MM');
    -- existence through a catalog query (a fresh snapshot per statement), not to_regclass: the
    -- syscache may still hold a negative entry from before another session committed the partition
    if not exists (select 1 from pg_catalog.pg_class as c
                    where c.relname = v_name and c.relnamespace = 'market'::pg_catalog.regnamespace) then
      -- serialise creators, then look again: another session may have created it meanwhile
      perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('market.candles partitions'));
      if not exists (select 1 from pg_catalog.pg_class as c
                      where c.relname = v_name and c.relnamespace = 'market'::pg_catalog.regnamespace) then
        begin
          execute pg_catalog.format(
            'create table market.%I partition of market.candles for values from (%L) to (%L)',
            v_name, pg_catalog.timezone('UTC', v_month), pg_catalog.timezone('UTC', v_month + interval '1 month'));
          v_created := v_created + 1;
        exception when duplicate_table then
          null;  -- created by a session whose commit our snapshot does not show yet (REPEATABLE READ)
        end;
      end if;
    end if;
    v_month := v_month + interval '1 month';
  end loop;
  return v_created;
end;
$$;
comment on function market.ensure_candle_partitions(timestamptz, timestamptz) is
$$Create the monthly partitions of market.candles that cover [from_ts, to_ts]; returns how many it made.

Months are UTC calendar months, named market.candles_yYYYYmMM. Safe when sessions race: the
creation runs under a transaction-scoped advisory lock with a catalog check before and after
(and a duplicate_table from a partition committed after our snapshot is ignored).
SECURITY DEFINER (creating a partition needs ownership of market.candles); execute is granted to
candlestack_worker only. Called by market.upsert_candles before every write.$$;

-- The months around the first deployment, so a hand-written INSERT works on a fresh database.
select market.ensure_candle_partitions(date_trunc('month', now()) - interval '1 month', now() + interval '1 month');

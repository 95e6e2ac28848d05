-- migrations/0004_bi.sql
-- The bi schema and its materialized views (top coins, daily candles, data coverage) with unique indexes.
-- Depends on market tables and bar arithmetic (0003_market.sql); refreshed by market.refresh_views (sql/0150).

-- squawk: this file creates the bi schema: new materialized views (which only read market
-- tables, under ACCESS SHARE, blocking no writer) and their indexes.
-- `candlestack migrate` applies it in one transaction before anything uses these objects, so no
-- statement waits behind live traffic: lock_timeout/statement_timeout would only add ways to fail.
-- squawk-ignore-file require-lock-timeout, require-statement-timeout

-- Unqualified names below (now(), jsonb, =, ...) resolve in pg_catalog whatever search_path the
-- migrating session has; `local`: the migrator's transaction for this file only.
set local search_path = pg_catalog, pg_temp;

create schema bi;
comment on schema bi is
$$Read-only views for BI tools (Metabase, Grafana, Superset, Excel).

Stable, documented column names. The candlestack_bi role can read this schema and nothing else.
Materialized views are refreshed by market.refresh_views() (the refresh_views job).$$;

create materialized view bi.top_coins as
select pg_catalog.rank() over (order by t.vol_ccy_24h desc nulls last)::integer as rank,
       i.inst_id              as instrument,
       i.base_ccy             as base_currency,
       i.quote_ccy            as quote_currency,
       t.last                 as last_price,
       t.vol_ccy_24h          as quote_volume_24h,
       t.vol_24h              as base_volume_24h,
       round((t.last / nullif(t.open_24h, 0) - 1) * 100, 4) as change_24h_percent,
       t.ts                   as ticker_time
  from market.instruments as i
  join market.tickers as t on t.inst_id = i.inst_id
 where i.inst_type = 'SPOT' and i.delisted_at is null;
-- the view was created and filled by the statement above, in this transaction: nobody can
-- write to it yet, so a plain (non-concurrent) build blocks nothing; CONCURRENTLY cannot run in a transaction.
-- squawk-ignore require-concurrent-index-creation
create unique index top_coins_instrument_key on bi.top_coins (instrument);
comment on materialized view bi.top_coins is
$$Listed spot instruments ranked by 24-hour quote volume.

Rank 1 trades the most (in its quote currency; compare within one quote currency, e.g. USDT).
From market.tickers and market.instruments; as fresh as the last refresh.$$;
comment on column bi.top_coins.rank is 'Rank by 24h quote volume, 1 = most traded; ties share a rank.';
comment on column bi.top_coins.instrument is 'OKX instrument id, e.g. BTC-USDT.';
comment on column bi.top_coins.base_currency is 'The coin bought and sold, e.g. BTC.';
comment on column bi.top_coins.quote_currency is 'The currency prices are quoted in, e.g. USDT.';
comment on column bi.top_coins.last_price is 'Last traded price, in the quote currency.';
comment on column bi.top_coins.quote_volume_24h is 'Traded volume over the last 24 hours, in the quote currency (OKX volCcy24h).';
comment on column bi.top_coins.base_volume_24h is 'Traded volume over the last 24 hours, in the base currency (OKX vol24h).';
comment on column bi.top_coins.change_24h_percent is 'Price change over 24 hours in percent: last price against the price 24 hours ago.';
comment on column bi.top_coins.ticker_time is 'When OKX took the ticker snapshot.';

create materialized view bi.daily_candles as
with d (bar) as (values ('1D'), ('1Dutc')),
b as (
  select c.inst_id, d.bar, market.bar_start(d.bar, c.ts) as day_start,
         min(c.ts) as first_ts, max(c.ts) as last_ts,
         max(c.high) as high, min(c.low) as low,
         sum(c.volume) as volume, sum(c.volume_ccy) as volume_ccy, sum(c.volume_quote) as volume_quote,
         count(*) as minute_count, bool_and(c.confirmed) as all_confirmed
    from market.candles as c
   cross join d
   where c.bar = '1m'
   group by c.inst_id, d.bar, market.bar_start(d.bar, c.ts)
)
select b.inst_id                                             as instrument,
       b.bar                                                 as bar,
       pg_catalog.timezone(market.bar_utc_offset(b.bar), b.day_start)::date as day,
       b.day_start                                           as day_start,
       o.open, b.high, b.low, x.close,
       b.volume, b.volume_ccy, b.volume_quote,
       b.minute_count,
       b.minute_count = 1440 and b.all_confirmed             as complete
  from b
  join market.candles as o on o.inst_id = b.inst_id and o.bar = '1m' and o.ts = b.first_ts
  join market.candles as x on x.inst_id = b.inst_id and x.bar = '1m' and x.ts = b.last_ts;
-- the view was created and filled by the statement above, in this transaction: nobody can
-- write to it yet, so a plain (non-concurrent) build blocks nothing; CONCURRENTLY cannot run in a transaction.
-- squawk-ignore require-concurrent-index-creation
create unique index daily_candles_instrument_bar_day_key on bi.daily_candles (instrument, bar, day_start);
comment on materialized view bi.daily_candles is
$$Daily candles built from stored 1-minute candles, in both OKX day conventions.

bar 1D: days of Hong Kong time (UTC+8), opening at 16:00 UTC, as OKX's 1D; bar 1Dutc: UTC days.
Same arithmetic as market.resample (first open, max high, min low, last close, summed volumes).$$;
comment on column bi.daily_candles.instrument is 'OKX instrument id, e.g. BTC-USDT.';
comment on column bi.daily_candles.bar is '1D (Hong Kong day, UTC+8) or 1Dutc (UTC day).';
comment on column bi.daily_candles.day is 'The calendar date of the day in its own zone (Hong Kong for 1D, UTC for 1Dutc).';
comment on column bi.daily_candles.day_start is 'When the day opens (16:00 UTC the evening before for 1D, 00:00 UTC for 1Dutc).';
comment on column bi.daily_candles.open is 'Price at the open: the open of the day''s first stored minute.';
comment on column bi.daily_candles.high is 'Highest price of the day.';
comment on column bi.daily_candles.low is 'Lowest price of the day.';
comment on column bi.daily_candles.close is 'Price at the close: the close of the day''s last stored minute.';
comment on column bi.daily_candles.volume is 'Volume in base currency (spot) or contracts (derivatives).';
comment on column bi.daily_candles.volume_ccy is 'Volume in quote currency (spot) or base currency (derivatives).';
comment on column bi.daily_candles.volume_quote is 'Volume in quote currency.';
comment on column bi.daily_candles.minute_count is 'How many 1-minute candles the day holds (1440 when whole).';
comment on column bi.daily_candles.complete is 'True when all 1440 minutes are stored and closed.';

create materialized view bi.data_coverage as
select w.inst_id                                                     as instrument,
       w.bar                                                         as bar,
       w.enabled                                                     as enabled,
       w.history_from                                                as history_from,
       s.first_candle                                                as first_candle,
       s.last_candle                                                 as last_candle,
       coalesce(market.bar_count(w.bar, s.first_candle, market.bar_next(w.bar, s.last_candle)), 0) as expected_count,
       s.present_count                                               as present_count,
       coalesce(g.gap_count, 0)                                      as gap_count,
       round(extract(epoch from (now() - s.last_candle)) / 60, 1)   as minutes_since_newest
  from market.watchlist as w
  left join lateral (
    select min(c.ts) as first_candle, max(c.ts) as last_candle, count(*) as present_count
      from market.candles as c
     where c.inst_id = w.inst_id and c.bar = w.bar
  ) as s on true
  left join lateral (
    select count(*) as gap_count
      from (select c.ts, lead(c.ts) over (order by c.ts) as next_ts
              from market.candles as c
             where c.inst_id = w.inst_id and c.bar = w.bar) as n
     where n.next_ts <> market.bar_next(w.bar, n.ts)
  ) as g on true;
-- the view was created and filled by the statement above, in this transaction: nobody can
-- write to it yet, so a plain (non-concurrent) build blocks nothing; CONCURRENTLY cannot run in a transaction.
-- squawk-ignore require-concurrent-index-creation
create unique index data_coverage_instrument_bar_key on bi.data_coverage (instrument, bar);
comment on materialized view bi.data_coverage is
$$How complete the stored candles are, per watchlist entry.

Counts between the first and the last stored candle: expected_count bars should exist there,
present_count do, in gap_count holes. minutes_since_newest says how current the data was at the
last refresh. market.gaps(instrument, bar, from, to) lists the holes themselves.$$;
comment on column bi.data_coverage.instrument is 'OKX instrument id, e.g. BTC-USDT.';
comment on column bi.data_coverage.bar is 'Candle size, an OKX bar name (1m, 1H, 1D...).';
comment on column bi.data_coverage.enabled is 'Whether the watchlist entry is being kept up to date.';
comment on column bi.data_coverage.history_from is 'How far back the entry asks for history; empty means everything OKX has.';
comment on column bi.data_coverage.first_candle is 'Open time of the oldest stored candle; empty when none is stored.';
comment on column bi.data_coverage.last_candle is 'Open time of the newest stored candle; empty when none is stored.';
comment on column bi.data_coverage.expected_count is 'Candles that should exist from the first to the last stored candle, inclusive.';
comment on column bi.data_coverage.present_count is 'Candles stored.';
comment on column bi.data_coverage.gap_count is 'Runs of missing candles between the first and the last stored candle.';
comment on column bi.data_coverage.minutes_since_newest is 'Minutes from the newest candle''s open time to the last refresh.';

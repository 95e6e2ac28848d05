-- sql/0140_bi_views.sql
-- Plain bi views over instruments, candles and the incrementally kept daily and coverage tables.
-- Depends on market.instruments, market.candles and market.bar_next (migrations/0003_market.sql),
-- market.bi_daily_candles, market.bi_series_days and market.bi_refreshes (migrations/0016); grants in sql/0190.

create or replace view bi.instruments as
select i.inst_id                   as instrument,
       i.inst_type                 as instrument_type,
       i.base_ccy                  as base_currency,
       i.quote_ccy                 as quote_currency,
       i.settle_ccy                as settle_currency,
       i.ct_val                    as contract_value,
       i.ct_val_ccy                as contract_value_currency,
       i.tick_sz                   as tick_size,
       i.lot_sz                    as lot_size,
       i.min_sz                    as min_order_size,
       i.state                     as state,
       i.list_time                 as listed_at,
       i.exp_time                  as expires_at,
       i.delisted_at               as delisted_at,
       i.delisted_at is null       as is_listed
  from market.instruments as i;
comment on view bi.instruments is
$$OKX instruments known to Candlestack, listed or delisted.

One row per instrument id. Delisted instruments stay (is_listed false) so their history keeps a name.$$;
comment on column bi.instruments.instrument is 'OKX instrument id, e.g. BTC-USDT or BTC-USDT-SWAP.';
comment on column bi.instruments.instrument_type is 'SPOT, MARGIN, SWAP (perpetual), FUTURES or OPTION.';
comment on column bi.instruments.base_currency is 'The coin traded (spot), e.g. BTC.';
comment on column bi.instruments.quote_currency is 'The currency prices are quoted in (spot), e.g. USDT.';
comment on column bi.instruments.settle_currency is 'The currency derivatives settle in.';
comment on column bi.instruments.contract_value is 'Size of one derivatives contract, in contract_value_currency.';
comment on column bi.instruments.contract_value_currency is 'The currency contract_value is counted in.';
comment on column bi.instruments.tick_size is 'Smallest price step.';
comment on column bi.instruments.lot_size is 'Smallest order size step.';
comment on column bi.instruments.min_order_size is 'Smallest order size.';
comment on column bi.instruments.state is 'OKX trading state: live, suspend, preopen or test.';
comment on column bi.instruments.listed_at is 'When OKX listed the instrument.';
comment on column bi.instruments.expires_at is 'When a future or option expires; empty otherwise.';
comment on column bi.instruments.delisted_at is 'When the instrument disappeared from OKX; empty while listed.';
comment on column bi.instruments.is_listed is 'True while OKX still lists the instrument.';

create or replace function market.candle_close_time(bar text, ts timestamptz)
returns timestamptz
language sql
immutable
parallel safe
security definer
set search_path = ''
as $$
  select market.bar_next(bar, ts)
$$;
comment on function market.candle_close_time(text, timestamptz) is
$$market.bar_next for views that roles without USAGE on schema market read (bi.candles).

Inlining market.bar_next parses its body as the reader, who (candlestack_bi) may not look into
schema market; this SECURITY DEFINER wrapper is never inlined and runs as the owner. Pure arithmetic.$$;

create or replace view bi.candles as
select c.inst_id                        as instrument,
       c.bar                            as bar,
       c.ts                             as open_time,
       market.candle_close_time(c.bar, c.ts) as close_time,
       c.open                           as open,
       c.high                           as high,
       c.low                            as low,
       c.close                          as close,
       c.volume                         as volume,
       c.volume_ccy                     as volume_ccy,
       c.volume_quote                   as volume_quote,
       c.confirmed                      as is_closed
  from market.candles as c;
comment on view bi.candles is
$$Every stored candle (OHLCV), as OKX served it.

Filter on instrument, bar and open_time: the table is indexed and partitioned by month on them.$$;
comment on column bi.candles.instrument is 'OKX instrument id, e.g. BTC-USDT.';
comment on column bi.candles.bar is 'Candle size, an OKX bar name: 1m, 1H, 1D (Hong Kong day), 1Dutc (UTC day)...';
comment on column bi.candles.open_time is 'When the candle opens.';
comment on column bi.candles.close_time is 'When the candle closes (the next candle''s open time, exclusive).';
comment on column bi.candles.open is 'First traded price.';
comment on column bi.candles.high is 'Highest traded price.';
comment on column bi.candles.low is 'Lowest traded price.';
comment on column bi.candles.close is 'Last traded price.';
comment on column bi.candles.volume is 'Volume in base currency (spot) or contracts (derivatives).';
comment on column bi.candles.volume_ccy is 'Volume in quote currency (spot) or base currency (derivatives).';
comment on column bi.candles.volume_quote is 'Volume in quote currency.';
comment on column bi.candles.is_closed is 'False while the candle is still forming.';

create or replace view bi.daily_candles as
select d.instrument, d.bar, d.day, d.day_start, d.open, d.high, d.low, d.close,
       d.volume, d.volume_ccy, d.volume_quote, d.minute_count, d.complete
  from market.bi_daily_candles as d;
comment on view bi.daily_candles is
$$Daily candles built from stored 1-minute candles, in both OKX day conventions.

bar 1D: days of Hong Kong time (UTC+8), opening at 16:00 UTC, as OKX's 1D; bar 1Dutc: UTC days.
Same arithmetic as market.resample (first open, max high, min low, last close, summed volumes).
As fresh as the last refresh (market.refresh_views), which recomputes only the days that changed.$$;
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

create or replace view bi.data_coverage as
select w.inst_id                                                     as instrument,
       w.bar                                                         as bar,
       w.enabled                                                     as enabled,
       w.history_from                                                as history_from,
       s.first_candle                                                as first_candle,
       s.last_candle                                                 as last_candle,
       coalesce(market.bar_count(w.bar, s.first_candle, market.candle_close_time(w.bar, s.last_candle)), 0) as expected_count,
       coalesce(s.present_count, 0)::bigint                          as present_count,
       coalesce(s.gap_count, 0)::bigint                              as gap_count,
       round(extract(epoch from (r.refreshed_at - s.last_candle)) / 60, 1) as minutes_since_newest
  from market.watchlist as w
  left join lateral (
    -- the series' days: holes inside each day, plus one hole wherever a day does not go on from
    -- the previous stored day's last candle
    select pg_catalog.min(d.first_ts) as first_candle, pg_catalog.max(d.last_ts) as last_candle,
           pg_catalog.sum(d.present_count) as present_count,
           pg_catalog.sum(d.inner_gap_count)
             + pg_catalog.count(*) filter (where d.prev_last_ts is not null
                                             and market.candle_close_time(w.bar, d.prev_last_ts) <> d.first_ts) as gap_count
      from (select sd.first_ts, sd.last_ts, sd.present_count, sd.inner_gap_count,
                   pg_catalog.lag(sd.last_ts) over (order by sd.day) as prev_last_ts
              from market.bi_series_days as sd
             where sd.inst_id = w.inst_id and sd.bar = w.bar) as d
  ) as s on true
  left join market.bi_refreshes as r on r.name = 'candles';
comment on view bi.data_coverage is
$$How complete the stored candles are, per watchlist entry.

Counts between the first and the last stored candle: expected_count bars should exist there,
present_count do, in gap_count holes. minutes_since_newest says how current the data was at the
last refresh. market.gaps(instrument, bar, from, to) lists the holes themselves. The counts are
as of the last refresh (market.refresh_views, which recomputes only the days that changed); the
entry's enabled and history_from are live.$$;
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

-- sql/0140_bi_views.sql
-- Plain bi views over instruments and candles, with friendly column names.
-- Depends on market.instruments, market.candles and market.bar_next (migrations/0003_market.sql); grants in sql/0190.

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

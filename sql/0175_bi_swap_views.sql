-- sql/0175_bi_swap_views.sql
-- bi.funding_rates (per interval and annualised) and bi.basis_daily (last vs mark vs index per UTC day).
-- Depends on market.funding_rates (migrations/0021), market.mark_index_candles (0033), market.candles (0003),
-- market.candle_close_time (sql/0140); grants in sql/0179.

create or replace view bi.funding_rates as
select f.inst_id                                            as instrument,
       f.funding_time                                       as funding_time,
       f.rate                                               as rate,
       f.rate * 100                                         as rate_pct,
       f.realized_rate                                      as realized_rate,
       f.method                                             as method,
       f.interval_hours                                     as interval_hours,
       f.rate * (8760 / f.interval_hours)                   as annualized_rate,
       f.rate * (876000 / f.interval_hours)                 as annualized_pct,
       f.funding_time <= pg_catalog.now()                   as is_settled
  from (select r.inst_id, r.funding_time, r.rate, r.realized_rate, r.method,
               -- the time since the previous settlement; the first row takes the time to the next one
               nullif(pg_catalog.round(pg_catalog.date_part('epoch',
                        coalesce(r.funding_time - pg_catalog.lag(r.funding_time) over w,
                                 pg_catalog.lead(r.funding_time) over w - r.funding_time))::numeric / 3600, 4), 0) as interval_hours
          from market.funding_rates as r
        window w as (partition by r.inst_id order by r.funding_time)) as f;
comment on view bi.funding_rates is
$$Funding rates of perpetual swaps, one row per instrument and settlement, per interval and annualised.

A long position pays rate x its notional at funding_time when rate is positive (a short receives
it), and the reverse when negative. Intervals are read from the data (the time since the
previous settlement), never assumed: 8 h for most swaps, 4 h or shorter for some. The row of
the current period (is_settled false) is OKX's forecast and is overwritten once settled.$$;
comment on column bi.funding_rates.instrument is 'The perpetual swap, e.g. BTC-USDT-SWAP.';
comment on column bi.funding_rates.funding_time is 'When the funding is settled.';
comment on column bi.funding_rates.rate is 'Funding rate of the interval ending at funding_time, as a fraction (0.0001 is 0.01 percent).';
comment on column bi.funding_rates.rate_pct is 'The rate in percent of the notional.';
comment on column bi.funding_rates.realized_rate is 'The rate actually charged at settlement; empty before it.';
comment on column bi.funding_rates.method is 'How OKX set the rate: current_period or next_period.';
comment on column bi.funding_rates.interval_hours is 'Hours since the previous settlement (for the first row: until the next one); empty when unknown (a single row).';
comment on column bi.funding_rates.annualized_rate is 'rate x (8760 / interval_hours): the rate over a 365-day year, not compounded.';
comment on column bi.funding_rates.annualized_pct is 'annualized_rate in percent.';
comment on column bi.funding_rates.is_settled is 'True once funding_time has passed; false for the current period''s forecast.';

create or replace view bi.basis_daily as
select distinct on (m.inst_id, m.bar, pg_catalog.timezone('UTC', m.ts)::date)
       m.inst_id                                                     as instrument,
       pg_catalog.concat(pg_catalog.split_part(m.inst_id, '-', 1), '-', pg_catalog.split_part(m.inst_id, '-', 2)) as index_instrument,
       m.bar                                                         as bar,
       pg_catalog.timezone('UTC', m.ts)::date                        as day,
       market.candle_close_time(m.bar, m.ts)                         as at_time,
       c.close                                                       as last_price,
       m.close                                                       as mark_price,
       i.close                                                       as index_price,
       pg_catalog.round((c.close / m.close - 1) * 10000, 4)          as last_vs_mark_bps,
       pg_catalog.round((m.close / i.close - 1) * 10000, 4)          as mark_vs_index_bps,
       pg_catalog.round((c.close / i.close - 1) * 10000, 4)          as last_vs_index_bps
  from market.mark_index_candles as m
  join market.candles as c
    on c.inst_id = m.inst_id and c.bar = m.bar and c.ts = m.ts
  join market.mark_index_candles as i
    on i.price_type = 'index' and i.bar = m.bar and i.ts = m.ts
   and i.inst_id = pg_catalog.concat(pg_catalog.split_part(m.inst_id, '-', 1), '-', pg_catalog.split_part(m.inst_id, '-', 2))
 where m.price_type = 'mark'
 order by m.inst_id, m.bar, pg_catalog.timezone('UTC', m.ts)::date, m.ts desc;
comment on view bi.basis_daily is
$$Last (trade) price vs mark price vs index price of a swap, one row per instrument, bar and UTC day.

Taken at the day's last candle for which all three are stored at that bar (trade candles in
market.candles, mark and index candles in market.mark_index_candles); the index is the swap's
underlying (BTC-USDT for BTC-USDT-SWAP). Differences are in basis points (1 bp is 0.01 percent).
Filter on instrument and bar: the view reads the candles of the matching series.$$;
comment on column bi.basis_daily.instrument is 'The swap, e.g. BTC-USDT-SWAP.';
comment on column bi.basis_daily.index_instrument is 'Its index, e.g. BTC-USDT.';
comment on column bi.basis_daily.bar is 'The candle size compared, e.g. 1H.';
comment on column bi.basis_daily.day is 'The UTC calendar day.';
comment on column bi.basis_daily.at_time is 'Close time of the candle compared (the day''s last with all three prices).';
comment on column bi.basis_daily.last_price is 'Close of the swap''s trade candle.';
comment on column bi.basis_daily.mark_price is 'Close of its mark-price candle.';
comment on column bi.basis_daily.index_price is 'Close of its index candle.';
comment on column bi.basis_daily.last_vs_mark_bps is '(last / mark - 1) x 10000.';
comment on column bi.basis_daily.mark_vs_index_bps is '(mark / index - 1) x 10000: the premium funding follows.';
comment on column bi.basis_daily.last_vs_index_bps is '(last / index - 1) x 10000: the basis of the swap.';

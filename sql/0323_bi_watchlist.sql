-- sql/0323_bi_watchlist.sql
-- bi.watchlist: every watchlist entry, enabled or not, with why it is disabled and whether its instrument is listed.
-- Depends on market.watchlist (migrations/0003, columns of 0016) and market.instruments; grants in sql/0390.

create or replace view bi.watchlist as
select w.inst_id                                     as instrument,
       w.bar                                         as bar,
       w.enabled                                     as is_enabled,
       w.history_from                                as history_from,
       w.added_at                                    as added_at,
       w.disabled_at                                 as disabled_at,
       w.disabled_reason                             as disabled_reason,
       i.delisted_at                                 as delisted_at,
       case when i.inst_id is null then 'unknown'
            when i.delisted_at is null then 'listed'
            else 'delisted' end                      as instrument_status
  from market.watchlist as w
  left join market.instruments as i on i.inst_id operator(pg_catalog.=) w.inst_id;
comment on view bi.watchlist is
$$What Candlestack keeps: one row per watchlist entry (instrument and bar), enabled or disabled.

A disabled entry says why (disabled_reason). Entries of instruments that OKX delisted are disabled
by the sync_instruments job and are never enabled again by themselves: one whose
instrument_status is 'listed' again waits for an operator.$$;
comment on column bi.watchlist.instrument is 'OKX instrument id, e.g. BTC-USDT.';
comment on column bi.watchlist.bar is 'Candle size kept, e.g. 1m or 1H.';
comment on column bi.watchlist.is_enabled is 'True while Candlestack ingests the entry.';
comment on column bi.watchlist.history_from is 'Candles are kept from this time on; empty means as far back as OKX has.';
comment on column bi.watchlist.added_at is 'When the entry was added.';
comment on column bi.watchlist.disabled_at is 'When the entry was disabled; empty while enabled.';
comment on column bi.watchlist.disabled_reason is 'Why the entry is disabled (an operator, or the instrument''s delisting); empty while enabled.';
comment on column bi.watchlist.delisted_at is 'When the instrument disappeared from OKX; empty while listed.';
comment on column bi.watchlist.instrument_status is 'listed, delisted, or unknown (not synced from OKX yet).';

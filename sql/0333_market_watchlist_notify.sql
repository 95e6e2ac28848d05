-- sql/0333_market_watchlist_notify.sql
-- NOTIFY market_watchlist once per statement that changes market.watchlist: stream processes
-- LISTEN and re-take their leases at once instead of at their next renewal.
-- Depends on market.watchlist (migrations/0003).

create or replace function market.watchlist_after_change()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
begin
  perform pg_catalog.pg_notify('market_watchlist', pg_catalog.lower(tg_op));
  return null;
end;
$$;
comment on function market.watchlist_after_change() is
$$Trigger: NOTIFY market_watchlist (payload insert, update or delete) once per statement.
A hint for `candlestack stream` (which also renews its leases every few seconds).$$;

create or replace trigger watchlist_notify_stream
  after insert or update or delete on market.watchlist
  for each statement execute function market.watchlist_after_change();
comment on trigger watchlist_notify_stream on market.watchlist is
'Wakes stream processes (LISTEN market_watchlist) when the watchlist changes; see market.watchlist_after_change.';

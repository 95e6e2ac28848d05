-- migrations/0014_watchlist_disabled_reason.sql
-- Why a watchlist entry is disabled: market.watchlist.disabled_reason and disabled_at, written by
-- the trigger of sql/0322 (an operator's disable) and by market.disable_delisted_watchlist (a delisting).
-- Depends on 0003_market.sql (market.watchlist).
-- squawk: two nullable columns without a default (a catalog-only change) and a CHECK on a table of
-- one row per watchlist entry (a few thousand at most): the ACCESS EXCLUSIVE lock lasts milliseconds,
-- and lock_timeout makes a migration behind a long reader fail cleanly instead of queueing others.
-- NOT VALID would not help: the migrator runs the file in one transaction, holding the lock anyway.
set local search_path = pg_catalog, pg_temp;
set local lock_timeout = '10s';
set local statement_timeout = '10min';

alter table market.watchlist add column disabled_reason text, add column disabled_at timestamptz;

-- validated at once on a small table (see the header)
-- squawk-ignore constraint-missing-not-valid
alter table market.watchlist add constraint watchlist_enabled_has_no_disabled_reason check (not (enabled and disabled_reason is not null));

comment on column market.watchlist.disabled_reason is
$$Why the entry is disabled, for people: NULL while enabled.

"disabled by <role>" when someone disabled it, or the delisting that market.upsert_instruments
found ("BTC-XYZ was delisted: ..."). Cleared when the entry is enabled again.$$;
comment on column market.watchlist.disabled_at is 'When the entry was last disabled; NULL while enabled.';

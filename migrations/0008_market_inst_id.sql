-- migrations/0008_market_inst_id.sql
-- One instrument-id rule: market.is_inst_id, the domain market.inst_id over it, and the four CHECKs
-- of 0003 and 0006 rewritten to call it (they each spelled the regular expression out). The copies
-- allowed 2 to 4 parts, which refused every OKX option (BTC-USD-240628-60000-C has 5); the one rule
-- allows 2 to 5.
-- Depends on 0003_market.sql (market.instruments, tickers, watchlist) and 0006_ingest.sql
-- (market.candle_history_starts). Validators in sql/ (queue.payload_inst_id, market.watchlist_validate,
-- market.upsert_instruments, market.inst_type_of) call the function too.
-- squawk: each table's CHECK is dropped and re-added with the same name and meaning in one ALTER
-- TABLE. The four tables are small (one row per instrument, ticker, watchlist entry or series: a
-- few thousand at most), so the ACCESS EXCLUSIVE lock is held for milliseconds, and lock_timeout
-- makes a migration behind a long reader fail cleanly instead of queueing every other session.
-- NOT VALID would not help: the migrator runs the file in one transaction, so the lock is held to
-- the end of the file anyway.
set local search_path = pg_catalog, pg_temp;
set local lock_timeout = '10s';
set local statement_timeout = '10min';

create function market.is_inst_id(inst_id text)
returns boolean
language sql
immutable
strict
parallel safe
set search_path = ''
as $$
  select inst_id operator(pg_catalog.~) '^[A-Z0-9]+(-[A-Z0-9]+){1,4}$'
$$;
comment on function market.is_inst_id(text) is
$$True when the text has the shape of an OKX instId: 2 to 5 parts of upper-case ASCII letters and
digits joined by "-" (BTC-USDT, BTC-USDT-SWAP, BTC-USD-240628, BTC-USD-240628-60000-C); NULL for NULL.

The one home of the rule. Tables check it (directly, or through the domain market.inst_id), and
every validator that names an instrument calls it. Swift's copy, OKX.InstrumentID.isWellFormed
(for CLI flags that reach OKX before any database), is compared with it by Tests/RuleDriftTests.$$;

-- a new domain that no column uses yet: its CHECK can be changed later only by a new migration,
-- which is how every rule here changes anyway
-- squawk-ignore ban-create-domain-with-constraint
create domain market.inst_id as text constraint inst_id_is_well_formed check (market.is_inst_id(value));
comment on domain market.inst_id is
$$An OKX instId such as BTC-USDT or BTC-USDT-SWAP: text that market.is_inst_id accepts.

For new columns and function parameters; the tables of 0003 and 0006 keep text columns (views
depend on them) with a CHECK that calls market.is_inst_id.$$;

-- the guarantee is dropped and given back in the same statement (see the header)
-- squawk-ignore ban-drop-constraint, constraint-missing-not-valid
alter table market.instruments drop constraint instrument_inst_id_is_well_formed, add constraint instrument_inst_id_is_well_formed check (market.is_inst_id(inst_id));

-- the guarantee is dropped and given back in the same statement (see the header)
-- squawk-ignore ban-drop-constraint, constraint-missing-not-valid
alter table market.tickers drop constraint ticker_inst_id_is_well_formed, add constraint ticker_inst_id_is_well_formed check (market.is_inst_id(inst_id));

-- the guarantee is dropped and given back in the same statement (see the header)
-- squawk-ignore ban-drop-constraint, constraint-missing-not-valid
alter table market.watchlist drop constraint watchlist_inst_id_is_well_formed, add constraint watchlist_inst_id_is_well_formed check (market.is_inst_id(inst_id));

-- the guarantee is dropped and given back in the same statement (see the header)
-- squawk-ignore ban-drop-constraint, constraint-missing-not-valid
alter table market.candle_history_starts drop constraint candle_history_start_inst_id_is_well_formed, add constraint candle_history_start_inst_id_is_well_formed check (market.is_inst_id(inst_id));

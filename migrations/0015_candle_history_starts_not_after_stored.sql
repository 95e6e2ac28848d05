-- migrations/0015_candle_history_starts_not_after_stored.sql
-- Forget recorded starts of OKX's history that a stored candle disproves (a start later than the
-- series' oldest stored candle), left by backfills that took one empty answer for the end of
-- history. sql/0306's trigger refuses such rows from now on; the next backfill finds the start again.
-- Depends on 0006_ingest.sql (market.candle_history_starts) and 0003_market.sql (market.candles).
-- squawk: market.candle_history_starts holds one row per series (a few thousand at most) and
-- only backfills write it; the lock is held for milliseconds.
set local search_path = pg_catalog, pg_temp;
set local lock_timeout = '10s';
set local statement_timeout = '10min';

delete from market.candle_history_starts as s
 where exists (select from market.candles as c
                where c.inst_id operator(pg_catalog.=) s.inst_id
                  and c.bar operator(pg_catalog.=) s.bar
                  and c.ts operator(pg_catalog.<) s.first_ts);

-- migrations/0014_bi_incremental_candle_views.sql
-- bi.daily_candles and bi.data_coverage become plain views over tables that market.refresh_views
-- keeps up to date incrementally from a log of changed (series, UTC day) written by a trigger on
-- market.candles (sql/0165); they were materialized views re-aggregating every stored candle.
-- Depends on 0003_market.sql and 0004_bi.sql. The views, trigger and refresh live in sql/0140, 0165, 0150.
-- squawk: the two materialized views are dropped (ACCESS EXCLUSIVE on them only; BI readers of
-- them wait at most lock_timeout, then the migration fails cleanly); the tables are new; the
-- log is seeded with every stored (series, day) by one read of market.candles (ACCESS SHARE,
-- which blocks no writer), so the first refresh after this migration rebuilds everything once.
set local search_path = pg_catalog, pg_temp;
set local lock_timeout = '10s';
set local statement_timeout = '60min';

-- the views come back under the same names, columns and grants (sql/0140, sql/0190), as plain views
-- squawk-ignore ban-drop-view
drop materialized view bi.daily_candles;
-- squawk-ignore ban-drop-view
drop materialized view bi.data_coverage;

create table market.candle_changes (
  id        bigint      generated always as identity primary key,
  inst_id   text        not null,
  bar       text        not null,
  day       date        not null,
  logged_at timestamptz not null default now()
);
comment on table market.candle_changes is
$$Which (series, UTC day) had candles inserted, updated or deleted since the last refresh of the bi views.

Written by the statement triggers on market.candles (market.log_candle_changes), in the writing
transaction, so a row is visible exactly when its candles are; consumed (deleted) by
market.refresh_candle_views, which recomputes only those days. Append-only with no unique key:
writers never wait for each other or for a refresh; repeats are merged when consumed.$$;
comment on column market.candle_changes.day is 'The UTC date of the changed candles'' open time.';

create table market.bi_daily_candles (
  instrument   text        not null,
  bar          text        not null,
  day          date        not null,
  day_start    timestamptz not null,
  open         numeric     not null,
  high         numeric     not null,
  low          numeric     not null,
  close        numeric     not null,
  volume       numeric     not null,
  volume_ccy   numeric,
  volume_quote numeric,
  minute_count bigint      not null,
  complete     boolean     not null,
  primary key (instrument, bar, day_start)
);
comment on table market.bi_daily_candles is
$$The rows of bi.daily_candles: one day of 1m candles of one instrument, per day convention (1D, 1Dutc).

Kept by market.refresh_candle_views, which recomputes only the days market.candle_changes names.
Read it through bi.daily_candles (its columns are documented there).$$;

create table market.bi_series_days (
  inst_id         text        not null,
  bar             text        not null,
  day             date        not null,
  first_ts        timestamptz not null,
  last_ts         timestamptz not null,
  present_count   bigint      not null,
  inner_gap_count bigint      not null,
  primary key (inst_id, bar, day)
);
comment on table market.bi_series_days is
$$Coverage of one series (inst_id, bar) on one UTC day: the pieces bi.data_coverage adds up.

first_ts and last_ts are the day's oldest and newest stored candle, present_count how many there
are, inner_gap_count the holes between two stored candles of the same day. bi.data_coverage adds
the holes between consecutive days. Kept by market.refresh_candle_views from market.candle_changes.$$;
comment on column market.bi_series_days.day is 'UTC date of the candles'' open time.';
comment on column market.bi_series_days.inner_gap_count is 'Runs of missing bars between two stored candles of this day.';

create table market.bi_refreshes (
  name         text        primary key,
  refreshed_at timestamptz not null
);
comment on table market.bi_refreshes is
$$When each incrementally kept bi table was last brought up to date ('candles': bi.daily_candles, bi.data_coverage).

bi.data_coverage reads refreshed_at for minutes_since_newest (minutes to the last refresh).$$;

-- The statement triggers that write the log (one per event: a trigger with transition tables
-- takes one event). Made here, once: CREATE TRIGGER takes SHARE ROW EXCLUSIVE on market.candles
-- (and DROP TRIGGER ACCESS EXCLUSIVE), which a repeatable file would take on every change. The
-- function is a stub that sql/0165_market_candle_changes.sql replaces with the real body.
create function market.log_candle_changes()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  return null;
end;
$$;
create trigger candles_log_inserts
  after insert on market.candles
  referencing new table as new_rows
  for each statement execute function market.log_candle_changes();
create trigger candles_log_updates
  after update on market.candles
  referencing old table as old_rows new table as new_rows
  for each statement execute function market.log_candle_changes();
create trigger candles_log_deletes
  after delete on market.candles
  referencing old table as old_rows
  for each statement execute function market.log_candle_changes();

-- Everything stored so far counts as changed: the first refresh builds the tables from scratch.
insert into market.candle_changes (inst_id, bar, day)
select c.inst_id, c.bar, (c.ts at time zone 'UTC')::date
  from market.candles as c
 group by 1, 2, 3;

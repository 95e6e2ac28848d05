-- sql/0165_market_candle_changes.sql
-- The log of changed (series, UTC day) behind the incremental bi views: statement triggers on market.candles.
-- Depends on market.candles (migrations/0003_market.sql), market.candle_changes and the triggers (migrations/0016).

create or replace function market.log_candle_changes()
returns trigger
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  -- one row per (series, UTC day) the statement touched; nothing for a statement that touched no row
  if tg_op = 'INSERT' then
    insert into market.candle_changes (inst_id, bar, day)
    select n.inst_id, n.bar, (pg_catalog.timezone('UTC', n.ts))::date
      from new_rows as n
     group by 1, 2, 3;
  elsif tg_op = 'UPDATE' then
    insert into market.candle_changes (inst_id, bar, day)
    select r.inst_id, r.bar, (pg_catalog.timezone('UTC', r.ts))::date
      from (select n.inst_id, n.bar, n.ts from new_rows as n
            union all
            select o.inst_id, o.bar, o.ts from old_rows as o) as r
     group by 1, 2, 3;
  else
    insert into market.candle_changes (inst_id, bar, day)
    select o.inst_id, o.bar, (pg_catalog.timezone('UTC', o.ts))::date
      from old_rows as o
     group by 1, 2, 3;
  end if;
  return null;
end;
$$;
comment on function market.log_candle_changes() is
$$Statement trigger of market.candles: log the (series, UTC day) of every inserted, updated or deleted candle.

Writes market.candle_changes in the writing transaction (so a change and its log row become
visible together), one row per series and day a statement touched, read from the statement's
transition tables; market.refresh_candle_views recomputes just those days. Covers every writer:
market.upsert_candles (its INSERT and ON CONFLICT DO UPDATE), hand-written SQL, deletes.
SECURITY DEFINER: writers need no privilege on the log.$$;

-- The three statement triggers calling it are made once, in migrations/0016 (DROP TRIGGER takes
-- ACCESS EXCLUSIVE on market.candles; re-creating them with this file would queue behind readers).

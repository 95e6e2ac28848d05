-- sql/0320_market_watchlist_jobs.sql
-- Watchlist automation: adding or enabling an entry queues its backfill and keeps it fresh with schedules.
-- Depends on market.watchlist (migrations/0003), queue.enqueue and queue.schedules (0005, sql/0210), kinds of sql/031N.

create or replace function market.inst_type_of(inst_id text)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when not market.is_inst_id(inst_id) then null
    when inst_id ~ '-SWAP$' then 'SWAP'
    when inst_id ~ '^[A-Z0-9]+-[A-Z0-9]+-[0-9]{6}-[0-9]+-[CP]$' then 'OPTION'
    when inst_id ~ '^[A-Z0-9]+-[A-Z0-9]+-[0-9]{6}$' then 'FUTURES'
    else 'SPOT'
  end
$$;
comment on function market.inst_type_of(text) is
$$OKX's instType guessed from the shape of an instId.

BTC-USDT-SWAP: SWAP; BTC-USD-240628: FUTURES; BTC-USD-240628-60000-C: OPTION; any other
instId SPOT; NULL for NULL and for text that is not an instId (market.is_inst_id).
Used to pick the sync_instruments and sync_tickers schedules a watchlist entry needs.$$;

create or replace function market.inst_family_of(inst_id text)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when market.inst_type_of(inst_id) in ('SWAP', 'FUTURES', 'OPTION')
      then pg_catalog.split_part(inst_id, '-', 1) operator(pg_catalog.||) '-' operator(pg_catalog.||) pg_catalog.split_part(inst_id, '-', 2)
  end
$$;
comment on function market.inst_family_of(text) is
$$OKX's instFamily read from an instId: its first two parts for SWAP, FUTURES and OPTION.

BTC-USD-240628-60000-C: BTC-USD; BTC-USDT-SWAP: BTC-USDT; NULL for SPOT and for text that is not
an instId. Names the per-family sync_instruments schedule of an option entry.$$;

create or replace function market.watchlist_jobs()
returns trigger
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_type     text;
  v_family   text;
  v_backfill boolean := false;
begin
  if tg_op = 'DELETE' then
    delete from queue.schedules as s
     where s.name in ('ingest:' || old.inst_id || ':' || old.bar, 'repair_gaps:' || old.inst_id || ':' || old.bar);
    return old;
  end if;
  if tg_op = 'UPDATE' and (old.inst_id, old.bar) is distinct from (new.inst_id, new.bar) then
    delete from queue.schedules as s
     where s.name in ('ingest:' || old.inst_id || ':' || old.bar, 'repair_gaps:' || old.inst_id || ':' || old.bar);
  end if;

  if not new.enabled then
    update queue.schedules as s set enabled = false
     where s.name in ('ingest:' || new.inst_id || ':' || new.bar, 'repair_gaps:' || new.inst_id || ':' || new.bar);
    return new;
  end if;

  -- Inserted, enabled, moved or given an earlier history_from: backfill (never twice while live).
  if tg_op = 'INSERT' or not old.enabled
     or (old.inst_id, old.bar) is distinct from (new.inst_id, new.bar)
     or old.history_from is distinct from new.history_from then
    perform queue.enqueue('backfill',
              pg_catalog.jsonb_build_object(
                'inst_id', new.inst_id, 'bar', new.bar,
                'from', queue.json_utc(coalesce(new.history_from, '2017-01-01 00:00+00'::pg_catalog.timestamptz)),
                'to', queue.json_utc(pg_catalog.now())),
              unique_key => 'backfill:' || new.inst_id || ':' || new.bar);
    v_backfill := true;
  end if;

  insert into queue.schedules as s (name, kind, payload, every, enabled)
  values ('ingest:' || new.inst_id || ':' || new.bar, 'ingest',
          pg_catalog.jsonb_build_object('inst_id', new.inst_id, 'bar', new.bar),
          greatest(market.bar_interval(new.bar), interval '1 minute'), true)
  on conflict (name) do update set enabled = true, every = excluded.every, payload = excluded.payload;

  -- The daily sweep for holes of any other cause; its first run a day on (the backfill above covers now).
  insert into queue.schedules as s (name, kind, payload, every, next_run_at, enabled)
  values ('repair_gaps:' || new.inst_id || ':' || new.bar, 'repair_gaps',
          pg_catalog.jsonb_build_object('inst_id', new.inst_id, 'bar', new.bar),
          interval '1 day', pg_catalog.now() + interval '1 day', true)
  on conflict (name) do update
     set enabled = true, payload = excluded.payload,
         next_run_at = case when v_backfill then greatest(s.next_run_at, excluded.next_run_at) else s.next_run_at end;

  v_type := market.inst_type_of(new.inst_id);
  v_family := market.inst_family_of(new.inst_id);
  insert into queue.schedules (name, kind, payload, every)
  values ('sync_tickers:' || v_type, 'sync_tickers', pg_catalog.jsonb_build_object('inst_type', v_type), interval '1 minute'),
         ('refresh_views', 'refresh_views', '{}'::pg_catalog.jsonb, interval '5 minutes')
  on conflict (name) do nothing;
  -- OKX serves options per instFamily: one sync per family ('sync_instruments:OPTION:BTC-USD').
  if v_type = 'OPTION' then
    insert into queue.schedules (name, kind, payload, every)
    values ('sync_instruments:OPTION:' || v_family, 'sync_instruments',
            pg_catalog.jsonb_build_object('inst_type', v_type, 'inst_family', v_family), interval '1 hour')
    on conflict (name) do nothing;
  else
    insert into queue.schedules (name, kind, payload, every)
    values ('sync_instruments:' || v_type, 'sync_instruments', pg_catalog.jsonb_build_object('inst_type', v_type), interval '1 hour')
    on conflict (name) do nothing;
  end if;
  return new;
end;
$$;
comment on function market.watchlist_jobs() is
$$Keep the queue in step with the watchlist.

AFTER INSERT, UPDATE or DELETE on market.watchlist. An entry inserted or enabled (or whose
history_from changed) queues a backfill from history_from (2017-01-01 when NULL) to now with
unique_key 'backfill:<inst_id>:<bar>', so never twice while one is live. Every enabled entry has
a schedule 'ingest:<inst_id>:<bar>' every bar period (at least a minute) and a daily sweep
'repair_gaps:<inst_id>:<bar>' (first run a day after it is made) for holes of any cause; its
instrument type has 'sync_tickers:<type>' (every minute) and 'sync_instruments:<type>' (hourly;
for OPTION 'sync_instruments:OPTION:<family>' with inst_family, which OKX requires),
and there is one 'refresh_views' schedule (every 5 minutes). Disabling an entry disables its two
schedules, deleting it deletes them. SECURITY DEFINER: operators manage the watchlist without
rights on the queue tables.$$;

drop trigger if exists watchlist_jobs on market.watchlist;
create trigger watchlist_jobs
  after insert or update or delete on market.watchlist
  for each row execute function market.watchlist_jobs();

-- Entries made before the daily sweep existed get theirs (idempotent: re-running adds nothing).
insert into queue.schedules (name, kind, payload, every, next_run_at, enabled)
select pg_catalog.concat('repair_gaps:', w.inst_id, ':', w.bar), 'repair_gaps',
       pg_catalog.jsonb_build_object('inst_id', w.inst_id, 'bar', w.bar),
       interval '1 day', pg_catalog.now() operator(pg_catalog.+) interval '1 day', w.enabled
  from market.watchlist as w
on conflict (name) do nothing;

-- Options are synced per family: the single 'sync_instruments:OPTION' schedule of older releases has
-- a payload the validator now refuses; replace it by one schedule per watched family.
delete from queue.schedules as s where s.name operator(pg_catalog.=) 'sync_instruments:OPTION';
insert into queue.schedules (name, kind, payload, every)
select distinct pg_catalog.concat('sync_instruments:OPTION:', market.inst_family_of(w.inst_id)), 'sync_instruments',
       pg_catalog.jsonb_build_object('inst_type', 'OPTION', 'inst_family', market.inst_family_of(w.inst_id)),
       interval '1 hour'
  from market.watchlist as w
 where w.enabled and market.inst_type_of(w.inst_id) operator(pg_catalog.=) 'OPTION'
on conflict (name) do nothing;

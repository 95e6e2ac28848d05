-- sql/0345_market_watchlist_swap_jobs.sql
-- Watchlist automation for perpetual swaps: a SWAP entry also backfills and keeps fresh its funding
-- rates, its mark-price candles and its index's candles at the entry's bar.
-- Depends on market.watchlist (0003), queue.enqueue/queue.schedules (0005, sql/0210), kinds of sql/0340-0341,
-- market.inst_type_of/inst_family_of (sql/0320). A trigger of its own beside sql/0320's watchlist_jobs.

create or replace function market.watchlist_swap_schedule_names(inst_id text, bar text)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select array['ingest_mark_index:mark:' operator(pg_catalog.||) inst_id operator(pg_catalog.||) ':' operator(pg_catalog.||) bar,
               'ingest_mark_index:index:' operator(pg_catalog.||) market.inst_family_of(inst_id) operator(pg_catalog.||) ':' operator(pg_catalog.||) bar]
$$;
comment on function market.watchlist_swap_schedule_names(text, text) is
$$The per-bar schedules of a SWAP watchlist entry: its mark candles and its index's candles at that bar.

The funding schedule is per instrument ('ingest_funding:<inst_id>'), shared by the entries of
every bar of the swap.$$;

create or replace function market.watchlist_swap_jobs()
returns trigger
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_from  timestamptz;
  v_index text;
  v_live  boolean;
begin
  -- The entry that went away (deleted, moved or disabled): its per-bar schedules go or pause; the
  -- funding schedule pauses only when no other enabled entry of the swap remains.
  if tg_op in ('DELETE', 'UPDATE') and market.inst_type_of(old.inst_id) = 'SWAP'
     and (tg_op = 'DELETE' or (old.inst_id, old.bar) is distinct from (new.inst_id, new.bar) or not new.enabled) then
    if tg_op = 'DELETE' or (old.inst_id, old.bar) is distinct from (new.inst_id, new.bar) then
      delete from queue.schedules as s where s.name = any (market.watchlist_swap_schedule_names(old.inst_id, old.bar));
    else
      update queue.schedules as s set enabled = false
       where s.name = any (market.watchlist_swap_schedule_names(old.inst_id, old.bar));
    end if;
    select exists (select 1 from market.watchlist as w
                    where w.inst_id = old.inst_id and w.enabled and w.bar <> old.bar)
           or (tg_op = 'UPDATE' and new.enabled and new.inst_id = old.inst_id)
      into v_live;
    if not v_live then
      if tg_op = 'DELETE' and not exists (select 1 from market.watchlist as w where w.inst_id = old.inst_id) then
        delete from queue.schedules as s where s.name = 'ingest_funding:' || old.inst_id;
      else
        update queue.schedules as s set enabled = false where s.name = 'ingest_funding:' || old.inst_id;
      end if;
    end if;
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  if market.inst_type_of(new.inst_id) <> 'SWAP' or not new.enabled then
    return new;
  end if;

  v_index := market.inst_family_of(new.inst_id);
  v_from := coalesce(new.history_from, '2017-01-01 00:00+00'::pg_catalog.timestamptz);
  -- Inserted, enabled, moved or given another history_from: backfill (never twice while live).
  if tg_op = 'INSERT' or not old.enabled
     or (old.inst_id, old.bar) is distinct from (new.inst_id, new.bar)
     or old.history_from is distinct from new.history_from then
    perform queue.enqueue('backfill_funding',
              pg_catalog.jsonb_build_object('inst_id', new.inst_id, 'from', queue.json_utc(v_from),
                                            'to', queue.json_utc(pg_catalog.now())),
              unique_key => 'backfill_funding:' || new.inst_id);
    perform queue.enqueue('backfill_mark_index',
              pg_catalog.jsonb_build_object('price_type', 'mark', 'inst_id', new.inst_id, 'bar', new.bar,
                                            'from', queue.json_utc(v_from), 'to', queue.json_utc(pg_catalog.now())),
              unique_key => 'backfill_mark_index:mark:' || new.inst_id || ':' || new.bar);
    perform queue.enqueue('backfill_mark_index',
              pg_catalog.jsonb_build_object('price_type', 'index', 'inst_id', v_index, 'bar', new.bar,
                                            'from', queue.json_utc(v_from), 'to', queue.json_utc(pg_catalog.now())),
              unique_key => 'backfill_mark_index:index:' || v_index || ':' || new.bar);
  end if;

  insert into queue.schedules as s (name, kind, payload, every, enabled)
  values ('ingest_funding:' || new.inst_id, 'ingest_funding',
          pg_catalog.jsonb_build_object('inst_id', new.inst_id), interval '1 hour', true),
         ((market.watchlist_swap_schedule_names(new.inst_id, new.bar))[1], 'ingest_mark_index',
          pg_catalog.jsonb_build_object('price_type', 'mark', 'inst_id', new.inst_id, 'bar', new.bar),
          greatest(market.bar_interval(new.bar), interval '1 minute'), true),
         ((market.watchlist_swap_schedule_names(new.inst_id, new.bar))[2], 'ingest_mark_index',
          pg_catalog.jsonb_build_object('price_type', 'index', 'inst_id', v_index, 'bar', new.bar),
          greatest(market.bar_interval(new.bar), interval '1 minute'), true)
  on conflict (name) do update set enabled = true, every = excluded.every, payload = excluded.payload;
  return new;
end;
$$;
comment on function market.watchlist_swap_jobs() is
$$Keep the swap data of SWAP watchlist entries in step with the watchlist (beside market.watchlist_jobs).

AFTER INSERT, UPDATE or DELETE on market.watchlist; does nothing for other instrument types. An
entry inserted or enabled (or moved, or given another history_from) queues backfill_funding of the
swap (unique_key 'backfill_funding:<inst_id>') and backfill_mark_index of its mark candles and of
its index's candles (BTC-USDT for BTC-USDT-SWAP) at the entry's bar, all from history_from
(2017-01-01 when NULL: funding then goes as far back as OKX serves it) to now. Every enabled entry
has the schedules 'ingest_funding:<inst_id>' (hourly), 'ingest_mark_index:mark:<inst_id>:<bar>'
and 'ingest_mark_index:index:<index>:<bar>' (every bar period, at least a minute). Disabling an
entry pauses its per-bar schedules, deleting it deletes them; the funding schedule pauses (or, when
no entry of the swap is left, goes) once no enabled entry of the swap remains.
SECURITY DEFINER: operators manage the watchlist without rights on the queue tables.$$;

drop trigger if exists watchlist_swap_jobs on market.watchlist;
create trigger watchlist_swap_jobs
  after insert or update or delete on market.watchlist
  for each row execute function market.watchlist_swap_jobs();

create or replace function market.watchlist_swap_catch_up()
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_entry record;
  v_count integer := 0;
begin
  for v_entry in
    select w.inst_id, w.bar, w.history_from
      from market.watchlist as w
     where w.enabled and market.inst_type_of(w.inst_id) = 'SWAP'
       and (not exists (select 1 from queue.schedules as s where s.name = 'ingest_funding:' || w.inst_id)
            or not exists (select 1 from queue.schedules as s
                            where s.name = (market.watchlist_swap_schedule_names(w.inst_id, w.bar))[1]))
     order by w.inst_id, w.bar
  loop
    -- the trigger's INSERT path for this entry: its backfills (unique keys: never twice while
    -- live) and schedules; the entry itself is not touched
    perform queue.enqueue('backfill_funding',
              pg_catalog.jsonb_build_object('inst_id', v_entry.inst_id,
                'from', queue.json_utc(coalesce(v_entry.history_from, '2017-01-01 00:00+00'::pg_catalog.timestamptz)),
                'to', queue.json_utc(pg_catalog.now())),
              unique_key => 'backfill_funding:' || v_entry.inst_id);
    perform queue.enqueue('backfill_mark_index',
              pg_catalog.jsonb_build_object('price_type', p.t, 'inst_id', p.id, 'bar', v_entry.bar,
                'from', queue.json_utc(coalesce(v_entry.history_from, '2017-01-01 00:00+00'::pg_catalog.timestamptz)),
                'to', queue.json_utc(pg_catalog.now())),
              unique_key => 'backfill_mark_index:' || p.t || ':' || p.id || ':' || v_entry.bar)
      from (values ('mark', v_entry.inst_id), ('index', market.inst_family_of(v_entry.inst_id))) as p(t, id);
    insert into queue.schedules (name, kind, payload, every)
    values ('ingest_funding:' || v_entry.inst_id, 'ingest_funding',
            pg_catalog.jsonb_build_object('inst_id', v_entry.inst_id), interval '1 hour'),
           ((market.watchlist_swap_schedule_names(v_entry.inst_id, v_entry.bar))[1], 'ingest_mark_index',
            pg_catalog.jsonb_build_object('price_type', 'mark', 'inst_id', v_entry.inst_id, 'bar', v_entry.bar),
            greatest(market.bar_interval(v_entry.bar), interval '1 minute')),
           ((market.watchlist_swap_schedule_names(v_entry.inst_id, v_entry.bar))[2], 'ingest_mark_index',
            pg_catalog.jsonb_build_object('price_type', 'index', 'inst_id', market.inst_family_of(v_entry.inst_id), 'bar', v_entry.bar),
            greatest(market.bar_interval(v_entry.bar), interval '1 minute'))
    on conflict (name) do nothing;
    v_count := v_count + 1;
  end loop;
  return v_count;
end;
$$;
comment on function market.watchlist_swap_catch_up() is
$$Give the enabled SWAP entries made before this automation existed their swap backfills and schedules; returns how many entries it served.

Entries that already have their schedules are left alone, so re-running it (this file runs again
whenever it changes) queues nothing new. Backfills use the unique keys of market.watchlist_swap_jobs.$$;

-- SWAP entries made before this file existed get their funding and mark data too.
select market.watchlist_swap_catch_up();

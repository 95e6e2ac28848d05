-- sql/0322_market_watchlist_disabled.sql
-- Why a watchlist entry is disabled: the trigger that keeps disabled_reason/disabled_at, and
-- market.disable_delisted_watchlist, which market.upsert_instruments (sql/0110) calls.
-- Depends on market.watchlist and its columns of migrations/0014, market.instruments (0003).

create or replace function market.watchlist_disabled_reason()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
begin
  if new.enabled then
    new.disabled_reason := null;
    new.disabled_at := null;
  elsif tg_op = 'INSERT' or old.enabled then
    new.disabled_reason := coalesce(new.disabled_reason, 'disabled by ' || session_user);
    new.disabled_at := coalesce(new.disabled_at, pg_catalog.now());
  end if;
  return new;
end;
$$;
comment on function market.watchlist_disabled_reason() is
$$Keep market.watchlist.disabled_reason and disabled_at in step with enabled.

BEFORE INSERT OR UPDATE trigger. Enabling an entry clears both; disabling one without a reason
records "disabled by <login>" and the time. A reason given in the same statement is kept.$$;

drop trigger if exists watchlist_disabled_reason on market.watchlist;
create trigger watchlist_disabled_reason
  before insert or update on market.watchlist
  for each row execute function market.watchlist_disabled_reason();

create or replace function market.disable_delisted_watchlist(inst_type text)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_keys text[];
  v_job  bigint;
begin
  with d as (
    update market.watchlist as w
       set enabled = false,
           disabled_at = pg_catalog.now(),
           disabled_reason = pg_catalog.format(
             '%s was delisted: OKX''s %s instruments have not listed it since %s UTC. Once OKX lists it again, re-enable: update market.watchlist set enabled = true where inst_id = ''%s'' and bar = ''%s''',
             i.inst_id, i.inst_type, pg_catalog.to_char(pg_catalog.timezone('UTC', i.delisted_at), 'YYYY-MM-DD HH24:MI'),
             w.inst_id, w.bar)
      from market.instruments as i
     where i.inst_id = w.inst_id
       and i.inst_type = disable_delisted_watchlist.inst_type
       and i.delisted_at is not null
       and w.enabled
    returning w.inst_id, w.bar
  )
  select pg_catalog.array_agg(k.key) into v_keys
    from d cross join lateral (values ('schedule:ingest:' || d.inst_id || ':' || d.bar),
                                      ('schedule:repair_gaps:' || d.inst_id || ':' || d.bar),
                                      ('ingest_hole:' || d.inst_id || ':' || d.bar)) as k(key);
  if v_keys is null then
    return 0;
  end if;
  -- Their jobs still waiting would only fail: cancel them (a running one finishes or fails on its own).
  for v_job in select j.id from queue.jobs as j where j.unique_key = any (v_keys) and j.status = 'queued' loop
    perform queue.cancel(v_job);
  end loop;
  return pg_catalog.cardinality(v_keys) / 3;
end;
$$;
comment on function market.disable_delisted_watchlist(text) is
$$Disable the enabled watchlist entries whose instrument of this type is delisted; returns how many.

Called by market.upsert_instruments after each instruments answer. Each entry gets enabled =
false and a disabled_reason that says when the instrument vanished and how to re-enable it; the
watchlist trigger (market.watchlist_jobs) disables its ingest and repair_gaps schedules, and
their queued jobs (and a queued hole fill) are cancelled, so no job fails every minute for an
instrument OKX no longer serves. Nothing is ever re-enabled here:
an instrument that comes back shows in bi.watchlist (delisted_at NULL again) and the operator
decides. SECURITY DEFINER: the worker that syncs instruments has no rights on the watchlist.$$;

-- sql/0330_market_stream_leases.sql
-- Leases of watchlist series for stream processes: take (and renew), release, who holds a series.
-- Depends on market.stream_holders and market.stream_leases (migrations/0019), market.watchlist.

create or replace function market.stream_lease_take(holder text, max_series integer, lease_seconds integer)
returns table (inst_id text, bar text)
language plpgsql
volatile
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_lease   interval;
  v_live    integer;
  v_enabled integer;
  v_target  integer;
  v_held    integer;
begin
  if stream_lease_take.holder is null or length(stream_lease_take.holder) not between 1 and 200 then
    raise exception 'market.stream_lease_take: holder must be a name of 1 to 200 characters, got %',
      coalesce(pg_catalog.quote_literal(stream_lease_take.holder), 'NULL') using errcode = 'invalid_parameter_value';
  end if;
  if stream_lease_take.max_series is null or stream_lease_take.max_series < 0 then
    raise exception 'market.stream_lease_take: max_series must be 0 or more, got %',
      coalesce(stream_lease_take.max_series::pg_catalog.text, 'NULL') using errcode = 'invalid_parameter_value';
  end if;
  if stream_lease_take.lease_seconds is null or stream_lease_take.lease_seconds not between 1 and 3600 then
    raise exception 'market.stream_lease_take: lease_seconds must be between 1 and 3600, got %',
      coalesce(stream_lease_take.lease_seconds::pg_catalog.text, 'NULL') using errcode = 'invalid_parameter_value';
  end if;
  v_lease := pg_catalog.make_interval(secs => stream_lease_take.lease_seconds);

  -- Heartbeat; holders dead for an hour are forgotten (with their leases).
  insert into market.stream_holders as h (holder, seen_until)
  values (stream_lease_take.holder, pg_catalog.clock_timestamp() + v_lease)
  on conflict on constraint stream_holders_pkey do update set seen_until = excluded.seen_until;
  delete from market.stream_holders as h where h.seen_until < pg_catalog.clock_timestamp() - interval '1 hour';

  -- Series no longer enabled are let go; the rest renewed.
  delete from market.stream_leases as l
   using market.watchlist as w
   where l.holder = stream_lease_take.holder and w.inst_id = l.inst_id and w.bar = l.bar and not w.enabled;
  update market.stream_leases as l set expires_at = pg_catalog.clock_timestamp() + v_lease
   where l.holder = stream_lease_take.holder;

  -- Fair share over the live holders, capped by max_series.
  select count(*)::integer into v_live from market.stream_holders as h where h.seen_until > pg_catalog.clock_timestamp();
  select count(*)::integer into v_enabled from market.watchlist as w where w.enabled;
  v_target := least(stream_lease_take.max_series, ceil(v_enabled::numeric / greatest(v_live, 1))::integer);
  select count(*)::integer into v_held from market.stream_leases as l where l.holder = stream_lease_take.holder;

  if v_held > v_target then
    -- Hand the newest-taken series back: another live holder takes them on its next call.
    delete from market.stream_leases as l
     where l.holder = stream_lease_take.holder
       and (l.inst_id, l.bar) in (select x.inst_id, x.bar from market.stream_leases as x
                                   where x.holder = stream_lease_take.holder
                                   order by x.taken_at desc, x.inst_id, x.bar
                                   limit v_held - v_target);
  elsif v_held < v_target then
    -- Free series and series whose lease expired (a dead holder's); ON CONFLICT re-checks the
    -- expiry under the row lock, so two takers never both get one series.
    insert into market.stream_leases as l (inst_id, bar, holder, expires_at)
    select w.inst_id, w.bar, stream_lease_take.holder, pg_catalog.clock_timestamp() + v_lease
      from market.watchlist as w
      left join market.stream_leases as x on x.inst_id = w.inst_id and x.bar = w.bar
     where w.enabled and (x.inst_id is null or x.expires_at < pg_catalog.clock_timestamp())
     order by w.inst_id, w.bar
     limit v_target - v_held
    on conflict on constraint stream_leases_pkey do update
       set holder = excluded.holder, expires_at = excluded.expires_at, taken_at = pg_catalog.clock_timestamp()
     where l.expires_at < pg_catalog.clock_timestamp();
  end if;

  return query
    select l.inst_id, l.bar from market.stream_leases as l
     where l.holder = stream_lease_take.holder
     order by l.inst_id, l.bar;
end;
$$;
comment on function market.stream_lease_take(text, integer, integer) is
$$Renew a stream process's leases, take its fair share of the rest, and return the series it holds.

A stream process calls it every few seconds with its unique name (holder), the most series it
will stream (max_series) and the lease length (lease_seconds, 1 to 3600). It records the holder's
heartbeat, drops its disabled series, renews the others, then moves towards a fair share:
ceil(enabled entries / live holders), capped by max_series. Over the share it hands back its
newest-taken series; under it, it takes free series and series whose lease expired (so a dead
holder's series are taken over within lease_seconds). Bad input is refused naming the argument.
SECURITY DEFINER: stream processes need no rights on the lease tables.$$;

create or replace function market.stream_lease_release(holder text)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_count integer;
begin
  if stream_lease_release.holder is null or length(stream_lease_release.holder) not between 1 and 200 then
    raise exception 'market.stream_lease_release: holder must be a name of 1 to 200 characters, got %',
      coalesce(pg_catalog.quote_literal(stream_lease_release.holder), 'NULL') using errcode = 'invalid_parameter_value';
  end if;
  select count(*)::integer into v_count from market.stream_leases as l where l.holder = stream_lease_release.holder;
  delete from market.stream_holders as h where h.holder = stream_lease_release.holder;   -- cascades to its leases
  return v_count;
end;
$$;
comment on function market.stream_lease_release(text) is
$$Release every lease of a stream process that is stopping; returns how many series it held.
Its series are free at once for the other processes. SECURITY DEFINER like stream_lease_take.$$;

create or replace function market.stream_series_held(inst_id text, bar text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from market.stream_leases as l
                  where l.inst_id = stream_series_held.inst_id and l.bar = stream_series_held.bar
                    and l.expires_at > pg_catalog.clock_timestamp());
$$;
comment on function market.stream_series_held(text, text) is
'True while a live stream process holds the series (an unexpired lease); the REST ingest may skip it then.';

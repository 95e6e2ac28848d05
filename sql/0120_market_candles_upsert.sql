-- sql/0120_market_candles_upsert.sql
-- The bulk candle write path: a session temp staging table filled by COPY, then market.upsert_candles().
-- Depends on market.candles and market.ensure_candle_partitions (migrations/0003_market.sql).

create or replace function market.create_candle_staging()
returns void
language plpgsql
volatile
set search_path = ''
as $$
begin
  if pg_catalog.to_regclass('pg_temp.candle_staging') is null then
    create temporary table pg_temp.candle_staging (
      inst_id      text,
      bar          text,
      ts           timestamptz,
      open         numeric,
      high         numeric,
      low          numeric,
      close        numeric,
      volume       numeric,
      volume_ccy   numeric,
      volume_quote numeric,
      confirmed    boolean
    );
  else
    truncate pg_temp.candle_staging;
  end if;
end;
$$;
comment on function market.create_candle_staging() is
$$Create (or empty) this session's staging table pg_temp.candle_staging for a bulk candle write.

The calling pattern, in one transaction:
  begin;
  select market.create_candle_staging();
  copy pg_temp.candle_staging (inst_id, bar, ts, open, high, low, close,
                               volume, volume_ccy, volume_quote, confirmed) from stdin;
  select * from market.upsert_candles();
  commit;
The staging table has no constraints and no index (COPY into it is as cheap as it gets, and it
writes no WAL); market.upsert_candles validates through the CHECKs of market.candles. It lives
for the session, so a connection reuses it batch after batch. Give the session temp_buffers
larger than a batch (e.g. 256MB for 1M candles, set before its first temp table) to keep it in memory.$$;

create or replace function market.upsert_candles()
returns table (inserted bigint, updated bigint, unchanged bigint)
language plpgsql
volatile
set search_path = ''
set jit = off
set work_mem = '256MB'
as $$
declare
  v_total    bigint;
  v_keys     bigint;
  v_lo       timestamptz;
  v_hi       timestamptz;
  v_inserted bigint;
  v_updated  bigint := 0;
  v_stored   boolean;
  v_new      bigint;
  v_changed  bigint;
begin
  if pg_catalog.to_regclass('pg_temp.candle_staging') is null then
    raise exception 'market.upsert_candles: pg_temp.candle_staging does not exist in this session'
      using errcode = 'object_not_in_prerequisite_state',
            hint = 'Call market.create_candle_staging() and COPY the rows into pg_temp.candle_staging first.';
  end if;

  -- The batch's ts range first, and its partitions created before this function reads
  -- market.candles: a session that already holds a lock on market.candles and then waits for the
  -- partition creators' advisory lock could deadlock with a creator waiting for that lock.
  select pg_catalog.count(*), pg_catalog.min(s.ts), pg_catalog.max(s.ts)
    into v_total, v_lo, v_hi
    from pg_temp.candle_staging as s;
  if v_total = 0 then
    return query select 0::bigint, 0::bigint, 0::bigint;
    return;
  end if;
  if v_lo is not null then
    perform market.ensure_candle_partitions(v_lo, v_hi);
  end if;

  -- Whether anything is stored yet in the ts range of each (inst_id, bar) the batch holds (an
  -- index probe per pair).
  select coalesce(pg_catalog.bool_or(exists (select 1
                                               from market.candles as c
                                              where c.inst_id = g.inst_id and c.bar = g.bar
                                                and c.ts >= g.lo and c.ts <= g.hi)), false)
    into v_stored
    from (select s.inst_id, s.bar, pg_catalog.min(s.ts) as lo, pg_catalog.max(s.ts) as hi
            from pg_temp.candle_staging as s
           group by s.inst_id, s.bar) as g;

  if v_stored then
    -- Classify against what is stored (one join limited to the batch's ts range): how many rows
    -- are new, how many differ from the stored row without downgrading a confirmed candle.
    select pg_catalog.count(*) filter (where c.ts is null),
           pg_catalog.count(*) filter (where c.ts is not null
                                         and (c.open, c.high, c.low, c.close, c.volume, c.volume_ccy, c.volume_quote, c.confirmed)
                                             is distinct from
                                             (s.open, s.high, s.low, s.close, s.volume, s.volume_ccy, s.volume_quote, s.confirmed)
                                         and (s.confirmed or not c.confirmed))
      into v_new, v_changed
      from pg_temp.candle_staging as s
      left join market.candles as c
        on c.inst_id = s.inst_id and c.bar = s.bar and c.ts = s.ts and c.ts >= v_lo and c.ts <= v_hi;
  else
    v_new := v_total;
    v_changed := 0;
  end if;

  -- New rows: a plain INSERT (the fast path, close to COPY speed); an anti-join only when some keys
  -- are stored. A key staged twice among new rows, or a concurrent writer, raises unique_violation:
  -- the subtransaction rolls back and the general path below takes over.
  v_inserted := 0;
  begin
    if not v_stored then
      insert into market.candles (ts, confirmed, inst_id, bar, open, high, low, close, volume, volume_ccy, volume_quote)
      select s.ts, s.confirmed, s.inst_id, s.bar, s.open, s.high, s.low, s.close, s.volume, s.volume_ccy, s.volume_quote
        from pg_temp.candle_staging as s;
      get diagnostics v_inserted = row_count;
    elsif v_new > 0 then
      insert into market.candles (ts, confirmed, inst_id, bar, open, high, low, close, volume, volume_ccy, volume_quote)
      select s.ts, s.confirmed, s.inst_id, s.bar, s.open, s.high, s.low, s.close, s.volume, s.volume_ccy, s.volume_quote
        from pg_temp.candle_staging as s
       where not exists (select 1
                           from market.candles as c
                          where c.inst_id = s.inst_id and c.bar = s.bar and c.ts = s.ts
                            and c.ts >= v_lo and c.ts <= v_hi);
      get diagnostics v_inserted = row_count;
    end if;
  exception when unique_violation then
    v_inserted := null;
  end;

  if v_inserted is null then
    -- General path (a key staged twice among new keys, or a concurrent writer): de-duplicate the
    -- batch (per key a confirmed row beats an unconfirmed one, else the last staged, i.e. the
    -- highest ctid), then one upsert that only rewrites changed rows and never downgrades.
    select pg_catalog.count(*) into v_keys
      from (select distinct s.inst_id, s.bar, s.ts from pg_temp.candle_staging as s) as k;
    if v_keys < v_total then
      delete from pg_temp.candle_staging as s
       where s.ctid in (select d.ctid
                          from (select x.ctid,
                                       pg_catalog.row_number() over (partition by x.inst_id, x.bar, x.ts
                                                                     order by x.confirmed desc, x.ctid desc) as rn
                                  from pg_temp.candle_staging as x) as d
                         where d.rn > 1);
    end if;
    with w as (
      insert into market.candles as c (ts, confirmed, inst_id, bar, open, high, low, close, volume, volume_ccy, volume_quote)
      select s.ts, s.confirmed, s.inst_id, s.bar, s.open, s.high, s.low, s.close, s.volume, s.volume_ccy, s.volume_quote
        from pg_temp.candle_staging as s
       where not exists (select 1
                           from market.candles as e
                          where e.inst_id = s.inst_id and e.bar = s.bar and e.ts = s.ts
                            and e.ts >= v_lo and e.ts <= v_hi
                            and (e.open, e.high, e.low, e.close, e.volume, e.volume_ccy, e.volume_quote, e.confirmed)
                                is not distinct from
                                (s.open, s.high, s.low, s.close, s.volume, s.volume_ccy, s.volume_quote, s.confirmed))
      on conflict (inst_id, bar, ts) do update
         set open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
             volume = excluded.volume, volume_ccy = excluded.volume_ccy, volume_quote = excluded.volume_quote,
             confirmed = excluded.confirmed, ingested_at = pg_catalog.now()
       where (c.open, c.high, c.low, c.close, c.volume, c.volume_ccy, c.volume_quote, c.confirmed)
             is distinct from
             (excluded.open, excluded.high, excluded.low, excluded.close, excluded.volume,
              excluded.volume_ccy, excluded.volume_quote, excluded.confirmed)
         and (excluded.confirmed or not c.confirmed)
      returning c.inst_id, c.bar, c.ts
    )
    -- the rest of the statement sees the snapshot before the insert: a returned key absent from
    -- it was inserted, a present one updated (xmax cannot be read from a partitioned table)
    select pg_catalog.count(*) filter (where not w.existed), pg_catalog.count(*) filter (where w.existed)
      into v_inserted, v_updated
      from (select exists (select 1
                             from market.candles as e
                            where e.inst_id = w.inst_id and e.bar = w.bar and e.ts = w.ts) as existed
              from w) as w;
  elsif v_changed > 0 then
    -- The new rows are in. Only keys with a staged row that differs from the stored one can change
    -- anything (one join; none on an all-unchanged re-run, which then writes nothing). For those
    -- keys pick the winner among all their staged rows (confirmed first, then the last staged) and
    -- update the stored row if the winner differs and is not a downgrade to unconfirmed.
    with k as materialized (
      select distinct s.inst_id, s.bar, s.ts
        from pg_temp.candle_staging as s
        join market.candles as c
          on c.inst_id = s.inst_id and c.bar = s.bar and c.ts = s.ts and c.ts >= v_lo and c.ts <= v_hi
       where (c.open, c.high, c.low, c.close, c.volume, c.volume_ccy, c.volume_quote, c.confirmed)
             is distinct from
             (s.open, s.high, s.low, s.close, s.volume, s.volume_ccy, s.volume_quote, s.confirmed)
         and (s.confirmed or not c.confirmed)
    ), win as materialized (
      select distinct on (s.inst_id, s.bar, s.ts) s.*
        from pg_temp.candle_staging as s
        join k on k.inst_id = s.inst_id and k.bar = s.bar and k.ts = s.ts
       order by s.inst_id, s.bar, s.ts, s.confirmed desc, s.ctid desc
    )
    update market.candles as c
       set open = w.open, high = w.high, low = w.low, close = w.close,
           volume = w.volume, volume_ccy = w.volume_ccy, volume_quote = w.volume_quote,
           confirmed = w.confirmed, ingested_at = pg_catalog.now()
      from win as w
     where c.inst_id = w.inst_id and c.bar = w.bar and c.ts = w.ts
       and c.ts >= v_lo and c.ts <= v_hi
       and (c.open, c.high, c.low, c.close, c.volume, c.volume_ccy, c.volume_quote, c.confirmed)
           is distinct from
           (w.open, w.high, w.low, w.close, w.volume, w.volume_ccy, w.volume_quote, w.confirmed)
       and (w.confirmed or not c.confirmed);
    get diagnostics v_updated = row_count;
  end if;

  -- counts are of staged rows: the extra copies of a key staged twice count as unchanged
  return query select v_inserted, v_updated, v_total - v_inserted - v_updated;
end;
$$;
comment on function market.upsert_candles() is
$$Write the candles staged in pg_temp.candle_staging into market.candles; returns (inserted, updated, unchanged).

See market.create_candle_staging for the calling pattern. Creates the partitions the batch needs,
inserts the rows whose key is new with a plain INSERT (the fast path, close to COPY speed), then,
only if some keys were already stored, finds the staged rows that differ from the stored ones (a
join limited to the batch's ts range) and updates just those rows (unchanged rows are not locked,
not rewritten, write no WAL). A key staged twice keeps a confirmed row over an unconfirmed one,
else the last staged. A confirmed candle is never turned back into an unconfirmed one (such rows
count as unchanged). A bad row fails the whole call with the CHECK's SQLSTATE (23514; 23502 for
a NULL) and nothing is kept. Counts are of staged rows (inserted + updated + unchanged = rows
staged; extra copies of a key count as unchanged). Runs with jit off and work_mem 256MB so the
joins of a large batch stay in memory. Security invoker: needs INSERT, UPDATE on market.candles.$$;

-- sql/0172_market_mark_index_candles_upsert.sql
-- The mark/index candle write path: a session temp staging table filled by COPY, then market.upsert_mark_index_candles().
-- Depends on market.mark_index_candles (migrations/0022) and market.ensure_mark_index_candle_partitions (sql/0171).

create or replace function market.create_mark_index_candle_staging()
returns void
language plpgsql
volatile
set search_path = ''
as $$
begin
  if pg_catalog.to_regclass('pg_temp.mark_index_candle_staging') is null then
    create temporary table pg_temp.mark_index_candle_staging (
      price_type text,
      inst_id    text,
      bar        text,
      ts         timestamptz,
      open       numeric,
      high       numeric,
      low        numeric,
      close      numeric,
      confirmed  boolean
    );
  else
    truncate pg_temp.mark_index_candle_staging;
  end if;
end;
$$;
comment on function market.create_mark_index_candle_staging() is
$$Create (or empty) this session's staging table pg_temp.mark_index_candle_staging.

The calling pattern, in one transaction:
  begin;
  select market.create_mark_index_candle_staging();
  copy pg_temp.mark_index_candle_staging (price_type, inst_id, bar, ts, open, high, low, close, confirmed) from stdin;
  select * from market.upsert_mark_index_candles();
  commit;
No constraints on the staging table: market.upsert_mark_index_candles validates through the
CHECKs of market.mark_index_candles.$$;

create or replace function market.upsert_mark_index_candles()
returns table (inserted bigint, updated bigint, unchanged bigint)
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_total    bigint;
  v_lo       timestamptz;
  v_hi       timestamptz;
  v_inserted bigint;
  v_updated  bigint;
begin
  if pg_catalog.to_regclass('pg_temp.mark_index_candle_staging') is null then
    raise exception 'market.upsert_mark_index_candles: pg_temp.mark_index_candle_staging does not exist in this session'
      using errcode = 'object_not_in_prerequisite_state',
            hint = 'Call market.create_mark_index_candle_staging() and COPY the rows into pg_temp.mark_index_candle_staging first.';
  end if;
  select pg_catalog.count(*), pg_catalog.min(s.ts), pg_catalog.max(s.ts)
    into v_total, v_lo, v_hi
    from pg_temp.mark_index_candle_staging as s;
  if v_total = 0 then
    return query select 0::bigint, 0::bigint, 0::bigint;
    return;
  end if;
  if v_lo is not null then
    perform market.ensure_mark_index_candle_partitions(v_lo, v_hi);
  end if;

  -- Per key a confirmed row beats an unconfirmed one, else the last staged; then one upsert that
  -- rewrites only changed rows and never turns a confirmed candle back into an unconfirmed one.
  with s as (
    select distinct on (x.price_type, x.inst_id, x.bar, x.ts) x.*
      from pg_temp.mark_index_candle_staging as x
     order by x.price_type, x.inst_id, x.bar, x.ts, x.confirmed desc, x.ctid desc
  ), w as (
    insert into market.mark_index_candles as c (ts, confirmed, price_type, inst_id, bar, open, high, low, close)
    select s.ts, s.confirmed, s.price_type, s.inst_id, s.bar, s.open, s.high, s.low, s.close from s
    on conflict on constraint mark_index_candles_pkey do update
       set open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
           confirmed = excluded.confirmed, ingested_at = pg_catalog.now()
     where (c.open, c.high, c.low, c.close, c.confirmed)
           is distinct from (excluded.open, excluded.high, excluded.low, excluded.close, excluded.confirmed)
       and (excluded.confirmed or not c.confirmed)
    returning c.price_type, c.inst_id, c.bar, c.ts
  )
  -- the rest of the statement sees the snapshot before the insert: a returned key absent from it was inserted
  select pg_catalog.count(*) filter (where not w.existed), pg_catalog.count(*) filter (where w.existed)
    into v_inserted, v_updated
    from (select exists (select 1 from market.mark_index_candles as e
                          where e.price_type = w.price_type and e.inst_id = w.inst_id and e.bar = w.bar
                            and e.ts = w.ts and e.ts >= v_lo and e.ts <= v_hi) as existed
            from w) as w;
  return query select v_inserted, v_updated, v_total - v_inserted - v_updated;
end;
$$;
comment on function market.upsert_mark_index_candles() is
$$Write the candles staged in pg_temp.mark_index_candle_staging into market.mark_index_candles; returns (inserted, updated, unchanged).

See market.create_mark_index_candle_staging for the calling pattern. Creates the partitions the
batch needs; a key staged twice keeps a confirmed row over an unconfirmed one, else the last
staged; unchanged rows are not rewritten; a confirmed candle is never downgraded (counted as
unchanged). A bad row fails the whole call with the CHECK's SQLSTATE (23514; 23502 for a NULL)
and nothing is kept. Pages are at most 100 rows (OKX's limit), so one upsert statement suffices.$$;

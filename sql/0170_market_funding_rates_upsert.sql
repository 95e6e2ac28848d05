-- sql/0170_market_funding_rates_upsert.sql
-- market.upsert_funding_rates: OKX's funding-rate(-history) data array in, market.funding_rates rows out.
-- Depends on market.funding_rates (migrations/0021) and market.okx_ms_to_timestamptz (sql/0110).

create or replace function market.upsert_funding_rates(rates jsonb)
returns table (inserted bigint, updated bigint, unchanged bigint)
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_bad      jsonb;
  v_total    bigint;
  v_inserted bigint;
  v_updated  bigint;
begin
  if upsert_funding_rates.rates is null or pg_catalog.jsonb_typeof(upsert_funding_rates.rates) <> 'array' then
    raise exception 'market.upsert_funding_rates: rates must be OKX''s data array, got %',
      pg_catalog.left(upsert_funding_rates.rates::pg_catalog.text, 200) using errcode = 'invalid_parameter_value';
  end if;
  select e into v_bad
    from pg_catalog.jsonb_array_elements(upsert_funding_rates.rates) as e
   where pg_catalog.jsonb_typeof(e) <> 'object'
      or not coalesce(market.is_inst_id(e ->> 'instId'), false)
      or coalesce(e ->> 'fundingTime', '') !~ '^[0-9]+$'
      or coalesce(e ->> 'fundingRate', '') = ''
   limit 1;
  if v_bad is not null then
    raise exception 'market.upsert_funding_rates: each element needs "instId" like BTC-USDT-SWAP, "fundingTime" in Unix ms and a "fundingRate", got %',
      pg_catalog.left(v_bad::pg_catalog.text, 200) using errcode = 'invalid_parameter_value';
  end if;
  v_total := pg_catalog.jsonb_array_length(upsert_funding_rates.rates);

  -- One row per key (the last element wins; a settled realizedRate beats none), then an upsert that
  -- rewrites only rows that differ. A bad value (NaN, Infinity, a rate beyond +-0.1, an unknown
  -- method) fails the whole call with the CHECK that names the field (23514); a value that is not
  -- a number at all fails the cast (22P02). Nothing of the call is kept.
  with s as (
    select distinct on (e.inst_id, e.funding_time) e.*
      from (select x.ord,
                   x.e ->> 'instId' as inst_id,
                   market.okx_ms_to_timestamptz(x.e ->> 'fundingTime') as funding_time,
                   (x.e ->> 'fundingRate')::numeric as rate,
                   nullif(x.e ->> 'realizedRate', '')::numeric as realized_rate,
                   nullif(x.e ->> 'method', '') as method,
                   nullif(x.e ->> 'formulaType', '') as formula_type
              from pg_catalog.jsonb_array_elements(upsert_funding_rates.rates) with ordinality as x(e, ord)) as e
     order by e.inst_id, e.funding_time, (e.realized_rate is not null) desc, e.ord desc
  ), w as (
    insert into market.funding_rates as f (inst_id, funding_time, rate, realized_rate, method, formula_type)
    select s.inst_id, s.funding_time, s.rate, s.realized_rate, s.method, s.formula_type from s
    on conflict on constraint funding_rates_pkey do update
       set rate = excluded.rate,
           realized_rate = coalesce(excluded.realized_rate, f.realized_rate),
           method = coalesce(excluded.method, f.method),
           formula_type = coalesce(excluded.formula_type, f.formula_type),
           ingested_at = pg_catalog.now()
     where (f.rate, f.realized_rate, f.method, f.formula_type) is distinct from
           (excluded.rate, coalesce(excluded.realized_rate, f.realized_rate),
            coalesce(excluded.method, f.method), coalesce(excluded.formula_type, f.formula_type))
    returning f.inst_id, f.funding_time
  )
  -- the rest of the statement sees the snapshot before the insert: a returned key absent from it was inserted
  select pg_catalog.count(*) filter (where not w.existed), pg_catalog.count(*) filter (where w.existed)
    into v_inserted, v_updated
    from (select exists (select 1 from market.funding_rates as o
                          where o.inst_id = w.inst_id and o.funding_time = w.funding_time) as existed
            from w) as w;

  return query select v_inserted, v_updated, v_total - v_inserted - v_updated;
end;
$$;
comment on function market.upsert_funding_rates(jsonb) is
$$Store OKX's funding-rate-history or funding-rate answer (the data array, verbatim); returns (inserted, updated, unchanged).

One row per (instId, fundingTime). A row already stored is rewritten only when a field differs;
an element without realizedRate ("" from /public/funding-rate, the current period) never erases
a settled realized_rate. "" is NULL. A non-finite or out-of-bound rate, an unknown method or
formulaType fails the whole call with SQLSTATE 23514 and the CHECK's name (funding_rate_is_finite,
funding_rate_within_ten_percent, ...); nothing is kept. Counts are of elements (extra copies of a
key count as unchanged).$$;

create or replace function market.newest_funding_time(inst_id text)
returns timestamptz
language sql
stable
set search_path = ''
as $$
  select pg_catalog.max(f.funding_time) from market.funding_rates as f
   where f.inst_id = newest_funding_time.inst_id and f.funding_time <= pg_catalog.now()
$$;
comment on function market.newest_funding_time(text) is
$$The newest stored funding_time of a swap that is settled (not in the future), or NULL (where ingest_funding and backfill_funding resume).

The current period's rate, stored ahead at its future fundingTime by ingest_funding, is not counted:
the settlements before it may still be missing.$$;

create or replace function market.oldest_funding_time(inst_id text)
returns timestamptz
language sql
stable
set search_path = ''
as $$
  select pg_catalog.min(f.funding_time) from market.funding_rates as f where f.inst_id = oldest_funding_time.inst_id
$$;
comment on function market.oldest_funding_time(text) is
$$The oldest stored funding_time of a swap, or NULL when none is stored (where backfill_funding pages back from).$$;

-- sql/0110_market_instruments.sql
-- market.upsert_instruments and market.upsert_tickers: OKX's data arrays in, registry rows out.
-- Depends on market.instruments and market.tickers (migrations/0003_market.sql); calls
-- market.disable_delisted_watchlist (sql/0322) at run time.

create or replace function market.okx_ms_to_timestamptz(ms text)
returns timestamptz
language sql
immutable
parallel safe
as $$
  select pg_catalog.to_timestamp((case when ms operator(pg_catalog.<>) '' then ms end)::bigint
                                  operator(pg_catalog./) 1000.0::double precision)
$$;
comment on function market.okx_ms_to_timestamptz(text) is
$$An OKX Unix-millisecond string as a timestamptz; "" or NULL gives NULL.

Rounded to the microsecond, so exact for milliseconds. Plain SQL without a SET clause, so it is inlined.$$;

create or replace function market.upsert_instruments(inst_type text, instruments jsonb, inst_family text)
returns table (inserted integer, updated integer, delisted integer, disabled_entries integer)
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_bad      jsonb;
  v_inserted integer;
  v_updated  integer;
  v_delisted integer;
  v_disabled integer;
begin
  if upsert_instruments.inst_type is null
     or upsert_instruments.inst_type not in ('SPOT', 'MARGIN', 'SWAP', 'FUTURES', 'OPTION') then
    raise exception 'market.upsert_instruments: inst_type must be one of SPOT, MARGIN, SWAP, FUTURES, OPTION, got %',
      upsert_instruments.inst_type using errcode = 'invalid_parameter_value';
  end if;
  if upsert_instruments.inst_family is not null
     and (upsert_instruments.inst_type not in ('SWAP', 'FUTURES', 'OPTION')
          or upsert_instruments.inst_family !~ '^[A-Z0-9]+-[A-Z0-9]+$') then
    raise exception 'market.upsert_instruments: inst_family must look like BTC-USD, for SWAP, FUTURES or OPTION only, got % for %',
      upsert_instruments.inst_family, upsert_instruments.inst_type using errcode = 'invalid_parameter_value';
  end if;
  if upsert_instruments.instruments is null or pg_catalog.jsonb_typeof(upsert_instruments.instruments) <> 'array' then
    raise exception 'market.upsert_instruments: instruments must be OKX''s data array, got %',
      pg_catalog.left(upsert_instruments.instruments::pg_catalog.text, 200) using errcode = 'invalid_parameter_value';
  end if;
  if pg_catalog.jsonb_array_length(upsert_instruments.instruments) = 0 then
    raise exception 'market.upsert_instruments: an empty answer for % would delist every % instrument; refused',
      upsert_instruments.inst_type, upsert_instruments.inst_type
      using errcode = 'invalid_parameter_value', hint = 'Treat an empty instruments answer as an error upstream.';
  end if;
  select e into v_bad
    from pg_catalog.jsonb_array_elements(upsert_instruments.instruments) as e
   where pg_catalog.jsonb_typeof(e) <> 'object'
      or not coalesce(market.is_inst_id(e ->> 'instId'), false)
      or coalesce(e ->> 'instType', upsert_instruments.inst_type) <> upsert_instruments.inst_type
      or coalesce(nullif(e ->> 'instFamily', ''), upsert_instruments.inst_family) <> upsert_instruments.inst_family
   limit 1;
  if v_bad is not null then
    raise exception 'market.upsert_instruments: each element needs "instId" like BTC-USDT, "instType" % and "instFamily" %, got %',
      upsert_instruments.inst_type, coalesce(upsert_instruments.inst_family, '(any)'),
      pg_catalog.left(v_bad::pg_catalog.text, 200) using errcode = 'invalid_parameter_value';
  end if;

  with src as (
    select distinct on (e ->> 'instId') e
      from pg_catalog.jsonb_array_elements(upsert_instruments.instruments) as e
     order by e ->> 'instId'
  ), w as (
    insert into market.instruments as i
           (inst_id, inst_type, base_ccy, quote_ccy, settle_ccy, ct_val, ct_mult, ct_val_ccy, ct_type,
            tick_sz, lot_sz, min_sz, state, list_time, exp_time, uly, inst_family, raw)
    select src.e ->> 'instId', upsert_instruments.inst_type,
           nullif(src.e ->> 'baseCcy', ''), nullif(src.e ->> 'quoteCcy', ''),
           nullif(src.e ->> 'settleCcy', ''),
           nullif(src.e ->> 'ctVal', '')::numeric, nullif(src.e ->> 'ctMult', '')::numeric,
           nullif(src.e ->> 'ctValCcy', ''), nullif(src.e ->> 'ctType', ''),
           nullif(src.e ->> 'tickSz', '')::numeric, nullif(src.e ->> 'lotSz', '')::numeric,
           nullif(src.e ->> 'minSz', '')::numeric, nullif(src.e ->> 'state', ''),
           market.okx_ms_to_timestamptz(src.e ->> 'listTime'), market.okx_ms_to_timestamptz(src.e ->> 'expTime'),
           nullif(src.e ->> 'uly', ''), nullif(src.e ->> 'instFamily', ''),
           src.e
      from src
    on conflict (inst_id) do update
       set inst_type = excluded.inst_type, base_ccy = excluded.base_ccy, quote_ccy = excluded.quote_ccy,
           settle_ccy = excluded.settle_ccy, ct_val = excluded.ct_val, ct_mult = excluded.ct_mult,
           ct_val_ccy = excluded.ct_val_ccy, ct_type = excluded.ct_type, tick_sz = excluded.tick_sz,
           lot_sz = excluded.lot_sz, min_sz = excluded.min_sz, state = excluded.state,
           list_time = excluded.list_time, exp_time = excluded.exp_time, uly = excluded.uly,
           inst_family = excluded.inst_family, raw = excluded.raw,
           last_seen = pg_catalog.now(), delisted_at = null
    returning (i.xmax = 0) as is_insert
  )
  select pg_catalog.count(*) filter (where w.is_insert), pg_catalog.count(*) filter (where not w.is_insert)
    into v_inserted, v_updated
    from w;

  update market.instruments as i
     set delisted_at = pg_catalog.now()
   where i.inst_type = upsert_instruments.inst_type
     and (upsert_instruments.inst_family is null or i.inst_family = upsert_instruments.inst_family)
     and i.delisted_at is null
     and not exists (select 1
                       from pg_catalog.jsonb_array_elements(upsert_instruments.instruments) as e
                      where e ->> 'instId' = i.inst_id);
  get diagnostics v_delisted = row_count;

  v_disabled := market.disable_delisted_watchlist(upsert_instruments.inst_type);
  return query select v_inserted, v_updated, v_delisted, v_disabled;
end;
$$;
comment on function market.upsert_instruments(text, jsonb, text) is
$$Store OKX's full instruments answer for one instType (and instFamily); returns (inserted, updated, delisted, disabled_entries).

instruments is the data array of GET /api/v5/public/instruments?instType=...[&instFamily=...],
passed verbatim: numbers as strings, "" meaning absent (stored as NULL), the object kept in raw.
Instruments of that type (and, when inst_family is given, that family) missing from the answer
get delisted_at = now() (never deleted); one that comes back is un-delisted. An empty array is
refused (22023) rather than delisting the whole type or family. inst_family (SWAP, FUTURES,
OPTION; OKX requires it for OPTION) must match every element's instFamily. Then the enabled
watchlist entries of delisted instruments of the type are disabled
(market.disable_delisted_watchlist): disabled_entries counts them. Nothing is re-enabled when an
instrument comes back: the operator decides.$$;

create or replace function market.upsert_instruments(inst_type text, instruments jsonb)
returns table (inserted integer, updated integer, delisted integer)
language sql
volatile
set search_path = ''
as $$
  select u.inserted, u.updated, u.delisted
    from market.upsert_instruments(upsert_instruments.inst_type, upsert_instruments.instruments, null::pg_catalog.text) as u
$$;
comment on function market.upsert_instruments(text, jsonb) is
$$Store OKX's full instruments answer for one instType, all families at once; returns (inserted, updated, delisted).

market.upsert_instruments(inst_type, instruments, NULL) without the count of disabled watchlist
entries: instruments of the type missing from the answer are delisted, whatever their family.$$;

create or replace function market.upsert_tickers(tickers jsonb)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_bad   jsonb;
  v_count integer;
begin
  if upsert_tickers.tickers is null or pg_catalog.jsonb_typeof(upsert_tickers.tickers) <> 'array' then
    raise exception 'market.upsert_tickers: tickers must be OKX''s data array, got %',
      pg_catalog.left(upsert_tickers.tickers::pg_catalog.text, 200) using errcode = 'invalid_parameter_value';
  end if;
  select e into v_bad
    from pg_catalog.jsonb_array_elements(upsert_tickers.tickers) as e
   where pg_catalog.jsonb_typeof(e) <> 'object'
      or not coalesce(market.is_inst_id(e ->> 'instId'), false)
      or coalesce(e ->> 'ts', '') !~ '^[0-9]+$'
   limit 1;
  if v_bad is not null then
    raise exception 'market.upsert_tickers: each element needs "instId" like BTC-USDT and "ts" in Unix ms, got %',
      pg_catalog.left(v_bad::pg_catalog.text, 200) using errcode = 'invalid_parameter_value';
  end if;

  insert into market.tickers as t
         (inst_id, inst_type, last, last_sz, bid_px, bid_sz, ask_px, ask_sz, open_24h, high_24h, low_24h,
          vol_24h, vol_ccy_24h, sod_utc0, sod_utc8, ts, raw, updated_at)
  select distinct on (e ->> 'instId')
         e ->> 'instId', nullif(e ->> 'instType', ''),
         nullif(e ->> 'last', '')::numeric, nullif(e ->> 'lastSz', '')::numeric,
         nullif(e ->> 'bidPx', '')::numeric, nullif(e ->> 'bidSz', '')::numeric,
         nullif(e ->> 'askPx', '')::numeric, nullif(e ->> 'askSz', '')::numeric,
         nullif(e ->> 'open24h', '')::numeric, nullif(e ->> 'high24h', '')::numeric,
         nullif(e ->> 'low24h', '')::numeric, nullif(e ->> 'vol24h', '')::numeric,
         nullif(e ->> 'volCcy24h', '')::numeric, nullif(e ->> 'sodUtc0', '')::numeric,
         nullif(e ->> 'sodUtc8', '')::numeric, market.okx_ms_to_timestamptz(e ->> 'ts'), e, pg_catalog.now()
    from pg_catalog.jsonb_array_elements(upsert_tickers.tickers) as e
   order by e ->> 'instId', (e ->> 'ts')::bigint desc
  on conflict (inst_id) do update
     set inst_type = excluded.inst_type, last = excluded.last, last_sz = excluded.last_sz,
         bid_px = excluded.bid_px, bid_sz = excluded.bid_sz, ask_px = excluded.ask_px, ask_sz = excluded.ask_sz,
         open_24h = excluded.open_24h, high_24h = excluded.high_24h, low_24h = excluded.low_24h,
         vol_24h = excluded.vol_24h, vol_ccy_24h = excluded.vol_ccy_24h, sod_utc0 = excluded.sod_utc0,
         sod_utc8 = excluded.sod_utc8, ts = excluded.ts, raw = excluded.raw, updated_at = excluded.updated_at
   where excluded.ts >= t.ts;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function market.upsert_tickers(jsonb) is
$$Store OKX's tickers answer (the data array, verbatim); returns how many rows were written.

One row per instrument; an older snapshot never replaces a newer one. "" in a numeric field is
stored as NULL. The instrument need not be in market.instruments.$$;

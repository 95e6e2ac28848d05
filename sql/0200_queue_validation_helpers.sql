-- sql/0200_queue_validation_helpers.sql
-- Payload validation helpers for job kind validators: typed field readers that raise 22023 naming the field.
-- Depends on schema queue (migrations/0005_queue.sql), market.bars() (migrations/0003_market.sql) and
-- market.is_inst_id (migrations/0008_market_inst_id.sql).
-- Pure functions: no table access.

create or replace function queue.okx_bars()
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select pg_catalog.array_agg(b.bar order by b.ordinal) from market.bars() as b
$$;
comment on function queue.okx_bars() is
$$OKX candle bar names accepted in job payloads.

The list is market.bars(), the one place bars are defined, in OKX's order.$$;

create or replace function queue.payload_reject_unknown(payload jsonb, kind text, allowed text[])
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_unknown text[];
begin
  if payload is null or pg_catalog.jsonb_typeof(payload) <> 'object' then
    raise exception '% payload: must be a JSON object, got %', kind, coalesce(pg_catalog.jsonb_typeof(payload), 'null')
      using errcode = 'invalid_parameter_value';
  end if;
  -- Runs on every INSERT into queue.jobs: a plain expression first (jsonb minus the allowed keys),
  -- the query that lists the unknown fields only when there are some.
  if payload - allowed = '{}'::pg_catalog.jsonb then
    return;
  end if;
  select pg_catalog.array_agg(k order by k) into v_unknown
    from pg_catalog.jsonb_object_keys(payload - allowed) as k;
  if v_unknown is not null then
    raise exception '% payload: unknown field(s) %, allowed fields are %', kind, v_unknown, allowed
      using errcode = 'invalid_parameter_value';
  end if;
end;
$$;
comment on function queue.payload_reject_unknown(jsonb, text, text[]) is
$$Refuse a payload that is not an object or holds a field outside allowed.

Raises 22023 listing the unknown fields and the allowed ones, so a typo is never silently ignored.$$;

create or replace function queue.payload_text(payload jsonb, kind text, field text,
                                              required boolean default false, default_value text default null)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v jsonb := payload -> field;
begin
  if v is null or v = 'null'::pg_catalog.jsonb then
    if required then
      raise exception '% payload: "%" is required (a string)', kind, field
        using errcode = 'invalid_parameter_value';
    end if;
    return default_value;
  end if;
  if pg_catalog.jsonb_typeof(v) <> 'string' then
    raise exception '% payload: "%" must be a string, got %', kind, field, v
      using errcode = 'invalid_parameter_value';
  end if;
  return v #>> '{}';
end;
$$;
comment on function queue.payload_text(jsonb, text, text, boolean, text) is
$$Read a string field of a payload.

Missing or null: default_value, or 22023 when required. Any other JSON type: 22023.$$;

create or replace function queue.payload_int(payload jsonb, kind text, field text, required boolean,
                                             min_value bigint, max_value bigint, default_value bigint default null)
returns bigint
language plpgsql
immutable
set search_path = ''
as $$
declare
  v jsonb := payload -> field;
  v_num numeric;
begin
  if v is null or v = 'null'::pg_catalog.jsonb then
    if required then
      raise exception '% payload: "%" is required (an integer from % to %)', kind, field, min_value, max_value
        using errcode = 'invalid_parameter_value';
    end if;
    return default_value;
  end if;
  if pg_catalog.jsonb_typeof(v) <> 'number' then
    raise exception '% payload: "%" must be an integer from % to %, got %', kind, field, min_value, max_value, v
      using errcode = 'invalid_parameter_value';
  end if;
  v_num := (v #>> '{}')::numeric;
  if v_num <> pg_catalog.trunc(v_num) or v_num < min_value or v_num > max_value then
    raise exception '% payload: "%" must be an integer from % to %, got %', kind, field, min_value, max_value, v
      using errcode = 'invalid_parameter_value';
  end if;
  return v_num::bigint;
end;
$$;
comment on function queue.payload_int(jsonb, text, text, boolean, bigint, bigint, bigint) is
$$Read an integer field of a payload, within [min_value, max_value].

Missing or null: default_value, or 22023 when required. Strings, fractions and out-of-range
numbers: 22023 naming the field, the range and the value.$$;

create or replace function queue.payload_bool(payload jsonb, kind text, field text,
                                              required boolean default false, default_value boolean default null)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
declare
  v jsonb := payload -> field;
begin
  if v is null or v = 'null'::pg_catalog.jsonb then
    if required then
      raise exception '% payload: "%" is required (true or false)', kind, field
        using errcode = 'invalid_parameter_value';
    end if;
    return default_value;
  end if;
  if pg_catalog.jsonb_typeof(v) <> 'boolean' then
    raise exception '% payload: "%" must be true or false, got %', kind, field, v
      using errcode = 'invalid_parameter_value';
  end if;
  return v::boolean;
end;
$$;
comment on function queue.payload_bool(jsonb, text, text, boolean, boolean) is
$$Read a boolean field of a payload.

Missing or null: default_value, or 22023 when required. Strings such as "true": 22023.$$;

create or replace function queue.payload_timestamptz(payload jsonb, kind text, field text,
                                                     required boolean default false,
                                                     default_value timestamptz default null)
returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
declare
  v_text text := queue.payload_text(payload, kind, field, required);
begin
  if v_text is null then
    return default_value;
  end if;
  -- A date or an ISO 8601 timestamp; without an offset it is UTC, whatever the session's TimeZone.
  if v_text !~ '^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$' then
    raise exception '% payload: "%" must be a date (2024-01-01) or an ISO 8601 timestamp (2024-01-01T00:00:00Z), got %',
      kind, field, pg_catalog.to_jsonb(v_text)
      using errcode = 'invalid_parameter_value';
  end if;
  begin
    if v_text ~ '(Z|[+-]\d{2}(:?\d{2})?)$' and v_text ~ '[T ]' then
      return v_text::pg_catalog.timestamptz;
    end if;
    return v_text::timestamp at time zone 'UTC';
  exception when datetime_field_overflow or invalid_datetime_format then
    raise exception '% payload: "%" is not a valid date or time: %', kind, field, pg_catalog.to_jsonb(v_text)
      using errcode = 'invalid_parameter_value';
  end;
end;
$$;
comment on function queue.payload_timestamptz(jsonb, text, text, boolean, timestamptz) is
$$Read a date or timestamp field of a payload.

Accepts '2024-01-01', '2024-01-01T12:00', '2024-01-01T12:00:00Z', '2024-01-01 12:00:00+08:00';
without an offset the value is UTC. Garbage or impossible dates (2024-02-30): 22023.
Use queue.json_utc to write the normalized value back into the payload.$$;

create or replace function queue.json_utc(value timestamptz)
returns jsonb
language sql
immutable
parallel safe
set search_path = ''
as $$
  select pg_catalog.to_jsonb(pg_catalog.to_char(value at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
$$;
comment on function queue.json_utc(timestamptz) is
$$A timestamp as a JSON string in UTC: "2024-01-01T00:00:00Z".

For normalized payloads: independent of the session's TimeZone. Drops fractions of a second.$$;

create or replace function queue.payload_check_range(kind text, from_field text, from_value timestamptz,
                                                     to_field text, to_value timestamptz)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if from_value is not null and to_value is not null and from_value >= to_value then
    raise exception '% payload: "%" (%) must be before "%" (%)', kind, from_field, from_value, to_field, to_value
      using errcode = 'invalid_parameter_value';
  end if;
end;
$$;
comment on function queue.payload_check_range(text, text, timestamptz, text, timestamptz) is
$$Refuse a time range whose start is not before its end (22023 naming both fields).$$;

create or replace function queue.payload_inst_id(payload jsonb, kind text, field text,
                                                 required boolean default true)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_text text := queue.payload_text(payload, kind, field, required);
begin
  if v_text is not null and not market.is_inst_id(v_text) then
    raise exception '% payload: "%" must be an OKX instrument id such as BTC-USDT or BTC-USDT-SWAP, got %',
      kind, field, pg_catalog.to_jsonb(v_text)
      using errcode = 'invalid_parameter_value',
            hint = 'Upper case letters and digits in 2 to 5 parts joined by "-".';
  end if;
  return v_text;
end;
$$;
comment on function queue.payload_inst_id(jsonb, text, text, boolean) is
$$Read an OKX instrument id field (BTC-USDT, BTC-USDT-SWAP, BTC-USD-240628, BTC-USD-240628-60000-C).

Must satisfy market.is_inst_id (2 to 5 parts), else 22023.$$;

create or replace function queue.payload_bar(payload jsonb, kind text, field text,
                                             required boolean default true, default_value text default null)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_text text := queue.payload_text(payload, kind, field, required, default_value);
begin
  if v_text is not null and v_text <> all (queue.okx_bars()) then
    raise exception '% payload: "%" must be one of %, got %', kind, field, queue.okx_bars(), pg_catalog.to_jsonb(v_text)
      using errcode = 'invalid_parameter_value';
  end if;
  return v_text;
end;
$$;
comment on function queue.payload_bar(jsonb, text, text, boolean, text) is
$$Read an OKX bar field (1m, 1H, 1Dutc, ...): one of queue.okx_bars(), else 22023.$$;

create or replace function queue.payload_inst_type(payload jsonb, kind text, field text default 'inst_type',
                                                   default_value text default 'SPOT')
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_text text := queue.payload_text(payload, kind, field, false, default_value);
begin
  if v_text not in ('SPOT', 'MARGIN', 'SWAP', 'FUTURES', 'OPTION') then
    raise exception '% payload: "%" must be one of SPOT, MARGIN, SWAP, FUTURES, OPTION, got %',
      kind, field, pg_catalog.to_jsonb(v_text)
      using errcode = 'invalid_parameter_value';
  end if;
  return v_text;
end;
$$;
comment on function queue.payload_inst_type(jsonb, text, text, text) is
$$Read an OKX instrument type field (SPOT, MARGIN, SWAP, FUTURES, OPTION), default SPOT, else 22023.$$;

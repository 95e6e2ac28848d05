-- sql/0410_backtest_payload_fields.sql
-- backtest.payload_number and backtest.payload_common: the fields every backtest-like payload has.
-- Depends on sql/0200 (queue payload helpers) and market.instruments (lot_size default).

create or replace function backtest.payload_number(payload jsonb, kind text, field text, default_value numeric,
                                                   min_value numeric, min_inclusive boolean,
                                                   max_value numeric default null, max_inclusive boolean default false)
returns numeric
language plpgsql
immutable
set search_path = ''
as $$
declare
  v jsonb := payload -> field;
  v_num numeric;
  v_range text := pg_catalog.format('%s %s%s', case when min_inclusive then '>=' else '>' end, min_value,
                    case when max_value is null then ''
                         else pg_catalog.format(' and %s %s', case when max_inclusive then '<=' else '<' end, max_value) end);
begin
  if v is null or v = 'null'::jsonb then
    return default_value;
  end if;
  if pg_catalog.jsonb_typeof(v) <> 'number' then
    raise exception '% payload: "%" must be a number %, got %', kind, field, v_range, v
      using errcode = 'invalid_parameter_value';
  end if;
  v_num := (v #>> '{}')::numeric;
  if (min_inclusive and v_num < min_value) or (not min_inclusive and v_num <= min_value)
     or (max_value is not null and ((max_inclusive and v_num > max_value) or (not max_inclusive and v_num >= max_value))) then
    raise exception '% payload: "%" must be a number %, got %', kind, field, v_range, v
      using errcode = 'invalid_parameter_value';
  end if;
  return v_num;
end;
$$;
comment on function backtest.payload_number(jsonb, text, text, numeric, numeric, boolean, numeric, boolean) is
$$Read a numeric payload field within bounds (each inclusive or not); default when missing.

Raises 22023 naming the field, the allowed range and the value.$$;

create or replace function backtest.payload_common(payload jsonb, kind text)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_inst text := queue.payload_inst_id(payload, kind, 'inst_id', true);
  v_bar  text := queue.payload_bar(payload, kind, 'bar', true);
  v_from timestamptz := queue.payload_timestamptz(payload, kind, 'from', true);
  v_to   timestamptz := queue.payload_timestamptz(payload, kind, 'to', true);
  v_lot  numeric;
begin
  perform queue.payload_check_range(kind, 'from', v_from, 'to', v_to);
  v_lot := backtest.payload_number(payload, kind, 'lot_size', null, 0, false);
  if v_lot is null then
    select i.lot_sz into v_lot from market.instruments as i where i.inst_id = v_inst and i.lot_sz > 0;
  end if;
  return pg_catalog.jsonb_build_object(
    'inst_id', v_inst, 'bar', v_bar, 'from', queue.json_utc(v_from), 'to', queue.json_utc(v_to),
    'fee_rate', backtest.payload_number(payload, kind, 'fee_rate', 0.001, 0, true, 0.1, false),
    'slippage_bps', backtest.payload_number(payload, kind, 'slippage_bps', 0, 0, true, 1000, true),
    'capital', backtest.payload_number(payload, kind, 'capital', 10000, 0, false),
    'lot_size', coalesce(v_lot, 0.00000001));
end;
$$;
comment on function backtest.payload_common(jsonb, text) is
$$The fields every backtest-like payload has, checked and with defaults filled in.

inst_id, bar, from, to (half-open [from, to), from < to) are required; fee_rate 0 <= x < 0.1
(default 0.001), slippage_bps 0..1000 (0), capital > 0 (10000), lot_size > 0 (default the
instrument's market.instruments.lot_sz, else 0.00000001).$$;

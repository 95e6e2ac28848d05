-- sql/0430_backtest_payload_contract.sql
-- backtest.payload_contract: the swap and future fields of a backtest payload (leverage,
-- maintenance_margin_ratio, funding) and the instrument's contract terms, checked at INSERT.
-- Depends on sql/0410 (backtest.payload_number), sql/0320 (market.inst_type_of), market.instruments.

create or replace function backtest.payload_contract(payload jsonb, kind text, inst_id text)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_inst     market.instruments;
  v_type     text;
  v_field    text;
  v_lever    numeric;
  v_leverage numeric;
  v_mmr      numeric;
  v_funding  text;
begin
  select i.* into v_inst from market.instruments as i where i.inst_id = payload_contract.inst_id;
  v_type := coalesce(v_inst.inst_type, market.inst_type_of(payload_contract.inst_id));
  if v_type is distinct from 'SWAP' and v_type is distinct from 'FUTURES' then
    foreach v_field in array array['leverage', 'maintenance_margin_ratio', 'funding'] loop
      if payload ? v_field then
        raise exception '% payload: "%" applies to SWAP and FUTURES instruments only, % is %', kind, v_field,
          payload_contract.inst_id, coalesce(v_type, 'unknown')
          using errcode = 'invalid_parameter_value';
      end if;
    end loop;
    return '{}'::jsonb;
  end if;
  if v_inst.inst_id is null or v_inst.ct_val is null or v_inst.ct_val <= 0
     or v_inst.ct_type is null or v_inst.ct_type not in ('linear', 'inverse') then
    raise exception '% payload: "inst_id" % is a %, whose contract terms (ct_val > 0, ct_type linear or inverse) are not in market.instruments', kind,
      payload_contract.inst_id, v_type
      using errcode = 'invalid_parameter_value', hint = 'Queue a sync_instruments job for its inst_type first.';
  end if;
  v_lever := case when v_inst.raw ->> 'lever' ~ '^[0-9]+(\.[0-9]+)?$' then (v_inst.raw ->> 'lever')::numeric end;
  v_leverage := backtest.payload_number(payload, kind, 'leverage', 1, 1, true, coalesce(v_lever, 1), true);
  v_mmr := backtest.payload_number(payload, kind, 'maintenance_margin_ratio', 0.005, 0, false, 1, false);
  if v_mmr >= 1 / v_leverage then
    raise exception '% payload: "maintenance_margin_ratio" must be below 1 / leverage = %, got %', kind,
      pg_catalog.round(1 / v_leverage, 8), v_mmr
      using errcode = 'invalid_parameter_value', hint = 'A position would be liquidated as soon as it opened.';
  end if;
  v_funding := queue.payload_text(payload, kind, 'funding', false, 'charge');
  if v_funding not in ('charge', 'ignore') then
    raise exception '% payload: "funding" must be "charge" or "ignore", got %', kind, payload -> 'funding'
      using errcode = 'invalid_parameter_value';
  end if;
  return pg_catalog.jsonb_build_object(
    'leverage', v_leverage, 'maintenance_margin_ratio', v_mmr, 'funding', v_funding,
    'contract', pg_catalog.jsonb_build_object('inst_type', v_type, 'ct_type', v_inst.ct_type, 'ct_val', v_inst.ct_val,
                                              'settle_ccy', v_inst.settle_ccy, 'lever', v_lever));
end;
$$;
comment on function backtest.payload_contract(jsonb, text, text) is
$$The swap and future fields of a backtest payload, checked, with the instrument's terms.

For a SWAP or FUTURES instrument (market.instruments.inst_type, else market.inst_type_of):
leverage 1 up to the instrument's lever (market.instruments.raw ->> 'lever'; 1 when unknown),
default 1; maintenance_margin_ratio in (0, 1) and below 1 / leverage, default 0.005; funding
"charge" (default) or "ignore". The instrument must have ct_val > 0 and ct_type linear or
inverse. Returns those fields and {"contract": {inst_type, ct_type, ct_val, settle_ccy, lever}}.
Any other instrument given one of the three fields: 22023 naming the field. Returns {} for spot.$$;

-- sql/0412_backtest_validate_backtest.sql
-- Validator of job kind backtest.
-- Depends on sql/0410, sql/0430 (swap fields) and sql/0401 (backtest.validate_params).

create or replace function backtest.validate_backtest(payload jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_strategy text;
  v_engine   text;
  v_out      jsonb;
begin
  perform queue.payload_reject_unknown(payload, 'backtest', array['inst_id', 'bar', 'from', 'to', 'fee_rate',
    'slippage_bps', 'capital', 'lot_size', 'strategy', 'engine', 'params', 'leverage', 'maintenance_margin_ratio',
    'funding']);
  v_out := backtest.payload_common(payload, 'backtest');
  v_out := v_out || backtest.payload_contract(payload, 'backtest', v_out ->> 'inst_id');
  v_strategy := queue.payload_text(payload, 'backtest', 'strategy');
  if v_strategy is not null then
    if payload ? 'engine' or payload ? 'params' then
      raise exception 'backtest payload: give either "strategy" or "engine" + "params", not both'
        using errcode = 'invalid_parameter_value';
    end if;
    if not exists (select 1 from backtest.strategies as s where s.name = v_strategy) then
      raise exception 'backtest payload: "strategy" % is not in backtest.strategies', pg_catalog.to_jsonb(v_strategy)
        using errcode = 'invalid_parameter_value';
    end if;
    return v_out || pg_catalog.jsonb_build_object('strategy', v_strategy);
  end if;
  v_engine := queue.payload_text(payload, 'backtest', 'engine', true);
  return v_out || pg_catalog.jsonb_build_object(
    'engine', v_engine,
    'params', backtest.validate_params(v_engine, payload -> 'params', 'backtest payload'));
end;
$$;
comment on function backtest.validate_backtest(jsonb) is
$$Validator of kind backtest.

Payload: inst_id, bar, from, to, optional fee_rate, slippage_bps, capital, lot_size (see
backtest.payload_common), for a SWAP or FUTURES instrument optional leverage,
maintenance_margin_ratio, funding (see backtest.payload_contract), and either {"strategy": name of backtest.strategies} or
{"engine": "sma_cross", "params": {"fast": 10, "slow": 30}} checked by backtest.validate_params.
Raises 22023 naming the field.$$;

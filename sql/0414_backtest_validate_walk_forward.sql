-- sql/0414_backtest_validate_walk_forward.sql
-- Validator of job kind walk_forward.
-- Depends on sql/0410, sql/0411 and sql/0430 (swap and future fields).

create or replace function backtest.validate_walk_forward(payload jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_train interval;
  v_test  interval;
  v_field text;
  v_text  text;
  v_mode  text;
  v_out   jsonb;
begin
  perform queue.payload_reject_unknown(payload, 'walk_forward', array['inst_id', 'bar', 'from', 'to', 'fee_rate',
    'slippage_bps', 'capital', 'lot_size', 'engine', 'params', 'grid', 'objective', 'min_trades',
    'train', 'test', 'mode', 'train_ms', 'test_ms', 'leverage', 'maintenance_margin_ratio', 'funding']);
  foreach v_field in array array['train', 'test'] loop
    v_text := queue.payload_text(payload, 'walk_forward', v_field, true);
    begin
      if v_field = 'train' then v_train := v_text::interval; else v_test := v_text::interval; end if;
    exception when invalid_datetime_format or datetime_field_overflow or interval_field_overflow then
      raise exception 'walk_forward payload: "%" must be an interval such as "30 days", got %', v_field,
        pg_catalog.to_jsonb(v_text)
        using errcode = 'invalid_parameter_value';
    end;
    if (case when v_field = 'train' then v_train else v_test end) <= interval '0' then
      raise exception 'walk_forward payload: "%" must be longer than 0, got %', v_field, pg_catalog.to_jsonb(v_text)
        using errcode = 'invalid_parameter_value';
    end if;
  end loop;
  v_mode := queue.payload_text(payload, 'walk_forward', 'mode', false, 'rolling');
  if v_mode not in ('rolling', 'anchored') then
    raise exception 'walk_forward payload: "mode" must be rolling or anchored, got %', pg_catalog.to_jsonb(v_mode)
      using errcode = 'invalid_parameter_value';
  end if;
  v_out := backtest.payload_common(payload, 'walk_forward');
  return v_out || backtest.payload_contract(payload, 'walk_forward', v_out ->> 'inst_id')
    || backtest.payload_optimization(payload, 'walk_forward')
    || pg_catalog.jsonb_build_object('train', v_train::text, 'test', v_test::text, 'mode', v_mode,
         'train_ms', (extract(epoch from v_train) * 1000)::bigint, 'test_ms', (extract(epoch from v_test) * 1000)::bigint);
end;
$$;
comment on function backtest.validate_walk_forward(jsonb) is
$$Validator of kind walk_forward.

Payload: the optimize fields plus train and test (intervals such as "30 days", > 0) and mode
(rolling or anchored, default rolling). The normalized payload adds train_ms and test_ms
(a month counts 30 days). For a SWAP or FUTURES instrument, the fields of
backtest.payload_contract (leverage, maintenance_margin_ratio, funding) and its contract terms:
each training and test window is simulated as a contract run. Raises 22023 naming the field.$$;

-- sql/0414_backtest_validate_walk_forward.sql
-- Validator of job kind walk_forward.
-- Depends on sql/0410, sql/0411 and sql/0430 (spot instruments only).

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
begin
  -- before the unknown-field check: a swap's leverage field is then explained, not just unknown
  perform backtest.payload_spot_only(payload, 'walk_forward');
  perform queue.payload_reject_unknown(payload, 'walk_forward', array['inst_id', 'bar', 'from', 'to', 'fee_rate',
    'slippage_bps', 'capital', 'lot_size', 'engine', 'params', 'grid', 'objective', 'min_trades',
    'train', 'test', 'mode', 'train_ms', 'test_ms']);
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
  return backtest.payload_common(payload, 'walk_forward') || backtest.payload_optimization(payload, 'walk_forward')
    || pg_catalog.jsonb_build_object('train', v_train::text, 'test', v_test::text, 'mode', v_mode,
         'train_ms', (extract(epoch from v_train) * 1000)::bigint, 'test_ms', (extract(epoch from v_test) * 1000)::bigint);
end;
$$;
comment on function backtest.validate_walk_forward(jsonb) is
$$Validator of kind walk_forward.

Payload: the optimize fields plus train and test (intervals such as "30 days", > 0) and mode
(rolling or anchored, default rolling). The normalized payload adds train_ms and test_ms
(a month counts 30 days). Spot instruments only: a SWAP or FUTURES inst_id is refused
(backtest.payload_spot_only). Raises 22023 naming the field.$$;

-- sql/0413_backtest_validate_optimize.sql
-- Validator of job kind optimize.
-- Depends on sql/0410, sql/0411 and sql/0430 (spot instruments only).

create or replace function backtest.validate_optimize(payload jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  -- before the unknown-field check: a swap's leverage field is then explained, not just unknown
  perform backtest.payload_spot_only(payload, 'optimize');
  perform queue.payload_reject_unknown(payload, 'optimize', array['inst_id', 'bar', 'from', 'to', 'fee_rate',
    'slippage_bps', 'capital', 'lot_size', 'engine', 'params', 'grid', 'objective', 'min_trades']);
  return backtest.payload_common(payload, 'optimize') || backtest.payload_optimization(payload, 'optimize');
end;
$$;
comment on function backtest.validate_optimize(jsonb) is
$$Validator of kind optimize.

Payload: the common fields (backtest.payload_common) plus engine, grid ({"fast": [5, 10],
"slow": [30, 50]}, at most 10,000 combinations), objective (a metric name, default sharpe),
min_trades (default 0) and optional fixed params. Spot instruments only: a SWAP or FUTURES
inst_id is refused (backtest.payload_spot_only). Raises 22023 naming the field.$$;

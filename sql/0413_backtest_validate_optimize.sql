-- sql/0413_backtest_validate_optimize.sql
-- Validator of job kind optimize.
-- Depends on sql/0410, sql/0411 and sql/0430 (swap and future fields).

create or replace function backtest.validate_optimize(payload jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_out jsonb;
begin
  perform queue.payload_reject_unknown(payload, 'optimize', array['inst_id', 'bar', 'from', 'to', 'fee_rate',
    'slippage_bps', 'capital', 'lot_size', 'engine', 'params', 'grid', 'objective', 'min_trades',
    'leverage', 'maintenance_margin_ratio', 'funding']);
  v_out := backtest.payload_common(payload, 'optimize');
  return v_out || backtest.payload_contract(payload, 'optimize', v_out ->> 'inst_id')
    || backtest.payload_optimization(payload, 'optimize');
end;
$$;
comment on function backtest.validate_optimize(jsonb) is
$$Validator of kind optimize.

Payload: the common fields (backtest.payload_common) plus engine, grid ({"fast": [5, 10],
"slow": [30, 50]}, at most 10,000 combinations), objective (a metric name, default sharpe),
min_trades (default 0) and optional fixed params; for a SWAP or FUTURES instrument the fields of
backtest.payload_contract (leverage, maintenance_margin_ratio, funding) and its contract terms,
so every combination is sized in contracts, pays funding and meets liquidations. Raises 22023
naming the field.$$;

#!/usr/bin/env bash
# bench/dashboard.sh: server time and page weight of the dashboard (not a test).
# Starts its own throwaway cluster, migrates it, generates 1,000,000 1m candles of one instrument,
# runs one real backtest job over all of them (candlestack worker --exit-when-idle), copies its
# metrics into 10,000 leaderboard runs, then starts `candlestack serve` as a candlestack_bi login
# and times with curl (time to last byte on 127.0.0.1, bytes downloaded):
#   1. /runs/ID of the 1,000,000-candle run (target < 300 ms and < 1 MB), first with every candle
#      new (no view refresh has run yet: bi.candle_buckets reads the raw candles of days with
#      unrefreshed changes), then after market.refresh_views() (what the refresh_views schedule
#      does every 5 minutes in a deployment; timed), when it reads the hourly rollups;
#   2. /backtests with 10,000 runs, the default 100 rows and limit=1000 (target < 300 ms and < 1 MB);
#   and their /api/ twins.
# Options (environment): REPS (default 5), CANDLESTACK_BIN (skip the release build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
reps=${REPS:-5}
echo "command: $0 $* (REPS=$reps) at $(date -u +%FT%TZ) on $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

bin=${CANDLESTACK_BIN:-}
if [ -z "$bin" ]; then
  swift build -c release --product candlestack >&2
  bin=$(swift build -c release --show-bin-path)/candlestack
fi

work=$(mktemp -d /tmp/candlestack-bench.XXXXXX)
chmod 755 "$work"
eval "$(scripts/db-start)"
serve_pid=
trap '[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; scripts/db-stop "$CANDLESTACK_PGDIR" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
createdb bench
export PGDATABASE=bench
"$bin" migrate --database-url dbname=bench >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; exit 1; }

q() { psql -X -qAt -v ON_ERROR_STOP=1 "$@"; }
q -c "select market.ensure_candle_partitions('2023-01-01Z', '2025-01-01Z')" >/dev/null
q <<'SQL'
insert into market.candles (inst_id, bar, ts, open, high, low, close, volume)
select 'BTC-USDT', '1m', ts, round(o::numeric, 2), round((greatest(o, c) * 1.0005)::numeric, 2),
       round((least(o, c) * 0.9995)::numeric, 2), round(c::numeric, 2), round((1 + abs(sin(i)))::numeric, 4)
  from (select i, '2023-01-01Z'::timestamptz + make_interval(mins => i) as ts,
               30000 + 3000 * sin(i / 5000.0) + 500 * sin(i / 333.0) + 100 * sin(i / 17.0) + i * 0.01 as o,
               30000 + 3000 * sin((i + 1) / 5000.0) + 500 * sin((i + 1) / 333.0) + 100 * sin((i + 1) / 17.0) + (i + 1) * 0.01 as c
          from generate_series(0, 999999) as i) as s;
vacuum analyze market.candles;
SQL
range='"inst_id": "BTC-USDT", "bar": "1m", "from": "2023-01-01", "to": "2024-11-25T10:40:00Z"'
job=$(q -c "select id from queue.enqueue('backtest', '{$range, \"engine\": \"sma_cross\", \"params\": {\"fast\": 60, \"slow\": 240}}')")
"$bin" worker --database-url dbname=bench --exit-when-idle --concurrency 1 --kinds backtest 2>"$work/worker.log" \
  || { tail -20 "$work/worker.log" >&2; exit 1; }
run=$(q -c "select id from backtest.runs where job_id = $job")
q <<SQL
-- 9,999 more leaderboard runs: copies of the real one with other params and metrics.
with src as (select * from backtest.runs where id = $run)
insert into backtest.runs (job_id, kind, engine, params, inst_id, bar, from_ts, to_ts, fee_rate, slippage_bps, capital,
                           lot_size, candle_count, started_at)
select null, 'backtest', 'sma_cross', jsonb_build_object('fast', 1 + i % 99, 'slow', 100 + i), inst_id, bar, from_ts, to_ts,
       fee_rate, slippage_bps, capital, lot_size, candle_count, started_at
  from src, generate_series(1, 9999) as i;
insert into backtest.metrics
select r.id, m.final_equity, m.total_return_pct + (r.id % 97) - 48, m.cagr_pct, m.volatility_ann_pct, m.sharpe + (r.id % 89) / 50.0,
       m.sortino, m.calmar, m.max_drawdown_pct, m.max_drawdown_duration, m.n_trades, m.win_rate_pct, m.profit_factor,
       m.expectancy, m.avg_trade_pct, m.best_trade_pct, m.worst_trade_pct, m.exposure_pct, m.fees_paid,
       m.buy_hold_return_pct, m.bars, m.span_days, m.annualised_reliable
  from backtest.runs as r, backtest.metrics as m where m.run_id = $run and r.id <> $run;
analyze;
create role bench_bi login in role candlestack_bi;
SQL
candles=$(q -c "select candle_count from backtest.runs where id = $run")
trades=$(q -c "select count(*) from backtest.trades where run_id = $run")
runs=$(q -c "select count(*) from bi.backtest_leaderboard")

"$bin" serve --port 0 --database-url "dbname=bench user=bench_bi" >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 100); do grep -q '127.0.0.1:' "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o '127.0.0.1:[0-9]*' "$work/serve.log" | cut -d: -f2)
base="http://127.0.0.1:$port"

measure() {  # path target_ms target_bytes
  local size=0 t s times=()
  curl -s -o /dev/null "$base$1"   # warm the connection's plan cache
  for _ in $(seq "$reps"); do
    read -r t s < <(curl -s -o /dev/null -w '%{time_total} %{size_download}\n' "$base$1")
    times+=("$(echo "$t * 1000" | bc -l | cut -d. -f1)")
    size=$s
  done
  local sorted best median
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  best=$(echo "$sorted" | head -1)
  median=$(echo "$sorted" | sed -n "$(( (${#times[@]} + 1) / 2 ))p")
  printf '   %-34s median %6s ms, best %6s ms (target < %s) %9s bytes (target < %s)\n' "$1" "$median" "$best" "$2" "$size" "$3"
}

echo
echo "data: run $run over $candles 1m candles with $trades trades; $runs runs in bi.backtest_leaderboard"
echo "median and best of $reps requests each (curl time_total on 127.0.0.1, bytes of the body)"
echo
echo "1a. run page of the $candles-candle run (candles folded into 800 buckets in SQL), before any view refresh"
measure "/runs/$run" 300 1000000
measure "/api/runs/$run" 300 1000000
t0=$(date +%s%N)
q -c "select count(*) from market.refresh_views()" >/dev/null
q -c "analyze market.bi_candle_hours"
echo "   market.refresh_views() over the $candles new candles: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
echo "1b. the same after the refresh (hourly rollups)"
measure "/runs/$run" 300 1000000
measure "/api/runs/$run" 300 1000000
measure "/runs/$run?trades_page=25" 300 1000000
echo
echo "2. leaderboard with $runs runs"
measure "/backtests" 300 1000000
measure "/backtests?limit=1000" 300 1000000
measure "/api/backtests?limit=1000" 300 1000000

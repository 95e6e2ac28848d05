#!/usr/bin/env bash
# bench/backtest-db.sh: figures for backtests from the database to stored metrics (not a test).
# Starts its own throwaway cluster (real fsync), migrates it, generates 1,000,000 1m candles of one
# instrument in SQL, then runs through `candlestack worker --exit-when-idle` (release build):
#   1. a `backtest` job of sma_cross 10/30 over all of them: load/compute/store ms from backtest.runs
#      (target < 1 s DB to stored metrics; backtesting.py 4.8 s, vectorbt 0.21 s warm, 18 s cold);
#   2. an `optimize` job of a 100-pair SMA grid on the same candles: wall time and the worker's peak
#      memory (target < 3 s; vectorbt warm 26 s, peaks 10.8 GB).
# Options (environment): REPS (default 3), CANDLESTACK_BIN (skip the release build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
reps=${REPS:-3}
echo "command: $0 $* (REPS=$reps) at $(date -u +%FT%TZ) on $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

bin=${CANDLESTACK_BIN:-}
if [ -z "$bin" ]; then
  swift build -c release --product candlestack >&2
  bin=$(swift build -c release --show-bin-path)/candlestack
fi

work=$(mktemp -d /tmp/candlestack-bench.XXXXXX)
chmod 755 "$work"
eval "$(scripts/db-start)"
trap 'scripts/db-stop "$CANDLESTACK_PGDIR" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
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
checkpoint;
SQL
rows=$(q -c "select count(*) from market.candles")
range='"inst_id": "BTC-USDT", "bar": "1m", "from": "2023-01-01", "to": "2024-11-25T10:40:00Z"'

# Runs the queued jobs with a release worker; prints "wall_seconds peak_rss_kb".
run_worker() {
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/rss" "$bin" worker --database-url dbname=bench --exit-when-idle --concurrency 1 \
    --kinds "$1" 2>"$work/worker.log" || { tail -20 "$work/worker.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  echo "$(echo "$t1 - $t0" | bc -l) $(tail -1 "$work/rss")"
}

echo
echo "candles: $rows 1m candles of BTC-USDT in market.candles (numeric prices, monthly partitions)"
echo
echo "1. backtest sma_cross fast=10 slow=30, DB to stored metrics (target < 1 s)"
printf '   %-5s %8s %8s %8s %8s %10s %8s %8s %10s\n' rep load_ms compute store_ms total_ms candles trades worker_s peak_rss
for rep in $(seq "$reps"); do
  job=$(q -c "select id from queue.enqueue('backtest', '{$range, \"engine\": \"sma_cross\", \"params\": {\"fast\": 10, \"slow\": 30}}')")
  read -r wall rss < <(run_worker backtest)
  q -F' ' -c "select round(r.load_ms::numeric, 0), round(r.compute_ms::numeric, 0), round(r.store_ms::numeric, 0),
                     round((r.load_ms + r.compute_ms + r.store_ms)::numeric, 0), r.candle_count, m.n_trades
                from backtest.runs r join backtest.metrics m on m.run_id = r.id where r.job_id = $job" \
    | while read -r l c s t n tr; do printf '   %-5s %8s %8s %8s %8s %10s %8s %8.2f %7s MB\n' "$rep" "$l" "$c" "$s" "$t" "$n" "$tr" "$wall" "$((rss / 1024))"; done
done
echo "   (total = load + compute + store as the worker measured them; worker_s includes process start,"
echo "    connect, claim and completion. References here: backtesting.py 4.8 s, vectorbt 0.21 s warm, 18 s cold.)"

echo
echo "2. optimize: 100 SMA pairs (fast 5..50 step 5 x slow 60..240 step 20) on the same candles (target < 3 s)"
printf '   %-5s %9s %9s %9s %9s %10s\n' rep load_ms grid_ms store_ms worker_s peak_rss
for rep in $(seq "$reps"); do
  job=$(q -c "select id from queue.enqueue('optimize', '{$range, \"engine\": \"sma_cross\", \"objective\": \"sharpe\",
               \"grid\": {\"fast\": [5, 10, 15, 20, 25, 30, 35, 40, 45, 50], \"slow\": [60, 80, 100, 120, 140, 160, 180, 200, 220, 240]}}')")
  read -r wall rss < <(run_worker optimize)
  q -F' ' -c "select round(load_ms::numeric, 0), round(compute_ms::numeric, 0), round(store_ms::numeric, 0)
                from backtest.runs where job_id = $job" \
    | while read -r l c s; do printf '   %-5s %9s %9s %9s %9.2f %7s MB\n' "$rep" "$l" "$c" "$s" "$wall" "$((rss / 1024))"; done
done
echo "   combinations stored: $(q -c "select count(*) from backtest.optimization_results where run_id = (select max(run_id) from backtest.optimizations)")"
echo "   (grid_ms = the 100 combinations plus the full run of the best; references here: vectorbt warm 26 s, peaks 10.8 GB)"
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (figures above scale with other work on the machine)"

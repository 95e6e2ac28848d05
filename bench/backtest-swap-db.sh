#!/usr/bin/env bash
# bench/backtest-swap-db.sh: a SWAP backtest with funding beside the same backtest on spot, from
# the database to stored metrics (not a test). Starts its own throwaway cluster (real fsync),
# migrates it, generates 1,000,000 1m candles of BTC-USDT and the same prices for BTC-USDT-SWAP
# (linear, ct_val 0.01, lever 100) plus 8-hourly funding rows over the range, then runs one
# `backtest` job of sma_cross 10/30 on each, alternately, through `candlestack worker
# --exit-when-idle` (release build). The swap run loads funding (backtest.funding_missing and
# funding_events) and 1,000,000 1m mark candles (the rows of backtest.mark_range, by binary COPY)
# on a connection of its own while the candles load; its load_ms includes that.
# Target: swap within 1.3x of spot.
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
select inst, '1m', ts, round(o::numeric, 2), round((greatest(o, c) * 1.0005)::numeric, 2),
       round((least(o, c) * 0.9995)::numeric, 2), round(c::numeric, 2), round((1 + abs(sin(i)))::numeric, 4)
  from (select i, '2023-01-01Z'::timestamptz + make_interval(mins => i) as ts,
               30000 + 3000 * sin(i / 5000.0) + 500 * sin(i / 333.0) + 100 * sin(i / 17.0) + i * 0.01 as o,
               30000 + 3000 * sin((i + 1) / 5000.0) + 500 * sin((i + 1) / 333.0) + 100 * sin((i + 1) / 17.0) + (i + 1) * 0.01 as c
          from generate_series(0, 999999) as i) as s,
       (values ('BTC-USDT'), ('BTC-USDT-SWAP')) as v (inst);
insert into market.instruments (inst_id, inst_type, settle_ccy, ct_val, ct_type, lot_sz, raw)
values ('BTC-USDT-SWAP', 'SWAP', 'USDT', 0.01, 'linear', 0.01, '{"lever": "100"}');
insert into market.funding_rates (inst_id, funding_time, rate)
select 'BTC-USDT-SWAP', t, round((0.0001 * sin(extract(epoch from t) / 100000))::numeric, 8)
  from generate_series('2022-12-31 16:00Z'::timestamptz, '2024-11-26 00:00Z', '8 hours') as t;
select market.ensure_mark_index_candle_partitions('2023-01-01Z', '2025-01-01Z');
insert into market.mark_index_candles (ts, price_type, inst_id, bar, open, high, low, close)
select c.ts, 'mark', c.inst_id, c.bar, round(c.open * 1.0001, 2), round(c.high * 1.0001, 2), round(c.low * 1.0001, 2),
       round(c.close * 1.0001, 2)
  from market.candles as c where c.inst_id = 'BTC-USDT-SWAP' and c.bar = '1m';
vacuum analyze market.candles;
vacuum analyze market.funding_rates;
vacuum analyze market.mark_index_candles;
checkpoint;
SQL
rows=$(q -c "select count(*) from market.candles")
funding=$(q -c "select count(*) from market.funding_rates")
marks=$(q -c "select count(*) from market.mark_index_candles where price_type = 'mark'")
range='"bar": "1m", "from": "2023-01-01", "to": "2024-11-25T10:40:00Z"'

run_worker() {
  local t0 t1
  t0=$(date +%s.%N)
  "$bin" worker --database-url dbname=bench --exit-when-idle --concurrency 1 --kinds backtest 2>"$work/worker.log" \
    || { tail -20 "$work/worker.log" >&2; exit 1; }
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

echo
echo "candles: $rows 1m candles (1,000,000 each of BTC-USDT and BTC-USDT-SWAP); $funding funding rows; $marks mark candles"
echo
echo "backtest sma_cross fast=10 slow=30, DB to stored metrics; swap: leverage 3, funding charged (target: swap total within 1.3x of spot)"
printf '   %-4s %-14s %8s %8s %8s %8s %8s %9s %9s\n' rep inst load_ms compute store_ms total_ms trades payments worker_s
: >"$work/totals"
for rep in $(seq "$reps"); do
  for inst in BTC-USDT BTC-USDT-SWAP; do
    extra=''
    [ "$inst" = BTC-USDT-SWAP ] && extra=', "leverage": 3'
    job=$(q -c "select id from queue.enqueue('backtest', '{\"inst_id\": \"$inst\", $range, \"engine\": \"sma_cross\", \"params\": {\"fast\": 10, \"slow\": 30}$extra}')")
    wall=$(run_worker)
    q -F' ' -c "select round(r.load_ms::numeric, 0), round(r.compute_ms::numeric, 0), round(r.store_ms::numeric, 0),
                       round((r.load_ms + r.compute_ms + r.store_ms)::numeric, 0), m.n_trades,
                       (select count(*) from backtest.funding_payments as f where f.run_id = r.id)
                  from backtest.runs r join backtest.metrics m on m.run_id = r.id where r.job_id = $job" \
      | while read -r l c s t tr fp; do
          printf '   %-4s %-14s %8s %8s %8s %8s %8s %9s %9.2f\n' "$rep" "$inst" "$l" "$c" "$s" "$t" "$tr" "$fp" "$wall"
          echo "$inst $t" >>"$work/totals"
        done
  done
done
awk '{ s[$1] += $2; n[$1]++ } END {
  spot = s["BTC-USDT"] / n["BTC-USDT"]; swap = s["BTC-USDT-SWAP"] / n["BTC-USDT-SWAP"];
  printf "   mean total: spot %.0f ms, swap %.0f ms: swap/spot = %.2fx (target <= 1.3x)\n", spot, swap, swap / spot }' "$work/totals"
echo "   (total = load + compute + store as the worker measured them; the swap's load includes funding and mark lookups)"
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (figures above scale with other work on the machine)"

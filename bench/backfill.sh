#!/usr/bin/env bash
# bench/backfill.sh: backfill throughput against okx-sim at OKX's real limits (figures, not a test).
# Starts a throwaway cluster (real fsync) and okx-sim (--rate-limit-scale 1), then times
#   1. a 30-day 1m backfill of one instrument with one `candlestack worker --exit-when-idle`;
#   2. 30 days of 3 instruments with 2 worker processes sharing one --rate-key.
# Prints candles/s beside the bound (3,000/s: 20 req / 2 s x 300 rows on /history-candles;
# /market/candles serves the newest 1,440 bars alongside) and the refused requests from /sim/stats.
# Options (environment): CANDLESTACK_BIN, OKX_SIM_BIN (default: the release build), DAYS (30).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
days=${DAYS:-30}
echo "command: $0 $* (DAYS=$days) at $(date -u +%FT%TZ) on $(nproc) cores"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share these cores; figures vary with it)"

bin=${CANDLESTACK_BIN:-}
sim_bin=${OKX_SIM_BIN:-}
if [ -z "$bin" ] || [ -z "$sim_bin" ]; then
  swift build -c release --product candlestack >&2
  swift build -c release --product okx-sim >&2
  bin=${bin:-$(swift build -c release --show-bin-path)/candlestack}
  sim_bin=${sim_bin:-$(swift build -c release --show-bin-path)/okx-sim}
fi


work=$(mktemp -d /tmp/candlestack-bench.XXXXXX)
chmod 755 "$work"
sim_pid=
eval "$(scripts/db-start)"
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
  scripts/db-stop "$CANDLESTACK_PGDIR" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
createdb bench
export PGDATABASE=bench
"$bin" migrate --database-url dbname=bench >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; exit 1; }

# okx-sim with a frozen clock (deterministic data), history from 60 days before it, OKX's limits.
now_ms=1710074040000                        # 2024-03-10T12:34:00Z
from_sim=$(( now_ms - 60 * 86400000 ))
"$sim_bin" --port 0 --seed 1 --from "$from_sim" --now "$now_ms" --rate-limit-scale 1 >"$work/sim.out" 2>&1 &
sim_pid=$!
for _ in $(seq 100); do grep -q 'listening on' "$work/sim.out" && break; sleep 0.05; done
url=$(sed -n 's/^okx-sim listening on //p' "$work/sim.out")
[ -n "$url" ] || { echo "okx-sim did not start" >&2; cat "$work/sim.out" >&2; exit 1; }
echo "okx-sim: $url (--rate-limit-scale 1, --now $now_ms)"

iso() { date -u -d "@$(( $1 / 1000 ))" +%FT%TZ; }
from_iso=$(iso $(( now_ms - days * 86400000 )))
to_iso=$(iso $(( now_ms + 60000 )))          # includes the forming bar
now() { date +%s.%N; }
refused() { curl -s "$url/sim/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin)["endpoints"]; print(sum(v["refused"] for v in d.values()))'; }
requests() { curl -s "$url/sim/stats" | python3 -c 'import json,sys; d=json.load(sys.stdin)["endpoints"]; print(" ".join("%s=%d accepted/%d refused" % (k, v["accepted"], v["refused"]) for k, v in sorted(d.items()) if v["accepted"] or v["refused"]))'; }
worker() { "$bin" worker --database-url dbname=bench --okx-base-url "$url" --rate-key bench-host --kinds backfill \
             --concurrency "${1:-1}" --exit-when-idle --log-level warning 2>>"$work/worker.log"; }
job_secs() { psql -X -At -c "select extract(epoch from max(finished_at) - min(started_at)) from queue.jobs where kind = 'backfill'"; }
report() {  # label candles seconds job_seconds bound
  python3 - "$@" <<'PY'
import sys
label, n, wall, job, bound = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
print(f"{label}: {n} candles in {wall:.2f} s wall ({job:.2f} s from first claim to last finish)")
print(f"  {n / wall:,.0f} candles/s wall, {n / job:,.0f} candles/s job   target >= {0.95 * bound:,.0f}/s (95% of {bound:,.0f}/s); "
      f"peers: ccxt 2,720/s (2,800/s both endpoints), freqtrade ~907/s")
PY
}

# 1. one instrument, one worker
curl -s -X POST "$url/sim/stats/reset" >/dev/null
"$bin" backfill --database-url dbname=bench --inst BTC-USDT --bar 1m --from "$from_iso" --to "$to_iso" >/dev/null
t0=$(now); worker 1; t1=$(now)
n=$(psql -X -At -c "select count(*) from market.candles where inst_id = 'BTC-USDT' and bar = '1m'")
echo
echo "$ candlestack worker --okx-base-url $url --rate-key bench-host --kinds backfill --concurrency 1 --exit-when-idle"
report "1 instrument, 1 worker, $days days 1m" "$n" "$(echo "$t1 - $t0" | bc)" "$(job_secs)" 3000
echo "  refused requests: $(refused) (target 0); requests: $(requests)"
echo "  job: $(psql -X -At -c "select status || ' ' || coalesce(last_error, '') from queue.jobs where kind = 'backfill'")"

# 2. three instruments, two worker processes sharing one rate key
psql -X -q -c "delete from queue.jobs"
curl -s -X POST "$url/sim/stats/reset" >/dev/null
for inst in ETH-USDT SOL-USDT XRP-USDT; do
  "$bin" backfill --database-url dbname=bench --inst "$inst" --bar 1m --from "$from_iso" --to "$to_iso" >/dev/null
done
t0=$(now); worker 2 & w1=$!; worker 2 & w2=$!; wait $w1 $w2; t1=$(now)
n=$(psql -X -At -c "select count(*) from market.candles where inst_id in ('ETH-USDT', 'SOL-USDT', 'XRP-USDT')")
echo
echo "$ 2 x candlestack worker --okx-base-url $url --rate-key bench-host --kinds backfill --concurrency 2 --exit-when-idle"
report "3 instruments, 2 workers, $days days 1m" "$n" "$(echo "$t1 - $t0" | bc)" "$(job_secs)" 3000
echo "  refused requests: $(refused) (target 0); requests: $(requests)"
psql -X -At -c "select '  job ' || id || ' ' || status || ' ' || coalesce(last_error, '') from queue.jobs where kind = 'backfill' order by id"

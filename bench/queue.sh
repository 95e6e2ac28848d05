#!/usr/bin/env bash
# bench/queue.sh: job queue throughput and wake-up latency (prints figures; not a test).
#
#   bench/queue.sh [JOBS]        default 20000
#
# 1. Throughput: JOBS noop jobs inserted first, then 2 `candlestack worker` processes drain them
#    (claims and completions batched). jobs/s = JOBS / (last finished_at - first started_at).
# 2. Wake-up latency: one idle worker (poll interval 60 s, so only NOTIFY wakes it); single noop
#    jobs inserted one at a time by pgbench at 50/s; latency = started_at - created_at per job.
# 3. Where that latency goes (bench/wakeup-floor): queue jobs alternated with INSERTs into a plain
#    one-column table with a NOTIFY trigger, answered by a bare listener: the machine's floor for
#    a durable INSERT + NOTIFY + the next query, the queue INSERT's cost over it, the worker's.
# A throwaway cluster with real fsync; release build.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-20000}
concurrency=${BENCH_CONCURRENCY:-200}
scripts/setup
swift build -c release --product candlestack >/dev/null
swift build -c release --product bench-wakeup-floor >/dev/null
bin=$(swift build -c release --show-bin-path)/candlestack
floor=$(swift build -c release --show-bin-path)/bench-wakeup-floor
eval "$(scripts/db-start)"
trap 'kill $(jobs -p) 2>/dev/null || true; scripts/db-stop "$CANDLESTACK_PGDIR"' EXIT
createdb bench
export DATABASE_URL="dbname=bench"
"$bin" migrate >/dev/null
q() { psql -X -qtA -d bench -c "$1"; }

echo "== throughput: $jobs noop jobs, 2 worker processes (concurrency $concurrency each)"
q "insert into queue.jobs (kind, payload) select 'noop', '{}' from generate_series(1, $jobs)"
q "checkpoint"
start=$(date +%s.%N)
"$bin" worker --concurrency "$concurrency" --exit-when-idle --log-level warning & w1=$!
"$bin" worker --concurrency "$concurrency" --exit-when-idle --log-level warning & w2=$!
wait $w1 $w2
end=$(date +%s.%N)
read -r done span rate <<<"$(q "select count(*) filter (where status = 'succeeded'),
  round(extract(epoch from max(finished_at) - min(started_at))::numeric, 3),
  round(count(*) filter (where status = 'succeeded') / extract(epoch from max(finished_at) - min(started_at))::numeric)
  from queue.jobs" | tr '|' ' ')"
printf '  succeeded %s of %s; claim-to-complete span %s s; wall with process start-up %.2f s\n' "$done" "$jobs" "$span" "$(echo "$end - $start" | bc)"
printf '  throughput: %s jobs/s   (target >= 20,000; pgqueuer 8,600 default / ~21,000 batched; procrastinate 850)\n' "$rate"

echo "== wake-up latency: idle worker, single jobs at 50/s for 10 s"
q "delete from queue.job_events; delete from queue.jobs"
"$bin" worker --concurrency 4 --poll-seconds 60 --log-level warning & w=$!
sleep 1
pgb=$(dirname "$(command -v initdb 2>/dev/null || echo /usr/lib/postgresql/15/bin/initdb)")/pgbench
[ -x "$pgb" ] || pgb=$(ls /usr/lib/postgresql/*/bin/pgbench | tail -1)
echo "insert into queue.jobs (kind, payload) values ('noop', '{}');" > "$CANDLESTACK_PGDIR/one.sql"
"$pgb" -n -f "$CANDLESTACK_PGDIR/one.sql" -R 50 -T 10 -c 1 bench >"$CANDLESTACK_PGDIR/pgbench.log" 2>&1 || { cat "$CANDLESTACK_PGDIR/pgbench.log" >&2; exit 1; }
sleep 1
q "select 'jobs ' || count(*) ||
          ';  p50 ' || round((percentile_cont(0.5) within group (order by ms))::numeric, 3) ||
          ' ms;  p95 ' || round((percentile_cont(0.95) within group (order by ms))::numeric, 3) ||
          ' ms;  p99 ' || round((percentile_cont(0.99) within group (order by ms))::numeric, 3) || ' ms'
     from (select extract(epoch from started_at - created_at) * 1000 as ms from queue.jobs where status = 'succeeded') s" | sed 's/^/  /'
echo "  (target p50 < 1 ms, p99 < 3 ms; pgqueuer and procrastinate p50 about 1.5 ms)"
echo "== where the latency goes: queue jobs alternated with a plain INSERT + NOTIFY, 20 ms apart, 10 s"
"$floor" 10
kill -TERM $w; wait $w || true
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== command: bench/queue.sh $jobs"

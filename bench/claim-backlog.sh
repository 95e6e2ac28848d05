#!/usr/bin/env bash
# bench/claim-backlog.sh: claim time of a backtest-only worker (queue.claim with kinds {backtest})
# behind a backlog of other kinds, with the claim index by kind (migrations/0013) and without it.
# Starts its own throwaway cluster (real fsync), migrates it, prints figures, stops it. Not a test.
# Usage: bench/claim-backlog.sh [BACKLOG (200000)] [CLAIMS (200)] [REPEATS (3)]
#   empty : only CLAIMS backtest jobs queued: the target.
#   after : BACKLOG ingest and noop jobs (half each) queued ahead of them; this tree's claim and index.
#   before: the same backlog; the claim of commit 86b0296 and only its index (jobs_claimable).
# Each figure is the median over REPEATS runs of the median latency of CLAIMS claims of one job (pgbench, one client, each claim its
# own transaction, synchronous_commit off so the WAL flush does not hide the claim's work); also with kinds {backtest,optimize,walk_forward} (a backtest worker's usual list).
# Options (environment): CANDLESTACK_BIN (default: the debug build, built when missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
backlog=${1:-200000}
claims=${2:-200}
repeats=${3:-3}
echo "command: $0 $* at $(date -u +%FT%TZ) on $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

bin=${CANDLESTACK_BIN:-}
if [ -z "$bin" ]; then
  swift build --product candlestack >&2
  bin=$(swift build --show-bin-path)/candlestack
fi
work=$(mktemp -d /tmp/candlestack-bench.XXXXXX)
eval "$(scripts/db-start)"
trap 'scripts/db-stop "$CANDLESTACK_PGDIR" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
createdb bench
export PGDATABASE=bench
"$bin" migrate --database-url dbname=bench >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; exit 1; }
q() { psql -X -qAt -v ON_ERROR_STOP=1 "$@"; }
printf 'PostgreSQL %s, fsync on; %s claims of 1 job per run, median of %s runs per figure\n' "$(q -c 'show server_version')" "$claims" "$repeats"

# The backtest jobs come last in claim order: priority 100 like noop, but a later run_at.
q <<SQL
insert into backtest.strategies (name, engine, params) values ('bench-sma', 'sma_cross', '{"fast": 10, "slow": 30}');
insert into queue.jobs (kind, payload, run_at)
select 'backtest', '{"inst_id": "BTC-USDT", "bar": "1m", "from": "2024-01-01", "to": "2024-02-01", "strategy": "bench-sma"}',
       now() - interval '1 minute'
  from generate_series(1, $claims);
SQL
requeue() { # put the claimed backtest jobs back as they were, and tidy up
  q -c "update queue.jobs set status = 'queued', attempts = 0, locked_by = null, lease_until = null, started_at = null
         where kind = 'backtest' and status = 'running'"
  q -c 'vacuum analyze queue.jobs'
}
cat >"$work/one.sql" <<'SQL'
select count(*) from queue.claim('bench', array['backtest'], 1, '30 s');
SQL
cat >"$work/three.sql" <<'SQL'
select count(*) from queue.claim('bench', array['backtest', 'optimize', 'walk_forward'], 1, '30 s');
SQL
measure() { # median of $repeats runs: measure_once, with a requeue between runs
  local r out=()
  for r in $(seq "$repeats"); do
    out+=("$(measure_once "$1")")
    [ "$r" = "$repeats" ] || requeue
  done
  python3 -c "import sys,statistics; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.3f}')" "${out[@]}"
}
measure_once() { # prints the median latency in ms of $claims claims of script $1 (pgbench's per-transaction log)
  rm -f "$work"/tx.*
  # synchronous_commit off: the figure is the claim's own work, not the WAL flush every commit waits for.
  PGOPTIONS='-c synchronous_commit=off' pgbench -n -t "$claims" -c 1 -f "$work/$1.sql" -l --log-prefix="$work/tx" bench \
    >"$work/pgbench.log" 2>&1 || { cat "$work/pgbench.log" >&2; exit 1; }
  left=$(q -c "select count(*) from queue.jobs where kind = 'backtest' and status = 'queued'")
  [ "$left" = 0 ] || echo "warning: $left backtest jobs not claimed" >&2
  cat "$work"/tx.* | python3 -c "import sys,statistics; print(f'{statistics.median(int(l.split()[2]) for l in sys.stdin)/1000:.3f}')"
}
row() { # name one_ms three_ms empty_one_ms
  printf '%-7s %14s %22s %18s\n' "$1" "$2" "$3" "$(python3 -c "print(f'{$2/$4:.1f}x')")"
}

q -c 'vacuum analyze queue.jobs'
measure_once one >/dev/null; requeue   # warm-up: the first claims of a session plan the function's statements
empty1=$(measure one); requeue; empty3=$(measure three); requeue

t0=$(date +%s.%N)
q -c "insert into queue.jobs (kind, payload, run_at)
      select case when i % 2 = 0 then 'ingest' else 'noop' end,
             case when i % 2 = 0 then '{\"inst_id\": \"BTC-USDT\", \"bar\": \"1m\"}'::jsonb else '{}'::jsonb end,
             now() - interval '1 hour'
        from generate_series(1, $backlog) as i"
q -c 'vacuum analyze queue.jobs'
t1=$(date +%s.%N)
after1=$(measure one); requeue; after3=$(measure three); requeue

# before: the claim function of 86b0296 and no index by kind
git show 86b0296:sql/0220_queue_claim.sql >"$work/old_claim.sql"
q -1 -f "$work/old_claim.sql"
q -c 'drop index queue.jobs_claimable_by_kind'
before1=$(measure one); requeue; before3=$(measure three); requeue

# How long migration 0013's plain build holds its SHARE lock on this table.
q -c "delete from queue.jobs where kind = 'backtest'" ; q -c 'vacuum analyze queue.jobs'
t2=$(date +%s.%N)
q -c "create index jobs_claimable_by_kind on queue.jobs (kind, priority, run_at, id) where status = 'queued'"
t3=$(date +%s.%N)
rows=$(q -c 'select count(*) from queue.jobs')

echo "backlog: $backlog queued jobs ahead ($((backlog / 2)) ingest, $((backlog - backlog / 2)) noop), inserted in $(python3 -c "print(f'{$t1-$t0:.1f}')") s"
printf '%-7s %14s %22s %18s\n' case 'claim ms, {backtest}' 'claim ms, 3 backtest kinds' 'vs empty ({backtest})'
row empty "$empty1" "$empty3" "$empty1"
row after "$after1" "$after3" "$empty1"
row before "$before1" "$before3" "$empty1"
echo "target: 'after' about equal to 'empty' (the claim reads its own kinds' heads, not the backlog)"
echo "index build (migration 0013, plain CREATE INDEX under SHARE lock) over $rows rows: $(python3 -c "print(f'{($t3-$t2)*1000:.0f}')") ms"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

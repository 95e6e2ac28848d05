#!/usr/bin/env bash
# bench/queue-sql.sh: SQL-level queue throughput: no-op jobs claimed and completed by 2 concurrent clients.
# Starts its own throwaway cluster with real fsync (scripts/db-start), prints figures, stops it. Not a test.
# Usage: bench/queue-sql.sh [JOBS (20000)] [BATCH SIZES ("50 100 200")] [REPEATS (3)]
# Each figure is the median of REPEATS runs, each on a fresh database.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${1:-20000}
batches=${2:-"50 100 200"}
repeats=${3:-3}
clients=2
target=20000

eval "$("$root/scripts/db-start")"
trap 'scripts_dir="$root/scripts"; "$scripts_dir/db-stop" "$CANDLESTACK_PGDIR" >/dev/null 2>&1 || true' EXIT
work=$(mktemp -d)

now() { date +%s.%N; }
rate() { python3 -c "import sys; n,t=float(sys.argv[1]),float(sys.argv[2]); print(f'{n/t:,.0f}')" "$@"; }

# A fresh database with the queue schema only (the market files are not needed here).
fresh_db() {
  local db=$1
  createdb "$db"
  for f in "$root"/migrations/0001_*.sql "$root"/migrations/0002_*.sql "$root"/migrations/0005_*.sql "$root"/sql/02*.sql; do
    psql -q -X -d "$db" -v ON_ERROR_STOP=1 -1 -f "$f" >/dev/null
  done
}

# Each line is its own autocommitted transaction: one claim, then one complete of what it got.
cat >"$work/plain.sql" <<'SQL'
select coalesce(array_agg(id)::text, '{}') as ids from queue.claim('w' || :client_id, null, :batch, '30 s') \gset
select count(*) from queue.complete_many(:ids::bigint[], 'w' || :client_id);
SQL
# The same, also writing a 'claimed' and a 'succeeded' event row per job in the same statements.
cat >"$work/events.sql" <<'SQL'
with c as (select id from queue.claim('w' || :client_id, null, :batch, '30 s')),
     e as (insert into queue.job_events (job_id, event, worker_id) select id, 'claimed', 'w' || :client_id from c)
select coalesce(array_agg(id)::text, '{}') as ids from c \gset
with d as (select id from queue.complete_many(:ids::bigint[], 'w' || :client_id) as id),
     e as (insert into queue.job_events (job_id, event, worker_id) select id, 'succeeded', 'w' || :client_id from d)
select count(*) from d;
SQL

printf 'PostgreSQL %s, %s cores, fsync on, synchronous_commit on; %s no-op jobs, %s clients (pgbench), target %s jobs/s\n' \
  "$(psql -X -At -c 'show server_version')" "$(nproc)" "$jobs" "$clients" "$target"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (the machine may be shared: compare best and median)"
printf '%-8s %6s %12s %10s %10s %10s %10s  %s\n' variant batch insert_j/s median_j/s best_j/s stmts/job vs_target 'runs (jobs/s)'
n=0
median() { python3 -c "import sys,statistics; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.0f}')" "$@"; }
best() { python3 -c "import sys; print(f'{max(float(x) for x in sys.argv[1:]):.0f}')" "$@"; }
for variant in plain events; do
  for batch in $batches; do
    ins=(); runs=()
    for rep in $(seq "$repeats"); do
      n=$((n + 1)); db="qb$n"
      fresh_db "$db"
      t0=$(now)
      psql -X -q -d "$db" -v ON_ERROR_STOP=1 -c "insert into queue.jobs (kind, payload) select 'noop', '{}' from generate_series(1, $jobs)"
      t1=$(now)
      psql -X -q -d "$db" -c 'vacuum analyze queue.jobs'
      per_client=$(( (jobs + clients * batch - 1) / (clients * batch) + 1 ))
      t2=$(now)
      pgbench -n -M prepared -c "$clients" -j "$clients" -t "$per_client" -D batch="$batch" -f "$work/$variant.sql" "$db" >"$work/pgbench.$n.log" 2>&1 \
        || { cat "$work/pgbench.$n.log" >&2; exit 1; }
      t3=$(now)
      left=$(psql -X -At -d "$db" -c "select count(*) from queue.jobs where status <> 'succeeded'")
      [ "$left" = 0 ] || echo "warning: $left jobs not succeeded in $db" >&2
      ins+=("$(python3 -c "print($jobs/($t1-$t0))")")
      runs+=("$(python3 -c "print($jobs/($t3-$t2))")")
      dropdb "$db"
    done
    med=$(median "${runs[@]}")
    stmts=$(python3 -c "print(f'{2*$clients*$per_client/$jobs:.3f}')")
    printf '%-8s %6s %12s %10s %10s %10s %9s%%  %s\n' "$variant" "$batch" "$(median "${ins[@]}")" "$med" "$(best "${runs[@]}")" "$stmts" \
      "$(python3 -c "print(round($med/$target*100))")" "$(printf '%.0f ' "${runs[@]}")"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median_j/s, best_j/s: jobs claimed and completed per second, wall clock of pgbench (2 connections, each claim and each complete_many its own committed transaction)."
echo "events: the same plus one 'claimed' and one 'succeeded' row in queue.job_events per job, written in the same statements."
rm -rf "$work"

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
# CPU seconds used so far by the cluster: the postmaster, the children it reaped (exited backends)
# and its live children (background processes). Read after the clients disconnected.
cluster_cpu() {
  python3 - "$(head -1 "$CANDLESTACK_PGDIR/data/postmaster.pid")" <<'PY'
import os, sys
hz = os.sysconf('SC_CLK_TCK'); pm = sys.argv[1]
def fields(pid):
    with open(f'/proc/{pid}/stat') as f: return f.read().rsplit(')', 1)[1].split()
f = fields(pm); total = sum(int(x) for x in f[11:15])   # utime stime cutime cstime
for pid in os.listdir('/proc'):
    if pid.isdigit():
        try:
            g = fields(pid)
            if g[1] == pm: total += int(g[11]) + int(g[12])
        except OSError: pass
print(total / hz)
PY
}
wal_lsn() { psql -X -At -d "$1" -c 'select pg_current_wal_lsn()'; }
wal_bytes() { psql -X -At -d "$1" -c "select pg_wal_lsn_diff('$3', '$2')"; }

rate() { python3 -c "import sys; n,t=float(sys.argv[1]),float(sys.argv[2]); print(f'{n/t:,.0f}')" "$@"; }

# A fresh database with the queue schema only (the market files are not needed here).
fresh_db() {
  local db=$1
  createdb "$db"
  for f in "$root"/migrations/0001_*.sql "$root"/migrations/0002_*.sql "$root"/migrations/0005_*.sql \
           "$root"/migrations/0012_*.sql "$root"/migrations/0013_*.sql "$root"/sql/02*.sql; do
    psql -q -X -d "$db" -v ON_ERROR_STOP=1 -1 -f "$f" >/dev/null
  done
}

# Each line is its own autocommitted transaction: one claim, then one complete of what it got.
cat >"$work/plain.sql" <<'SQL'
select coalesce(array_agg(id)::text, '{}') as ids, coalesce(array_agg(attempts)::text, '{}') as atts
  from queue.claim('w' || :client_id, null, :batch, '30 s') \gset
select count(*) from queue.complete_many(:ids::bigint[], 'w' || :client_id, :atts::integer[]);
SQL
# The same, also writing a 'claimed' and a 'succeeded' event row per job in the same statements.
cat >"$work/events.sql" <<'SQL'
with c as (select id, attempts from queue.claim('w' || :client_id, null, :batch, '30 s')),
     e as (insert into queue.job_events (job_id, event, worker_id) select id, 'claimed', 'w' || :client_id from c)
select coalesce(array_agg(id)::text, '{}') as ids, coalesce(array_agg(attempts)::text, '{}') as atts from c \gset
with d as (select id from queue.complete_many(:ids::bigint[], 'w' || :client_id, :atts::integer[]) as id),
     e as (insert into queue.job_events (job_id, event, worker_id) select id, 'succeeded', 'w' || :client_id from d)
select count(*) from d;
SQL

printf 'PostgreSQL %s, %s cores, fsync on, synchronous_commit on; %s no-op jobs, %s clients (pgbench), target %s jobs/s\n' \
  "$(psql -X -At -c 'show server_version')" "$(nproc)" "$jobs" "$clients" "$target"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (the machine may be shared: compare best and median)"
printf '%-8s %6s %10s %10s %9s %9s %10s %10s %11s %9s  %s\n' variant batch insert_j/s median_j/s best_j/s vs_target server_us/j client_us/j cpu_bound_j/s WAL_B/j 'runs (jobs/s)'
n=0
stmts_per_job=""
median() { python3 -c "import sys,statistics; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.0f}')" "$@"; }
best() { python3 -c "import sys; print(f'{max(float(x) for x in sys.argv[1:]):.0f}')" "$@"; }
for variant in plain events; do
  for batch in $batches; do
    ins=(); runs=(); scpu=(); ccpu=(); walb=()
    for rep in $(seq "$repeats"); do
      n=$((n + 1)); db="qb$n"
      fresh_db "$db"
      t0=$(now)
      psql -X -q -d "$db" -v ON_ERROR_STOP=1 -c "insert into queue.jobs (kind, payload) select 'noop', '{}' from generate_series(1, $jobs)"
      t1=$(now)
      psql -X -q -d "$db" -c 'vacuum analyze queue.jobs'
      per_client=$(( (jobs + clients * batch - 1) / (clients * batch) + 1 ))
      sleep 0.2
      lsn0=$(wal_lsn "$db"); cpu0=$(cluster_cpu)
      t2=$(now)
      TIMEFORMAT='%U %S'
      { time pgbench -n -M prepared -c "$clients" -j "$clients" -t "$per_client" -D batch="$batch" -f "$work/$variant.sql" "$db" >"$work/pgbench.$n.log" 2>&1 \
        || { cat "$work/pgbench.$n.log" >&2; exit 1; } ; } 2>"$work/time.$n"
      t3=$(now)
      sleep 0.2
      cpu1=$(cluster_cpu); lsn1=$(wal_lsn "$db")
      scpu+=("$(python3 -c "print(($cpu1-$cpu0)/$jobs*1e6)")")
      ccpu+=("$(python3 -c "u,s=open('$work/time.$n').read().split(); print((float(u)+float(s))/$jobs*1e6)")")
      walb+=("$(wal_bytes "$db" "$lsn0" "$lsn1")")
      left=$(psql -X -At -d "$db" -c "select count(*) from queue.jobs where status <> 'succeeded'")
      [ "$left" = 0 ] || echo "warning: $left jobs not succeeded in $db" >&2
      twice=$(psql -X -At -d "$db" -c "select count(*) from queue.jobs where attempts <> 1")
      [ "$twice" = 0 ] || echo "warning: $twice jobs claimed more than once in $db" >&2
      ins+=("$(python3 -c "print($jobs/($t1-$t0))")")
      runs+=("$(python3 -c "print($jobs/($t3-$t2))")")
      dropdb "$db"
    done
    med=$(median "${runs[@]}")
    s_us=$(median "${scpu[@]}"); c_us=$(median "${ccpu[@]}")
    printf '%-8s %6s %10s %10s %9s %8s%% %10s %10s %11s %9s  %s\n' "$variant" "$batch" "$(median "${ins[@]}")" "$med" "$(best "${runs[@]}")" \
      "$(python3 -c "print(round($med/$target*100))")" "$s_us" "$c_us" \
      "$(python3 -c "print(round($(nproc)*1e6/max(1,$s_us+$c_us)))")" \
      "$(python3 -c "print(round($(median "${walb[@]}")/$jobs))")" "$(printf '%.0f ' "${runs[@]}")"
    [ "$variant" = plain ] && stmts_per_job="$stmts_per_job $batch:$(python3 -c "print(f'{2*$clients*$per_client/$jobs:.3f}')")"
  done
done
echo "SQL statements per job (batch:statements): $stmts_per_job (one claim + one complete_many per batch, each its own transaction)"
echo "server_us/j: CPU microseconds of the whole cluster per job (backends, WAL writer, checkpointer, autovacuum) during the run;"
echo "client_us/j: pgbench's CPU per job; cpu_bound_j/s: $(nproc) cores / (server + client CPU per job), the ceiling when nothing else runs;"
echo "WAL_B/j: WAL bytes per job claimed and completed. Wall-clock figures depend on what else the machine runs; CPU and WAL do not."
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median_j/s, best_j/s: jobs claimed and completed per second, wall clock of pgbench (2 connections, each claim and each complete_many its own committed transaction)."
echo "events: the same plus one 'claimed' and one 'succeeded' row in queue.job_events per job, written in the same statements."
rm -rf "$work"

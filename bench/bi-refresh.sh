#!/usr/bin/env bash
# bench/bi-refresh.sh: the time of the 5-minute refresh of the bi views with 1 and with 12 months of
# stored 1m history for 10 instruments (target: about equal), beside a full recomputation (what the
# former materialized views cost). Not a test. Starts its own throwaway cluster, migrates it with the
# candlestack binary ($CANDLESTACK_BIN, or the release build). Options (environment): REPS (default 11).
# Each refresh follows 5 minutes of new candles of the 10 instruments, written through
# market.upsert_candles (50 new, 10 updated), as the ingest jobs write them between two refreshes;
# the refreshes run in one session, like a worker's pooled connection.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
reps=${REPS:-11}
echo "command: $0 $* (REPS=$reps) at $(date -u +%FT%TZ) on $(nproc) cores"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share these cores; figures vary with it)"

bin=${CANDLESTACK_BIN:-}
if [ -z "$bin" ]; then
  swift build -c release --product candlestack >&2
  bin=$(swift build -c release --show-bin-path)/candlestack
fi

eval "$(scripts/db-start)"
trap 'scripts/db-stop "$CANDLESTACK_PGDIR" >/dev/null 2>&1 || true' EXIT
createdb bench
export PGDATABASE=bench PGTZ=UTC
"$bin" migrate --database-url dbname=bench >"$CANDLESTACK_PGDIR/migrate.log" 2>&1 || { cat "$CANDLESTACK_PGDIR/migrate.log" >&2; exit 1; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

q >/dev/null <<'SQL'
select market.ensure_candle_partitions('2024-02-01Z', '2025-03-31Z');
insert into market.watchlist (inst_id, bar, history_from)
select 'BENCH' || n || '-USDT', '1m', '2024-02-01Z' from generate_series(1, 10) as n;
-- the full recomputation of the former materialized views (migrations/0004), for comparison
create view public.full_daily_candles as
with d (bar) as (values ('1D'), ('1Dutc')),
b as (
  select c.inst_id, d.bar, market.bar_start(d.bar, c.ts) as day_start, min(c.ts) as first_ts, max(c.ts) as last_ts,
         max(c.high) as high, min(c.low) as low, sum(c.volume) as volume, sum(c.volume_ccy) as volume_ccy,
         sum(c.volume_quote) as volume_quote, count(*) as minute_count, bool_and(c.confirmed) as all_confirmed
    from market.candles as c cross join d where c.bar = '1m'
   group by c.inst_id, d.bar, market.bar_start(d.bar, c.ts))
select b.inst_id, b.bar, b.day_start, o.open, b.high, b.low, x.close, b.volume, b.minute_count
  from b
  join market.candles as o on o.inst_id = b.inst_id and o.bar = '1m' and o.ts = b.first_ts
  join market.candles as x on x.inst_id = b.inst_id and x.bar = '1m' and x.ts = b.last_ts;
create view public.full_data_coverage as
select w.inst_id, s.first_candle, s.last_candle, s.present_count, g.gap_count
  from market.watchlist as w
  left join lateral (select min(c.ts) as first_candle, max(c.ts) as last_candle, count(*) as present_count
                       from market.candles as c where c.inst_id = w.inst_id and c.bar = w.bar) as s on true
  left join lateral (select count(*) as gap_count
                       from (select c.ts, lead(c.ts) over (order by c.ts) as next_ts
                               from market.candles as c where c.inst_id = w.inst_id and c.bar = w.bar) as n
                      where n.next_ts <> market.bar_next(w.bar, n.ts)) as g on true;
SQL

# history of the 10 instruments in [from, to), one insert per month (a backfill writes like this)
load() {
  q -c "select market.ensure_candle_partitions('$1', '$2')" >/dev/null
  PGOPTIONS="-c synchronous_commit=off" q <<SQL
select format('insert into market.candles (inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote, confirmed)
               select ''BENCH'' || n || ''-USDT'', ''1m'', t, 100, 101, 99, 100.5, 1, 100, 100, true
                 from generate_series(1, 10) as n,
                      generate_series(%L::timestamptz, %L::timestamptz - interval ''1 minute'', interval ''1 minute'') as t',
              m, least(m + interval '1 month', '$2'::timestamptz))
  from generate_series('$1'::timestamptz, '$2'::timestamptz - interval '1 minute', interval '1 month') as m
\gexec
SQL
  q -c 'vacuum analyze market.candles' >/dev/null
  q -c 'select market.refresh_views()' >/dev/null   # the first refresh after a backfill takes its days once
}
live=$(date -u -d '2025-02-01' +%s)   # the "current" minute: 5 minutes are appended before each refresh
# The refreshes run in one session, as a worker's pooled connection runs them (a new connection per
# refresh would mostly measure a cold backend: plpgsql compilation, catalog caches, planning).
# Before each: 5 minutes of new candles of the 10 instruments through market.upsert_candles (50 new,
# and the previous forming minute of each confirmed: 10 updated), committed. Prints the ms of each
# market.refresh_views() (with its commit), the first (a warm-up) left out.
measure() {
  local start; start=$(date -u -d "@$live" +%FT%TZ); live=$((live + 300 * (reps + 1)))
  q 2>&1 >/dev/null <<SQL | sed -nE 's/.*refresh ms: //p' | tail -n +2 | median_and_min
do \$\$
declare
  v_t0 timestamptz;
begin
  for k in 0 .. $reps loop
    perform market.create_candle_staging();
    insert into pg_temp.candle_staging
    select 'BENCH' || n || '-USDT', '1m', '$start'::timestamptz + (k * 5 + i - 1) * interval '1 minute',
           100, 101, 99, 100.5, 1, 100, 100, i < 5
      from generate_series(1, 10) as n, generate_series(0, 5) as i;
    perform market.upsert_candles();
    commit;
    v_t0 := clock_timestamp();
    perform market.refresh_views();
    commit;
    raise notice 'refresh ms: %', round(extract(epoch from clock_timestamp() - v_t0) * 1000, 2);
  end loop;
end
\$\$;
SQL
}
# "median min" of the numbers on stdin, one a line
median_and_min() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[1]}'; }
full() {
  q <<'SQL' | grep '^Time' | sed -E 's/^Time: ([0-9.]+) ms.*/\1/' | paste -sd+ | bc -l | xargs printf '%.0f'
\timing on
select count(*) from public.full_daily_candles;
select count(*) from public.full_data_coverage;
SQL
}
load '2025-01-01Z' '2025-02-01Z'
rows1=$(q -c "select count(*) from market.candles")
read -r inc1 min1 <<<"$(measure)"; full1=$(full)
load '2024-02-01Z' '2025-01-01Z'
rows12=$(q -c "select count(*) from market.candles")
read -r inc12 min12 <<<"$(measure)"; full12=$(full)

echo
echo "10 instruments, 1m history; each refresh after 5 minutes of new candles (60 staged: 50 new, 10 updated); median of $reps, one session"
printf '%-44s %12s %12s %8s   %s\n' "" "1 month" "12 months" "ratio" "target"
printf '%-44s %12s %12s %8s   %s\n' "candles stored" "$rows1" "$rows12" "" ""
printf '%-44s %10.1f ms %9.1f ms %8.2f   %s\n' "market.refresh_views() (incremental), median" "$inc1" "$inc12" "$(echo "$inc12 / $inc1" | bc -l)" "about equal (ratio ~1)"
printf '%-44s %10.1f ms %9.1f ms %8.2f   %s\n' "market.refresh_views() (incremental), best" "$min1" "$min12" "$(echo "$min12 / $min1" | bc -l)" "about equal (ratio ~1)"
printf '%-44s %10.0f ms %9.0f ms %8.2f   %s\n' "full recomputation (the former matviews)" "$full1" "$full12" "$(echo "$full12 / $full1" | bc -l)" "(for comparison: grows with history)"

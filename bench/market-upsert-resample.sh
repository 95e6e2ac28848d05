#!/usr/bin/env bash
# bench/market-upsert-resample.sh: figures for the candle write path, resampling and storage (not a test).
# Starts its own throwaway cluster (real fsync), migrates it with the candlestack binary ($CANDLESTACK_BIN,
# or the release build), runs 1,000,000 1m candles through a raw COPY and through the staged
# COPY + market.upsert_candles (all-new and all-unchanged), market.resample 1m -> 1H over one year,
# and prints each figure beside its target. Options (environment): REPS (default 3), TEMP_BUFFERS (default 512MB).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
reps=${REPS:-3}
temp_buffers=${TEMP_BUFFERS:-512MB}
echo "command: $0 $* (REPS=$reps TEMP_BUFFERS=$temp_buffers) at $(date -u +%FT%TZ) on $(nproc) cores"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg) (other processes share these cores; figures vary with it)"

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
"$bin" migrate --database-url dbname=bench >"$CANDLESTACK_PGDIR/migrate.log" 2>&1 || { cat "$CANDLESTACK_PGDIR/migrate.log" >&2; exit 1; }
file=$work/candles.txt
psql -X -q -v ON_ERROR_STOP=1 -f bench/market-upsert-resample.gen.sql >"$file"
rows=$(wc -l <"$file")
psql -X -q -v ON_ERROR_STOP=1 -c "select market.ensure_candle_partitions('2023-01-01Z', '2025-01-01Z')" >/dev/null

cols='inst_id, bar, ts, open, high, low, close, volume, volume_ccy, volume_quote, confirmed'
now() { date +%s.%N; }
# seconds for one run of psql on the given script (stdin), after a checkpoint
timed() {
  psql -X -q -v ON_ERROR_STOP=1 -c checkpoint
  local t0 t1; t0=$(now)
  PGOPTIONS="-c temp_buffers=$temp_buffers" psql -X -q -v ON_ERROR_STOP=1 >"$work/last.out"
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}
raw_run() {
  psql -X -q -v ON_ERROR_STOP=1 -c 'truncate market.candles'
  timed <<SQL
\\copy market.candles ($cols) from '$file'
SQL
}
# the per-statement split of the last staged run (psql \timing): COPY, upsert_candles, COMMIT
split() {
  grep -o 'Time: [0-9.]*' "$work/last.out" | awk '{print $2}' | sed -n '3p;4p;5p' | paste -sd' ' \
    | awk '{printf "copy %.0f ms + upsert_candles %.0f ms + commit %.0f ms", $1, $2, $3}'
}
staged_run() {
  timed <<SQL
\\timing on
begin;
select market.create_candle_staging();
\\copy pg_temp.candle_staging ($cols) from '$file'
select * from market.upsert_candles();
commit;
SQL
}
min() { printf '%s\n' "$@" | sort -g | head -n 1; }

raw=(); new=(); same=(); settled=()
for _ in $(seq "$reps"); do
  raw+=("$(raw_run)")
  psql -X -q -v ON_ERROR_STOP=1 -c 'truncate market.candles'
  new+=("$(staged_run)"); echo "  all new:             $(split)" >>"$work/split.txt"
  same+=("$(staged_run)"); echo "  unchanged (1st):     $(split)" >>"$work/split.txt"     # also sets the hint bits of 1M fresh rows
  settled+=("$(staged_run)"); echo "  unchanged (settled): $(split)" >>"$work/split.txt"  # the steady state of a repeated backfill
done
raw_s=$(min "${raw[@]}"); new_s=$(min "${new[@]}"); same_s=$(min "${same[@]}"); settled_s=$(min "${settled[@]}")
rate() { echo "$rows / $1" | bc -l | xargs printf '%.0f'; }
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
check() { psql -X -qAt -c "select * from market.upsert_candles()"; }

echo
echo "rows: $rows 1m candles of one instrument; best of $reps; times include psql start and a COPY of the same text file"
printf '%-44s %8.3f s  %9s rows/s   runs: %s\n' "raw COPY into market.candles (empty)" "$raw_s" "$(rate "$raw_s")" "${raw[*]}"
printf '%-44s %8.3f s  %9s rows/s   runs: %s\n' "staged COPY + upsert_candles, all new" "$new_s" "$(rate "$new_s")" "${new[*]}"
printf '%-44s %8.3f s  %9s rows/s   runs: %s\n' "staged COPY + upsert, all unchanged (1st)" "$same_s" "$(rate "$same_s")" "${same[*]}"
printf '%-44s %8.3f s  %9s rows/s   runs: %s\n' "staged COPY + upsert, all unchanged (settled)" "$settled_s" "$(rate "$settled_s")" "${settled[*]}"
echo "where the staged time goes, per run:"
cat "$work/split.txt"
printf '%-44s %8s     target >= 0.50\n' "ratio all-new / raw" "$(ratio "$raw_s" "$new_s")"
printf '%-44s %8s     (no target; > 1 means faster than raw COPY)\n' "ratio all-unchanged (1st) / raw" "$(ratio "$raw_s" "$same_s")"
printf '%-44s %8s     (no target)\n' "ratio all-unchanged (settled) / raw" "$(ratio "$raw_s" "$settled_s")"

psql -X -q -v ON_ERROR_STOP=1 -c 'vacuum analyze market.candles'
best=
for _ in 1 2 3; do
  t=$(psql -X -qAt -c '\timing on' \
        -c "select count(*) from market.resample('BENCH-USDT', '1H', '2023-01-01Z', '2024-01-01Z')" \
      | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
  best=$(min $t $best)
done
buckets=$(psql -X -qAt -c "select count(*) || ' buckets, ' || sum(source_count) || ' source rows, ' || count(*) filter (where complete) || ' complete' from market.resample('BENCH-USDT', '1H', '2023-01-01Z', '2024-01-01Z')")
printf '%-44s %8.3f s  (%s)   target < 0.5 s\n' "resample 1m -> 1H, one year, best of 3" "$(echo "$best / 1000" | bc -l)" "$buckets"

echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
psql -X -qAt -c "
  select format('%-44s %8s B   (table %s B + indexes %s B; target about 165)',
                'storage per candle', round(sum(pg_total_relation_size(c.oid))::numeric / $rows, 1),
                round(sum(pg_table_size(c.oid))::numeric / $rows, 1), round(sum(pg_indexes_size(c.oid))::numeric / $rows, 1))
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
   where i.inhparent = 'market.candles'::regclass"

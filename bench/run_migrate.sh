#!/usr/bin/env bash
# Benchmark of `schemactl migrate new` (both dialects) between two 1,000-entity registries that differ
# in 10% of their tables (bench/gen_registry --variant changed: two columns added to every tenth
# table, an index dropped, a table added).
#
#   bash bench/run_migrate.sh
#
# Setup (not timed): `migrate new base` records the first registry in a migrations directory.
# Timed: `migrate new change --schema CHANGED` on a fresh copy of that directory, one warm-up and
# RUNS timed runs. Prints median / min / max wall time and peak RSS. Knobs: RUNS (5), N (1000),
# SEED (42), BENCH_TMP (default /dev/shm when writable), SKIP_BUILD=1.
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS="${RUNS:-5}"
N="${N:-1000}"
SEED="${SEED:-42}"

if [[ ! -x /usr/bin/time ]]; then
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y time >&2 || { apt-get update >&2 && apt-get install -y time >&2; }
  else sudo apt-get install -y time >&2; fi
fi
bench_build
SCHEMACTL="$BUILD/schemactl"
GEN="$BUILD/bench/gen_registry"

if [[ -n "${BENCH_TMP:-}" ]]; then TMPBASE="$BENCH_TMP"
elif [[ -d /dev/shm && -w /dev/shm ]]; then TMPBASE=/dev/shm
else TMPBASE="${TMPDIR:-/tmp}"; fi
bench_workdir migrate "$TMPBASE"

"$GEN" "$N" "$WORK/base" --seed "$SEED" >/dev/null
"$GEN" "$N" "$WORK/changed" --seed "$SEED" --variant changed >/dev/null
"$SCHEMACTL" migrate new base --schema "$WORK/base" --migrations "$WORK/recorded" --version 20250101_000000 >/dev/null

walls=()
rss=()
for run in $(seq 0 "$RUNS"); do
  rm -rf "$WORK/m"
  cp -r "$WORK/recorded" "$WORK/m"
  start=$EPOCHREALTIME
  /usr/bin/time -f '%M' -o "$WORK/time" "$SCHEMACTL" migrate new change --schema "$WORK/changed" \
    --migrations "$WORK/m" --version 20250102_000000 >/dev/null
  end=$EPOCHREALTIME
  ((run == 0)) && continue  # warm-up
  walls+=("$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", (e - s) * 1000 }')")
  rss+=("$(awk '{ printf "%.1f", $1 / 1024 }' "$WORK/time")")
done
steps=$(grep -c '^-- ' "$WORK/m/postgres/20250102_000000_change.up.sql" || true)
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
min() { printf '%s\n' "$@" | sort -n | head -1; }
max() { printf '%s\n' "$@" | sort -n | tail -1; }
echo
echo "schemactl migrate new, N=$N, $RUNS runs after 1 warm-up (seed $SEED, on $TMPBASE)"
echo
echo "| registries | median wall (ms) | min (ms) | max (ms) | peak RSS (MB) | Postgres up file comment lines |"
echo "|---|---:|---:|---:|---:|---:|"
echo "| $N entities, 10% of tables changed | $(median "${walls[@]}") | $(min "${walls[@]}") | $(max "${walls[@]}") | $(median "${rss[@]}") | $steps |"

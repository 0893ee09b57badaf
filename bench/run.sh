#!/usr/bin/env bash
# Benchmark of `schemactl generate` (both dialects' install.sql and the C++ headers).
#
#   bash bench/run.sh
#
# Builds Release into build-bench/, writes synthetic registries (bench/gen_registry) of N = 100, 1000
# and 5000 entities into a temporary directory, and times `schemactl generate --schema DIR --out OUT`
# on each of them and on the shipped registry (schema/): one warm-up run, then RUNS timed runs.
# Every run writes into its own new, empty output directory, so every file is rendered and written.
# Registries and outputs live on tmpfs (/dev/shm) when it is writable: on the ext4 volume of the
# benchmark machine, creating files within ~30 s of a mass deletion (anyone's: a previous bench run's
# cleanup, a test suite) makes the kernel's inode allocator crawl past every recently deleted inode
# (recently_deleted() in ext4), which turned 0.1 s of system time into 0.8 s at N=1000 and made the
# figures irreproducible. Set BENCH_TMP=/tmp (or any directory) to measure on another filesystem.
# Prints a markdown table: median / min / max wall time, median user and system CPU time and peak
# RSS, and the targets.
#
# Environment: RUNS (default 5), SIZES (default "100 1000 5000"), SEED (default 42),
#              BENCH_TMP (default /dev/shm if writable, else $TMPDIR or /tmp),
#              KEEP=1 to keep the temporary directory, SKIP_BUILD=1 to reuse build-bench/.
#
# Wall time is measured by bash ($EPOCHREALTIME, microseconds) around `/usr/bin/time -f '%e %M'`,
# which supplies the peak RSS (maximum resident set size, KB); the wrapper adds well under 1 ms.
set -euo pipefail
export LC_ALL=C

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"  # so that ./templates is the template directory, as for a user running in the repo

RUNS="${RUNS:-5}"
SIZES="${SIZES:-100 1000 5000}"
SEED="${SEED:-42}"
BUILD="$ROOT/build-bench"

# Targets (docs/benchmarks.md).
T1000_WALL=0.25   # s, N=1000
T1000_RSS=150     # MB, N=1000
T_RATIO=6         # N=5000 median / N=1000 median
T_SHIPPED=0.020   # s, shipped registry

log() { echo "$*" >&2; }

if [[ ! -x /usr/bin/time ]]; then
  log "bench: /usr/bin/time not found; installing the 'time' package"
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y time >&2 || { apt-get update >&2 && apt-get install -y time >&2; }
  else sudo apt-get install -y time >&2; fi
fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  log "bench: building Release into $BUILD"
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DSCHEMACTL_TESTS=OFF >&2
  cmake --build "$BUILD" -j2 >&2
fi
SCHEMACTL="$BUILD/schemactl"
GEN="$BUILD/bench/gen_registry"
[[ -x "$SCHEMACTL" && -x "$GEN" ]] || { log "bench: $SCHEMACTL or $GEN missing"; exit 1; }

if [[ -n "${BENCH_TMP:-}" ]]; then TMPBASE="$BENCH_TMP"
elif [[ -d /dev/shm && -w /dev/shm ]]; then TMPBASE=/dev/shm
else TMPBASE="${TMPDIR:-/tmp}"; fi
TMP="$(mktemp -d "$TMPBASE/schemactl-bench.XXXXXX")"
TMPFS_TYPE="$(stat -f -c %T "$TMP")"
if [[ "${KEEP:-0}" == 1 ]]; then log "bench: keeping $TMP"; else trap 'rm -rf "$TMP"' EXIT; fi

# Sanity: the generator's output must validate (both variants).
for v in base changed; do
  "$GEN" 100 "$TMP/check-$v" --seed "$SEED" --variant "$v"
  "$SCHEMACTL" validate --schema "$TMP/check-$v" >/dev/null || { log "bench: gen_registry --variant $v does not validate"; exit 1; }
done

median() { sort -g | awk '{ v[NR] = $1 } END { printf "%.6f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# time_case NAME DIR: prints "median min max user_median sys_median peak_rss_kb files" (seconds).
time_case() {
  local name="$1" dir="$2" out i t0 t1 walls=() users=() syss=() rss_max=0 rss u s
  for ((i = 0; i <= RUNS; i++)); do  # run 0 is the warm-up
    out="$TMP/out-$name-$i"
    t0=$EPOCHREALTIME
    /usr/bin/time -f '%e %M %U %S' -o "$TMP/time.txt" "$SCHEMACTL" generate --schema "$dir" --out "$out" >/dev/null
    t1=$EPOCHREALTIME
    if ((i > 0)); then
      walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')")
      read -r _ rss u s < <(tail -n 1 "$TMP/time.txt")
      users+=("$u")
      syss+=("$s")
      if ((rss > rss_max)); then rss_max=$rss; fi
    fi
  done
  local files
  files=$(find "$out" -type f | wc -l)
  echo "$(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${walls[@]}" | sort -g | head -n 1)" \
    "$(printf '%s\n' "${walls[@]}" | sort -g | tail -n 1) $(printf '%s\n' "${users[@]}" | median)" \
    "$(printf '%s\n' "${syss[@]}" | median) $rss_max $files"
}

declare -A MED RSS
rows=()
add_row() {  # NAME LABEL ENTITIES DIR
  local name="$1" label="$2" entities="$3" dir="$4" med min max usr sys rss files
  log "bench: $label ($RUNS runs + 1 warm-up)"
  read -r med min max usr sys rss files < <(time_case "$name" "$dir")
  MED[$name]=$med
  RSS[$name]=$rss
  rows+=("$(awk -v l="$label" -v e="$entities" -v f="$files" -v med="$med" -v mn="$min" -v mx="$max" \
    -v usr="$usr" -v sys="$sys" -v rss="$rss" 'BEGIN { printf "| %s | %s | %d | %.1f | %.1f | %.1f | %.2f | %.2f | %.1f |",
      l, e, f, med * 1000, mn * 1000, mx * 1000, usr, sys, rss / 1024 }')")
}

for n in $SIZES; do
  "$GEN" "$n" "$TMP/reg-$n" --seed "$SEED"
  add_row "n$n" "synthetic N=$n" "$n" "$TMP/reg-$n"
done
shipped_entities=$(($(find "$ROOT/schema" -maxdepth 1 \( -name '*.yaml' -o -name '*.yml' \) | wc -l) - 1))
add_row shipped "shipped (schema/)" "$shipped_entities" "$ROOT/schema"

echo
echo "schemactl generate, $RUNS runs after 1 warm-up (seed $SEED, new output directory on $TMPFS_TYPE ($TMPBASE) each run)"
echo
echo "| registry | entities | files written | median wall (ms) | min (ms) | max (ms) | median user (s) | median sys (s) | peak RSS (MB) |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo

verdict() { awk -v c="$1" 'BEGIN { print (c ? "met" : "**missed**") }'; }
if [[ -n "${MED[n1000]:-}" ]]; then
  echo "| target | measured | |"
  echo "|---|---:|---|"
  echo "| N=1000 wall < ${T1000_WALL} s | $(awk -v m="${MED[n1000]}" 'BEGIN { printf "%.3f s", m }') | $(verdict "$(awk -v m="${MED[n1000]}" -v t=$T1000_WALL 'BEGIN { print (m < t) }')") |"
  echo "| N=1000 peak RSS < ${T1000_RSS} MB | $(awk -v r="${RSS[n1000]}" 'BEGIN { printf "%.1f MB", r / 1024 }') | $(verdict "$(awk -v r="${RSS[n1000]}" -v t=$T1000_RSS 'BEGIN { print (r / 1024 < t) }')") |"
  if [[ -n "${MED[n5000]:-}" ]]; then
    ratio=$(awk -v a="${MED[n5000]}" -v b="${MED[n1000]}" 'BEGIN { printf "%.2f", a / b }')
    echo "| N=5000 within ${T_RATIO}x of N=1000 | ${ratio}x | $(verdict "$(awk -v r="$ratio" -v t=$T_RATIO 'BEGIN { print (r <= t) }')") |"
  fi
fi
echo "| shipped registry < $(awk -v t=$T_SHIPPED 'BEGIN { print t * 1000 }') ms | $(awk -v m="${MED[shipped]}" 'BEGIN { printf "%.1f ms", m * 1000 }') | $(verdict "$(awk -v m="${MED[shipped]}" -v t=$T_SHIPPED 'BEGIN { print (m < t) }')") |"

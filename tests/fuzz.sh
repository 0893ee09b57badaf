#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/*_fuzz.cpp) with clang in build-fuzz and runs each one for a
# bounded time; fails on any crash, leak, sanitizer report or hang.
#
#   bash tests/fuzz.sh            -> every target, SCHEMACTL_FUZZ_SECONDS (default 45) seconds each
#   bash tests/fuzz.sh url_fuzz   -> just that one
#   SCHEMACTL_BUILD_ONLY=1 bash tests/fuzz.sh   -> only builds them
#
# Seeds: fuzz/seeds/<target without _fuzz>/ (hand-written), plus the registry YAML of schema/ and
# tests/registries/ for registry targets and the SQL of migrations/ for any other target. The
# corpus the run grows stays in build-fuzz/corpus/<target> (reused by the next run); a crashing
# input is written to build-fuzz/findings/ and printed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${SCHEMACTL_FUZZ_SECONDS:-45}
build=${SCHEMACTL_FUZZ_BUILD_DIR:-build-fuzz}

if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz: clang++ is not installed (bash .ci/deps.sh installs clang and libclang-rt-14-dev)" >&2
  exit 1
fi

launcher=()
command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
mkdir -p "$build"
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DSCHEMACTL_FUZZ=ON -DSCHEMACTL_TESTS=OFF \
  "${launcher[@]}" >"$build/configure.log" 2>&1 || {
  cat "$build/configure.log" >&2
  exit 1
}
cmake --build "$build" -j2 --target fuzzers
if [[ "${SCHEMACTL_BUILD_ONLY:-0}" == 1 ]]; then
  echo "fuzz: built the targets in $build (SCHEMACTL_BUILD_ONLY=1: not run)"
  exit 0
fi

targets=("$@")
if ((${#targets[@]} == 0)); then
  for f in fuzz/*_fuzz.cpp; do
    targets+=("$(basename "$f" .cpp)")
  done
fi

mkdir -p "$build/findings"
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
summary=()
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  mkdir -p "$corpus"
  seeds=$(mktemp -d)
  [[ -d "fuzz/seeds/${t%_fuzz}" ]] && cp fuzz/seeds/"${t%_fuzz}"/* "$seeds"/ 2>/dev/null || true
  case "$t" in
    url_*) ;;
    registry_*) find schema tests/registries -name '*.yaml' -exec cp --backup=numbered {} "$seeds"/ \; ;;
    *) find migrations -name '*.sql' -exec cp --backup=numbered {} "$seeds"/ \; ;;
  esac
  echo "fuzz: $t for ${seconds}s ($(find "$seeds" -type f | wc -l) seeds, $(find "$corpus" -type f | wc -l) in the corpus)"
  log="$build/$t.log"
  if "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
    -print_final_stats=1 -artifact_prefix="$build/findings/$t-" "$corpus" "$seeds" >"$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    summary+=("$t: ${execs:-?} executions in ${seconds}s, no finding")
  else
    status=1
    summary+=("$t: FAILED (log: $log)")
    grep -E -A30 'ERROR: |\*\*\* password leak|deadly signal|Test unit written' "$log" | head -n 80 >&2 || tail -n 60 "$log" >&2
  fi
  rm -rf "$seeds"
done
printf 'fuzz: %s\n' "${summary[@]}"
exit "$status"

#!/usr/bin/env bash
# The full test job (the README's test command, run by .ci/run):
#   deps -> throwaway PostgreSQL + MariaDB -> sanitizer Debug build -> generate --check ->
#   validate -> ctest (with the servers required) -> Debian package (tests/package.sh: a Release build,
#   cpack, installed with dpkg -x and run) -> fuzz (tests/fuzz.sh, about a minute).
# The servers are stopped by pid on exit, success or not; on failure their logs are kept.
# The Release build of the package and the fuzz build need neither the servers nor the sanitizer
# build: they start right after it, at the lowest CPU priority, and use the cores that ctest leaves
# idle while the tests wait for the servers; their stages then only wait for them to finish.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

stage=0
banner() {
  stage=$((stage + 1))
  printf '\n==================== [%d/11] %s ====================\n' "$stage" "$*"
}

banner "dependencies (.ci/deps.sh)"
bash .ci/deps.sh

banner "test servers (tests/servers.sh start)"
servers_base=$(mktemp -d -t schemactl-test-servers.XXXXXX)
chmod 755 "$servers_base"
prebuild_pid=""
stop_servers() {
  local rc=$? d
  trap - EXIT INT TERM
  if [[ -n "$prebuild_pid" ]]; then
    kill -- "-$prebuild_pid" 2>/dev/null || true
    wait "$prebuild_pid" 2>/dev/null || true
  fi
  for d in "$servers_base"/*/; do
    [[ -f "$d/pids" ]] || continue
    if ((rc == 0)); then
      bash tests/servers.sh stop --rm "$d" || true
    else
      bash tests/servers.sh stop "$d" || true
      # Keep the (small) logs for a look, drop the data dirs.
      rm -rf "$d/pg/data" "$d/mysql/data" "$d/mysqltls/data" 2>/dev/null || true
      echo "run-all: failed (status $rc); server logs kept in ${d}pg/server.log and ${d}mysql/server.log" >&2
    fi
  done
  rmdir "$servers_base" 2>/dev/null || true
  exit "$rc"
}
trap stop_servers EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

env_file=$(SCHEMACTL_SERVERS_DIR="$servers_base" bash tests/servers.sh start | tail -n 1)
# shellcheck disable=SC1090
source "$env_file"
echo "PostgreSQL: 127.0.0.1:$SCHEMACTL_TEST_PG_PORT  MariaDB: 127.0.0.1:$SCHEMACTL_TEST_MYSQL_PORT  (env: $env_file)"

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

banner "format (clang-format --dry-run --Werror)"
find src tests bench \( -name '*.cpp' -o -name '*.hpp' \) -not -path 'tests/golden/*' -print0 |
  xargs -0 clang-format --dry-run --Werror

banner "configure (Debug, sanitizers)"
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DSCHEMACTL_SANITIZE=ON

banner "build"
cmake --build build-test -j2

# In its own process group (setsid), so that an early exit stops all of it.
prebuild_log=$(mktemp -t schemactl-prebuild.XXXXXX)
SCHEMACTL_BUILD_ONLY=1 setsid -w nice -n 19 bash -c 'bash tests/package.sh build-pkg && bash tests/fuzz.sh' \
  >"$prebuild_log" 2>&1 </dev/null &
prebuild_pid=$!
echo "run-all: the package and fuzz builds run in the background at nice 19 (pid $prebuild_pid, log $prebuild_log)"
prebuild_wait() {
  [[ -n "$prebuild_pid" ]] || return 0
  local rc=0 started=$EPOCHSECONDS
  wait "$prebuild_pid" || rc=$?
  prebuild_pid=""
  echo "run-all: waited $((EPOCHSECONDS - started)) s for the background builds (status $rc)"
  if ((rc != 0)); then
    tail -n 80 "$prebuild_log" >&2
    return "$rc"
  fi
}

banner "schemactl generate --check"
build-test/schemactl generate --check

banner "schemactl validate"
build-test/schemactl validate

banner "schemactl migrate check"
build-test/schemactl migrate check

banner "ctest (servers required)"
export SCHEMACTL_REQUIRE_SERVERS=1
ctest --test-dir build-test --output-on-failure -j2 --no-tests=error

banner "Debian package (tests/package.sh: Release build, cpack -G DEB, dpkg -x, installed schemactl generate)"
prebuild_wait
bash tests/package.sh build-pkg

banner "fuzz (tests/fuzz.sh: clang + libFuzzer, ${SCHEMACTL_FUZZ_SECONDS:-45}s per target)"
bash tests/fuzz.sh

echo
echo "run-all: all stages passed"

# Sourced by bench/run_*.sh: what every benchmark starts with. It makes the repository root the
# working directory and provides a Release build without tests, a scratch directory and the test
# servers, all removed or stopped again on exit.
#   BUILD        the build directory (default build-bench); SKIP_BUILD=1 uses it as it is
#   SERVERS_ENV  the env file of servers already started by tests/servers.sh; otherwise, with
#                SCHEMACTL_TEST_PG_PORT and SCHEMACTL_TEST_MYSQL_PORT set, those servers are used;
#                otherwise bench_servers starts its own (without the TLS server) and stops them at exit
set -euo pipefail
export LC_ALL=C
ROOT="$(cd "$(dirname "${BASH_SOURCE[1]}")/.." && pwd)"
cd "$ROOT"
BUILD="${BUILD:-$ROOT/build-bench}"
WORK=""
servers_dir=""

bench_cleanup() {
  if [[ -n "$servers_dir" ]]; then bash tests/servers.sh stop --rm "$servers_dir" >&2 || true; fi
  if [[ -n "$WORK" ]]; then rm -rf "$WORK"; fi
}
trap bench_cleanup EXIT

# bench_build [TARGET...]: the Release build of TARGETs (all when none).
bench_build() {
  [[ "${SKIP_BUILD:-0}" == 1 ]] && return 0
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DSCHEMACTL_TESTS=OFF >&2
  local args=() t
  for t in "$@"; do args+=(--target "$t"); done
  cmake --build "$BUILD" -j2 "${args[@]}" >&2
}

# bench_workdir NAME [BASE]: WORK, a new directory under BASE (default /tmp).
bench_workdir() {
  WORK=$(mktemp -d "${2:-/tmp}/schemactl-bench-$1.XXXXXX")
}

# bench_servers: PostgreSQL and MariaDB, their SCHEMACTL_TEST_* variables exported.
bench_servers() {
  local env_file
  if [[ -n "${SERVERS_ENV:-}" ]]; then
    env_file=$SERVERS_ENV
  elif [[ -n "${SCHEMACTL_TEST_PG_PORT:-}" && -n "${SCHEMACTL_TEST_MYSQL_PORT:-}" ]]; then
    return 0
  else
    env_file=$(SCHEMACTL_SERVERS_TLS=0 bash tests/servers.sh start | tail -n 1)
    servers_dir=$(dirname "$env_file")
  fi
  # shellcheck disable=SC1090
  source "$env_file"
}

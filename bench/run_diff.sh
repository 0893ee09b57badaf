#!/usr/bin/env bash
# Benchmark of `schemactl diff --url` (drift check) at 1,000 tables: the synthetic registry
# (bench/gen_registry) installed with install.sql on PostgreSQL 15 and on MariaDB 10.11, then
# `diff --url` against that registry (no migrations: compared with the registry), which must report
# no drift. Target: under 2.5 s.
#
#   bash bench/run_diff.sh
#
# Starts its own servers (tests/servers.sh) and stops them at the end, unless SCHEMACTL_TEST_PG_PORT
# and SCHEMACTL_TEST_MYSQL_PORT are set (servers already running, e.g. from tests/servers.sh start).
# RUNS timed runs (default 5) after one warm-up; prints median / min / max wall time and the number
# of statements the server counted during one run (Postgres: transactions of the database in
# pg_stat_database, every catalog query runs in its own; MariaDB: the `Questions` status counter).
# Knobs: RUNS, N (1000), SEED (42), SKIP_BUILD=1.
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS="${RUNS:-5}"
N="${N:-1000}"
SEED="${SEED:-42}"
bench_build
SCHEMACTL="$BUILD/schemactl"
bench_workdir diff
bench_servers

"$BUILD/bench/gen_registry" "$N" "$WORK/registry" --seed "$SEED" >/dev/null
"$SCHEMACTL" generate --schema "$WORK/registry" --out "$WORK/out" >/dev/null
mkdir -p "$WORK/migrations"

export PGPASSWORD=s3cret-pw MYSQL_PWD=s3cret-pw
PG=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$SCHEMACTL_TEST_PG_PORT" -U schemactl)
MY=(mariadb --protocol=TCP -h 127.0.0.1 -P "$SCHEMACTL_TEST_MYSQL_PORT" -u schemactl)
db="bench_diff_$$"
"${PG[@]}" -d schemactl_test -c "CREATE DATABASE $db" >/dev/null
"${MY[@]}" -e "CREATE DATABASE $db CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
"${PG[@]}" -d "$db" -f "$WORK/out/postgres/install.sql" >/dev/null
"${MY[@]}" "$db" <"$WORK/out/tidb/install.sql"

now() { echo "$EPOCHREALTIME"; }
ms() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.0f", (e - s) * 1000 }'; }
stats() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { printf "%s %s %s", a[int((NR + 1) / 2)], a[1], a[NR] }'; }
pg_count() {
  "${PG[@]}" -d schemactl_test -At -c "SELECT pg_stat_clear_snapshot(); SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$db'" | tail -n 1
}
my_count() { "${MY[@]}" -N -e "SHOW GLOBAL STATUS LIKE 'Questions'" | awk '{ print $2 }'; }

echo
echo "diff --url at N=$N tables (bench/gen_registry --seed $SEED, installed with install.sql), $RUNS runs after a warm-up"
echo
echo "| server | median (ms) | min | max | statements per run | target |"
echo "|---|---:|---:|---:|---:|---|"
for dialect in postgres tidb; do
  if [[ $dialect == postgres ]]; then
    url="postgres://schemactl:s3cret-pw@127.0.0.1:$SCHEMACTL_TEST_PG_PORT/$db"; name="PostgreSQL 15"
  else
    url="mysql://schemactl:s3cret-pw@127.0.0.1:$SCHEMACTL_TEST_MYSQL_PORT/$db"; name="MariaDB 10.11"
  fi
  run() { "$SCHEMACTL" diff --url "$url" --schema "$WORK/registry" --migrations "$WORK/migrations" >"$WORK/out.txt"; }
  run || { echo "diff reported drift or failed:" >&2; cat "$WORK/out.txt" >&2; exit 1; }
  if [[ $dialect == postgres ]]; then before=$(pg_count); else before=$(my_count); fi
  run
  sleep 1  # Postgres reports a session's statistics when it ends
  if [[ $dialect == postgres ]]; then after=$(pg_count); count=$((after - before));
  else after=$(my_count); count=$((after - before - 1)); fi  # less the SHOW of my_count itself
  times=()
  for _ in $(seq 1 "$RUNS"); do
    s=$(now); run; e=$(now)
    times+=("$(ms "$s" "$e")")
  done
  read -r med lo hi <<<"$(stats "${times[@]}")"
  ok=$(awk -v m="$med" 'BEGIN { print (m < 2500) ? "met" : "**missed**" }')
  echo "| $name | $med | $lo | $hi | $count | $ok (< 2500 ms) |"
done
"${PG[@]}" -d schemactl_test -c "DROP DATABASE $db" >/dev/null
"${MY[@]}" -e "DROP DATABASE $db"

#!/usr/bin/env bash
# Benchmark of `schemactl migrate up` against the databases' own clients, on the same servers in the
# same run: the up file of a 1,000-entity registry (bench/gen_registry) applied to a fresh database
# by `schemactl migrate up`, by `psql -f` (PostgreSQL 15) and by the `mariadb` client (MariaDB 10.11).
#
#   bash bench/run_apply.sh
#
# Starts its own servers (tests/servers.sh) and stops them at the end. RUNS timed runs of each
# (default 3), each on a new database; prints median wall times and the ratio (target: at most 1.2).
# Knobs: RUNS, N (1000), SEED (42), SKIP_BUILD=1.
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS="${RUNS:-3}"
N="${N:-1000}"
SEED="${SEED:-42}"
bench_build
SCHEMACTL="$BUILD/schemactl"
bench_workdir apply
bench_servers

"$BUILD/bench/gen_registry" "$N" "$WORK/registry" --seed "$SEED" >/dev/null
"$SCHEMACTL" migrate new base --schema "$WORK/registry" --migrations "$WORK/migrations" --version 20250101_000000 >/dev/null

PG_BASE="postgres://schemactl:s3cret-pw@127.0.0.1:$SCHEMACTL_TEST_PG_PORT"
MY_BASE="mysql://schemactl:s3cret-pw@127.0.0.1:$SCHEMACTL_TEST_MYSQL_PORT"
export PGPASSWORD=s3cret-pw MYSQL_PWD=s3cret-pw
fresh_db() {  # dialect, number -> creates database bench_<number>
  local name="bench_$2"
  if [[ $1 == postgres ]]; then
    psql -X -q "$PG_BASE/schemactl_test" -c "CREATE DATABASE $name" >/dev/null
  else
    mariadb --protocol=TCP -h 127.0.0.1 -P "$SCHEMACTL_TEST_MYSQL_PORT" -u schemactl \
      -e "CREATE DATABASE $name CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" >/dev/null
  fi
}
now() { echo "$EPOCHREALTIME"; }
ms() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.0f", (e - s) * 1000 }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

declare -A times
for dialect in postgres tidb; do
  up_file="$WORK/migrations/$dialect/20250101_000000_base.up.sql"
  statements=$(grep -c ';$' "$up_file" || true)
  for run in $(seq 1 "$RUNS"); do
    db="bench_${dialect}_${run}_a"
    fresh_db "$dialect" "${dialect}_${run}_a"
    if [[ $dialect == postgres ]]; then url="$PG_BASE/$db"; else url="$MY_BASE/$db"; fi
    s=$(now); "$SCHEMACTL" migrate up --url "$url" --migrations "$WORK/migrations" >/dev/null; e=$(now)
    times[$dialect,schemactl]+="$(ms "$s" "$e") "
    db="bench_${dialect}_${run}_b"
    fresh_db "$dialect" "${dialect}_${run}_b"
    s=$(now)
    if [[ $dialect == postgres ]]; then
      psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$SCHEMACTL_TEST_PG_PORT" -U schemactl -d "$db" -f "$up_file" >/dev/null
    else
      mariadb --protocol=TCP -h 127.0.0.1 -P "$SCHEMACTL_TEST_MYSQL_PORT" -u schemactl "$db" <"$up_file"
    fi
    e=$(now)
    times[$dialect,client]+="$(ms "$s" "$e") "
  done
  times[$dialect,statements]=$statements
done

echo
echo "migrate up of the N=$N install (one up file, ~$((${times[postgres,statements]})) statements on Postgres, ~${times[tidb,statements]} on TiDB/MariaDB), $RUNS runs each, new database per run"
echo
echo "| server | schemactl migrate up (ms, median) | client (ms, median) | client | ratio | target |"
echo "|---|---:|---:|---|---:|---|"
for dialect in postgres tidb; do
  # shellcheck disable=SC2086
  a=$(median ${times[$dialect,schemactl]})
  # shellcheck disable=SC2086
  b=$(median ${times[$dialect,client]})
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
  ok=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.2) ? "met" : "**missed**" }')
  if [[ $dialect == postgres ]]; then name="PostgreSQL 15"; client="psql -f"; else name="MariaDB 10.11"; client="mariadb <"; fi
  echo "| $name | $a | $b | \`$client\` | $ratio | $ok (<= 1.2) |"
done

#!/usr/bin/env bash
# Benchmark of `schemactl inspect`: the install.sql of a synthetic registry (bench/gen_registry, N
# tables with an enum, a foreign key and two indexes each) applied to a fresh database with the
# server's own client, then `schemactl inspect --url ... --out DIR` timed on PostgreSQL 15 and
# MariaDB 10.11 (standing in for TiDB). Prints median wall times (target: under 2 s at N=1000) and
# the number of catalog queries inspect ran, at N and at N/10: the count must not grow with N.
#
#   bash bench/run_inspect.sh
#
# Starts its own servers (tests/servers.sh) and stops them at the end.
# Knobs: RUNS (5), N (1000), SEED (42), SKIP_BUILD=1, BUILD (build-bench).
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS="${RUNS:-5}"
N="${N:-1000}"
SEED="${SEED:-42}"
bench_build schemactl gen_registry
SCHEMACTL="$BUILD/schemactl"
bench_workdir inspect
bench_servers

PG_BASE="postgres://schemactl:s3cret-pw@127.0.0.1:$SCHEMACTL_TEST_PG_PORT"
MY_BASE="mysql://schemactl:s3cret-pw@127.0.0.1:$SCHEMACTL_TEST_MYSQL_PORT"
export PGPASSWORD=s3cret-pw MYSQL_PWD=s3cret-pw
now() { echo "$EPOCHREALTIME"; }
ms() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.0f", (e - s) * 1000 }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

install() {  # dialect, tables, database
  local reg="$WORK/registry_$2" gen="$WORK/generated_$2"
  [[ -d $reg ]] || "$BUILD/bench/gen_registry" "$2" "$reg" --seed "$SEED" >/dev/null
  [[ -d $gen ]] || "$SCHEMACTL" generate --schema "$reg" --out "$gen" --templates "$ROOT/templates" >/dev/null
  if [[ $1 == postgres ]]; then
    psql -X -q "$PG_BASE/schemactl_test" -c "CREATE DATABASE $3" >/dev/null
    psql -X -q -v ON_ERROR_STOP=1 "$PG_BASE/$3" -f "$gen/postgres/install.sql" >/dev/null
  else
    mariadb --protocol=TCP -h 127.0.0.1 -P "$SCHEMACTL_TEST_MYSQL_PORT" -u schemactl \
      -e "CREATE DATABASE $3 CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" >/dev/null
    mariadb --protocol=TCP -h 127.0.0.1 -P "$SCHEMACTL_TEST_MYSQL_PORT" -u schemactl "$3" <"$gen/tidb/install.sql"
  fi
}

declare -A times queries
small=$((N / 10))
for dialect in postgres tidb; do
  for n in "$small" "$N"; do
    db="bench_inspect_${dialect}_$n"
    install "$dialect" "$n" "$db"
    if [[ $dialect == postgres ]]; then url="$PG_BASE/$db"; else url="$MY_BASE/$db"; fi
    for run in $(seq 1 "$RUNS"); do
      out="$WORK/out_${dialect}_${n}_$run"
      s=$(now); "$SCHEMACTL" inspect --url "$url" --out "$out" 2>"$WORK/err"; e=$(now)
      times[$dialect,$n]+="$(ms "$s" "$e") "
      queries[$dialect,$n]=$(sed -n 's/.* in \([0-9]*\) catalog queries.*/\1/p' "$WORK/err")
    done
    "$SCHEMACTL" validate --schema "$out" >/dev/null
    if [[ $dialect == postgres ]]; then
      psql -X -q "$PG_BASE/schemactl_test" -c "DROP DATABASE $db" >/dev/null
    else
      mariadb --protocol=TCP -h 127.0.0.1 -P "$SCHEMACTL_TEST_MYSQL_PORT" -u schemactl -e "DROP DATABASE $db"
    fi
  done
done

echo
echo "schemactl inspect of bench/gen_registry's install (N tables, each with an enum, a foreign key, two indexes), $RUNS runs, median"
echo
echo "| server | tables | inspect (ms, median) | catalog queries | target |"
echo "|---|---:|---:|---:|---|"
for dialect in postgres tidb; do
  if [[ $dialect == postgres ]]; then name="PostgreSQL 15"; else name="MariaDB 10.11"; fi
  for n in "$small" "$N"; do
    # shellcheck disable=SC2086
    t=$(median ${times[$dialect,$n]})
    ok=$(awk -v t="$t" -v n="$n" -v big="$N" 'BEGIN { print (n != big) ? "" : (t < 2000) ? "met (< 2 s)" : "**missed** (< 2 s)" }')
    echo "| $name | $n | $t | ${queries[$dialect,$n]} | $ok |"
  done
done

#!/usr/bin/env bash
# A batched backfill (`-- schemactl:repeat-until-zero`) of ROWS rows, on PostgreSQL 15 and MariaDB 10.11,
# against the same UPDATE as one statement run by the server's own client.
#
#   bash bench/run_backfill.sh          # ROWS=1000000, BATCH=10000 by default
#
# For each server: a fresh database with `items (id INT PRIMARY KEY, flag INT)` holding ROWS rows,
# then `schemactl migrate up` of one migration whose up file is one repeat-until-zero UPDATE of BATCH
# rows still NULL (Postgres: WHERE id IN (SELECT id ... LIMIT n); MariaDB: UPDATE ... LIMIT n); the
# table is reset and the single UPDATE of every row runs with psql / mariadb. Prints seconds, batches
# and rows. INDEX=1 adds an index on `flag`, so that each batch finds its rows through it instead of
# scanning past the rows already done. Knobs: ROWS, BATCH, INDEX, SKIP_BUILD=1, SCHEMACTL (a binary to use), SERVERS_ENV (the env file
# of servers already started by tests/servers.sh, instead of starting new ones).
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROWS="${ROWS:-1000000}"
BATCH="${BATCH:-10000}"
if [[ -z "${SCHEMACTL:-}" ]]; then
  bench_build schemactl
  SCHEMACTL="$BUILD/schemactl"
fi
bench_workdir backfill
bench_servers
export PGPASSWORD=s3cret-pw MYSQL_PWD=s3cret-pw
db="bench_backfill_$$"
psql_() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$SCHEMACTL_TEST_PG_PORT" -U schemactl "$@"; }
maria_() { mariadb --protocol=TCP -h 127.0.0.1 -P "$SCHEMACTL_TEST_MYSQL_PORT" -u schemactl "$@"; }
now() { date +%s.%N; }

printf '| server | rows | batch | index on flag | schemactl migrate up, batched (s) | batches | one UPDATE by the client (s) |\n'
printf '|---|---:|---:|---|---:|---:|---:|\n'
for dialect in postgres tidb; do
  mig="$WORK/$dialect/migrations"
  mkdir -p "$mig/$dialect"
  if [[ $dialect == postgres ]]; then
    psql_ -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    load() {
      psql_ -d "$db" -c "DROP TABLE IF EXISTS items" -c "CREATE TABLE items (id INT PRIMARY KEY, flag INT)" \
        -c "INSERT INTO items (id) SELECT g FROM generate_series(1, $ROWS) g" -c "VACUUM ANALYZE items"
      if [[ "${INDEX:-0}" == 1 ]]; then psql_ -d "$db" -c "CREATE INDEX items_flag ON items (flag)"; fi
    }
    update="UPDATE items SET flag = 1 WHERE id IN (SELECT id FROM items WHERE flag IS NULL LIMIT $BATCH)"
    url="postgres://schemactl:s3cret-pw@127.0.0.1:$SCHEMACTL_TEST_PG_PORT/$db"
    whole() { psql_ -d "$db" -c "UPDATE items SET flag = 1 WHERE flag IS NULL"; }
    name="PostgreSQL 15"
  else
    maria_ -e "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db"
    load() {
      maria_ "$db" -e "DROP TABLE IF EXISTS items; CREATE TABLE items (id INT PRIMARY KEY, flag INT) ENGINE=InnoDB;
        SET SESSION max_recursive_iterations = 100000000;
        INSERT INTO items (id) WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ROWS) SELECT i FROM n;"
      if [[ "${INDEX:-0}" == 1 ]]; then maria_ "$db" -e "CREATE INDEX items_flag ON items (flag)"; fi
    }
    update="UPDATE items SET flag = 1 WHERE flag IS NULL LIMIT $BATCH"
    url="mysql://schemactl:s3cret-pw@127.0.0.1:$SCHEMACTL_TEST_MYSQL_PORT/$db"
    whole() { maria_ "$db" -e "UPDATE items SET flag = 1 WHERE flag IS NULL"; }
    name="MariaDB 10.11"
  fi
  printf -- '-- schemactl:repeat-until-zero\n%s;\n' "$update" >"$mig/$dialect/20260101_000000_backfill.up.sql"
  printf 'SELECT 1;\n' >"$mig/$dialect/20260101_000000_backfill.down.sql"
  # schemactl.sum by hand (`migrate hash` wants a snapshot.json, which a directory of hand-written
  # migrations does not have): "total <sha256 of the lines>" then "<file> <sha256>" per file.
  body=$(cd "$mig/$dialect" && for f in *.sql; do printf '%s %s\n' "$f" "$(sha256sum "$f" | cut -d' ' -f1)"; done)
  printf 'total %s\n%s\n' "$(printf '%s\n' "$body" | sha256sum | cut -d' ' -f1)" "$body" >"$mig/$dialect/schemactl.sum"
  load
  t0=$(now)
  out=$("$SCHEMACTL" migrate up --url "$url" --migrations "$mig" 2>&1)
  t1=$(now)
  batches=$(sed -n 's/.*repeated until 0 rows: \([0-9]*\) batch(es).*/\1/p' <<<"$out" | head -n 1)
  load
  t2=$(now)
  whole
  t3=$(now)
  printf '| %s | %s | %s | %s | %.1f | %s | %.1f |\n' "$name" "$ROWS" "$BATCH" "$([[ "${INDEX:-0}" == 1 ]] && echo yes || echo no)" \
    "$(echo "$t1 - $t0" | bc)" "$batches" \
    "$(echo "$t3 - $t2" | bc)"
  if [[ $dialect == postgres ]]; then psql_ -d postgres -c "DROP DATABASE $db"; else maria_ -e "DROP DATABASE $db"; fi
done

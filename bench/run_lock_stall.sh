#!/usr/bin/env bash
# Writer stalls during `schemactl migrate up` on a loaded Postgres table (issue 8's lock benchmark).
#
#   bash bench/run_lock_stall.sh            # ROWS=1000000 by default; ROWS="1000000 5000000" for both
#
# Starts its own servers (tests/servers.sh). For each size: installs bench/lock_stall/a (customers,
# orders), loads ROWS orders, plans a/ -> b/ with `schemactl migrate new` (a foreign key, a CHECK,
# a UNIQUE (customer_id, id), NOT NULL on an existing column, two indexes, an int column with a
# default, a varchar(20) -> (40) widening), then runs `migrate up` while pgbench drives CLIENTS
# writers (INSERT a new order + UPDATE one by id, one transaction each). pgbench's per-transaction
# log gives every writer transaction's latency: the longest one that overlaps the migration is the
# writer stall. Prints ROWS, migration seconds, longest stall (ms) and the p99 latency (ms).
# Knobs: ROWS, CLIENTS (4), SKIP_BUILD=1, UP_FLAGS (extra flags for migrate up).
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROWS="${ROWS:-1000000}"
CLIENTS="${CLIENTS:-4}"
PGBIN=/usr/lib/postgresql/15/bin
bench_build schemactl
SCHEMACTL="$BUILD/schemactl"
bench_workdir locks
chmod 755 "$WORK"
bench_servers
export PGPASSWORD=s3cret-pw
psql_() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$SCHEMACTL_TEST_PG_PORT" -U schemactl "$@"; }

printf '%-10s %-14s %-18s %-10s %s\n' rows migrate_s longest_stall_ms p99_ms transactions
for rows in $ROWS; do
  db="locks_$rows"
  psql_ -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  url="postgres://schemactl:s3cret-pw@127.0.0.1:$SCHEMACTL_TEST_PG_PORT/$db"
  mig="$WORK/migrations_$rows"
  "$SCHEMACTL" migrate new base --schema bench/lock_stall/a --migrations "$mig" --version 20250101_000000 >/dev/null
  "$SCHEMACTL" migrate up --url "$url" --migrations "$mig" >/dev/null
  psql_ -d "$db" -c "INSERT INTO customers SELECT generate_series(1, 1000)" \
    -c "INSERT INTO orders (id, customer_id, status, note, amount) SELECT g, g % 1000 + 1, 'new', 'n' || (g % 97), g % 500 FROM generate_series(1, $rows) g" \
    -c "CREATE SEQUENCE bench_ids START $((rows + 1))" -c "VACUUM ANALYZE orders"
  "$SCHEMACTL" migrate new change --schema bench/lock_stall/b --migrations "$mig" --version 20250102_000000 \
    --allow-destructive >/dev/null
  cat >"$WORK/writers.sql" <<SQL
\set id random(1, $rows)
\set c random(1, 1000)
BEGIN;
INSERT INTO orders (id, customer_id, status, note, amount) VALUES (nextval('bench_ids'), :c, 'new', 'w', 1);
UPDATE orders SET amount = amount + 1 WHERE id = :id;
END;
SQL
  rm -f "$WORK"/pgbench_log.*
  (cd "$WORK" && exec "$PGBIN/pgbench" -n -h 127.0.0.1 -p "$SCHEMACTL_TEST_PG_PORT" -U schemactl -c "$CLIENTS" -j 2 \
    -T 600 -f writers.sql -l "$db" >"$WORK/pgbench.out" 2>&1) &
  bench_pid=$!
  sleep 3
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  "$SCHEMACTL" migrate up --url "$url" --migrations "$mig" ${UP_FLAGS:-} >"$WORK/up.out" 2>&1 || {
    cat "$WORK/up.out" >&2
    kill "$bench_pid" 2>/dev/null || true
    exit 1
  }
  end=$(date +%s.%N)
  sleep 2
  kill -TERM "$bench_pid" 2>/dev/null || true
  wait "$bench_pid" 2>/dev/null || true
  # Log lines: client transaction latency_us script epoch_s epoch_us (the time the transaction ended).
  cat "$WORK"/pgbench_log.* | awk -v s="$start" -v e="$end" \
    '{ done = $5 + $6 / 1e6; if (done >= s && done - $3 / 1e6 <= e) print $3 }' | sort -n >"$WORK/latencies"
  n=$(wc -l <"$WORK/latencies")
  if ((n == 0)); then
    echo "no writer transaction overlapped the migration; pgbench said:" >&2
    cat "$WORK/pgbench.out" >&2
    exit 1
  fi
  max=$(tail -n 1 "$WORK/latencies")
  p99=$(sed -n "$(((n * 99 + 99) / 100))p" "$WORK/latencies")
  awk -v r="$rows" -v s="$start" -v e="$end" -v m="$max" -v p="$p99" -v n="$n" \
    'BEGIN { printf "%-10s %-14.2f %-18.1f %-10.1f %d\n", r, e - s, m / 1000, p / 1000, n }'
  grep -q "BLOCKS" "$WORK/up.out" && grep "BLOCKS" "$WORK/up.out" | sed 's/^/    /' >&2 || true
done

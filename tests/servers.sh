#!/usr/bin/env bash
# Throwaway PostgreSQL 15 and MariaDB 10.11 servers for schemactl's tests.
#
#   bash tests/servers.sh start        -> starts both servers on free 127.0.0.1 ports, creates
#                                         role/user `schemactl` (password s3cret-pw) and database
#                                         `schemactl_test` on each, writes DIR/env and DIR/pids,
#                                         and prints the env file's path as the last line of stdout.
#                                         Unless SCHEMACTL_SERVERS_TLS=0, also a second MariaDB
#                                         with TLS (a certificate made by openssl in DIR/mysqltls):
#                                         SCHEMACTL_TEST_MYSQL_TLS_URL, SCHEMACTL_TEST_TLS_CA.
#   bash tests/servers.sh stop DIR     -> stops exactly the servers recorded in DIR/pids (safe twice).
#   bash tests/servers.sh stop --rm DIR   ... and then deletes DIR.
#
# DIR is a fresh temp dir: `mktemp -d` under $SCHEMACTL_SERVERS_DIR when that is set (it is
# created if needed), otherwise a fresh `mktemp -d` in $TMPDIR (/tmp).
#
# Sourcing this file defines schemactl_servers_start / schemactl_servers_stop (each runs in a
# subshell, so the caller's shell options are left alone) and does nothing else.
#
# As root (CI), PostgreSQL runs as `postgres` (through runuser) and MariaDB as `mysql`: PG
# refuses to run as root. Servers are only ever stopped by the pid recorded at start (and
# checked against their data dir), never by process name.
#
# Tunables: SCHEMACTL_SERVERS_TIMEOUT (seconds to wait for each server, default 30),
#           SCHEMACTL_PG_BIN (default /usr/lib/postgresql/15/bin).

_schemactl_servers_log() { printf 'servers.sh: %s\n' "$*" >&2; }

# --- helpers (all called inside the subshell bodies below) -------------------------------

# Is TCP port $1 on 127.0.0.1 free right now? (nobody listening, nothing answering)
_schemactl_port_free() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    # Any socket bound to this local port (listening or not) counts as taken.
    if [[ -n "$(ss -Htan "sport = :$port" 2>/dev/null)" ]]; then
      return 1
    fi
  fi
  # Something answers a connect? Then it is taken. (Subshell so the fd closes at once.)
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    return 1
  fi
  return 0
}

# Prints a random free port outside the kernel's ephemeral range, not in "$@".
_schemactl_pick_port() {
  local lo=15000 hi=32000 port tries=0 p taken
  while ((tries < 200)); do
    tries=$((tries + 1))
    port=$((lo + (RANDOM * 32768 + RANDOM) % (hi - lo)))
    taken=0
    for p in "$@"; do [[ "$p" == "$port" ]] && taken=1; done
    ((taken)) && continue
    if _schemactl_port_free "$port"; then
      echo "$port"
      return 0
    fi
  done
  _schemactl_servers_log "could not find a free port after $tries tries"
  return 1
}

_schemactl_tail_log() {
  local f=$1
  if [[ -f "$f" ]]; then
    printf -- '----- last lines of %s -----\n' "$f" >&2
    tail -n 40 "$f" >&2 || true
    printf -- '----- end of %s -----\n' "$f" >&2
  else
    _schemactl_servers_log "(no log file at $f)"
  fi
}

# Run a command as user $1 (when root) or as ourselves (when not root).
_schemactl_as() {
  local user=$1
  shift
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

_schemactl_pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# Does pid $1 look like a process of ours: its command line contains string $2 (a data dir)?
_schemactl_pid_is() {
  local pid=$1 needle=$2 cmdline
  _schemactl_pid_alive "$pid" || return 1
  cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ "$cmdline" == *"$needle"* ]]
}

_schemactl_wait_gone() { # pid seconds
  local pid=$1 secs=$2 i
  for ((i = 0; i < secs * 10; i++)); do
    _schemactl_pid_alive "$pid" || return 0
    sleep 0.1
  done
  ! _schemactl_pid_alive "$pid"
}

# Starts one MariaDB: $1 = name in the pids file (mysql, mysqltls), $2 = its directory, the rest
# = extra server options. Sets myport and mypid. Runs inside schemactl_servers_start's subshell
# (uses its dir, timeout, is_root and pgport; the port lock is held by the caller).
_schemactl_mariadb_up() {
  local name=$1 mydir=$2
  shift 2
  local mydata="$mydir/data" mysock="$mydir/mysqld.sock" mylog="$mydir/server.log"
  local mypidfile="$mydir/mariadbd.pid" started=0 i attempt
  _schemactl_servers_log "mariadb-install-db in $mydata"
  local -a myuser=()
  ((is_root)) && myuser=(--user=mysql)
  # Its own temporary directory: another program cleaning /tmp cannot pull a temporary table away.
  mkdir -p "$mydir/tmp"
  ((is_root)) && chown mysql "$mydir/tmp"
  if ! mariadb-install-db --no-defaults --datadir="$mydata" "${myuser[@]}" \
    --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
    >"$mydir/install-db.log" 2>&1 9>&-; then
    _schemactl_servers_log "mariadb-install-db failed"
    _schemactl_tail_log "$mydir/install-db.log"
    exit 1
  fi
  myport="" mypid="" started=0
  for attempt in 1 2 3 4 5; do
    myport=$(_schemactl_pick_port "$pgport" ${_schemactl_taken_ports:-})
    _schemactl_servers_log "starting MariaDB ($name) on 127.0.0.1:$myport (attempt $attempt)"
    rm -f "$mypidfile"
    : >"$mylog"
    # setsid: keep a terminal's Ctrl-C away from the server; the trap in the caller stops it.
    setsid mariadbd --no-defaults --datadir="$mydata" --port="$myport" --bind-address=127.0.0.1 \
      --socket="$mysock" --pid-file="$mypidfile" --tmpdir="$mydir/tmp" "${myuser[@]}" \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
      --skip-name-resolve --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
      --innodb-buffer-pool-dump-at-shutdown=0 --innodb-buffer-pool-load-at-startup=0 \
      --max-connections=300 "$@" \
      </dev/null >>"$mylog" 2>&1 9>&- &
    mypid=$!
    printf '%s_launch_pid=%s\n' "$name" "$mypid" >>"$dir/pids"
    started=0
    for ((i = 0; i < timeout * 5; i++)); do
      if ! _schemactl_pid_alive "$mypid"; then
        break
      fi
      if [[ -S "$mysock" ]] &&
        mariadb-admin --no-defaults --socket="$mysock" -uroot --connect-timeout=2 ping >/dev/null 2>&1; then
        started=1
        break
      fi
      sleep 0.2
    done
    ((started)) && break
    if ! _schemactl_pid_alive "$mypid" &&
      grep -qiE 'address already in use|Bind on TCP/IP port' "$mylog" 2>/dev/null; then
      _schemactl_servers_log "port $myport was taken; retrying with another one"
      wait "$mypid" 2>/dev/null || true
      myport=""
      continue
    fi
    if _schemactl_pid_alive "$mypid"; then
      _schemactl_servers_log "MariaDB (pid $mypid) did not answer within ${timeout}s"
    else
      local st=0
      wait "$mypid" 2>/dev/null || st=$?
      _schemactl_servers_log "mariadbd exited with status $st before answering"
    fi
    _schemactl_tail_log "$mylog"
    exit 1
  done
  if ((started == 0)); then
    _schemactl_servers_log "MariaDB: every port tried was taken"
    _schemactl_tail_log "$mylog"
    exit 1
  fi
  # The pid file is the server's own word; it is the launch pid unless setsid had to fork.
  if [[ -s "$mypidfile" ]]; then
    mypid=$(tr -dc '0-9' <"$mypidfile")
  fi
  printf '%s_pid=%s\n%s_data=%s\n%s_port=%s\n' "$name" "$mypid" "$name" "$mydata" "$name" "$myport" >>"$dir/pids"
}

# A test CA, a server certificate it signed (for 127.0.0.1, not localhost) and an unrelated CA,
# made with openssl in directory $1 (owned by mysql when root).
_schemactl_tls_files() {
  local d=$1
  mkdir -p "$d"
  chmod 755 "$d"
  if ! (
    cd "$d" &&
      openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=schemactl test CA" \
        -keyout ca-key.pem -out ca.pem &&
      openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server-key.pem -out server.csr &&
      printf 'subjectAltName=IP:127.0.0.1\n' >server.ext &&
      openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 \
        -extfile server.ext -out server.pem &&
      openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=some other CA" \
        -keyout other-ca-key.pem -out other-ca.pem
  ) >"$d/openssl.log" 2>&1; then
    _schemactl_servers_log "openssl failed"
    _schemactl_tail_log "$d/openssl.log"
    exit 1
  fi
  chmod 644 "$d"/*.pem
  if [[ $(id -u) -eq 0 ]]; then chown -R mysql:mysql "$d"; fi
}

# --- start ----------------------------------------------------------------------------------

schemactl_servers_start() (
  set -euo pipefail
  local timeout=${SCHEMACTL_SERVERS_TIMEOUT:-30}
  local pgbin=${SCHEMACTL_PG_BIN:-/usr/lib/postgresql/15/bin}
  local is_root=0
  [[ $(id -u) -eq 0 ]] && is_root=1

  local dir
  if [[ -n "${SCHEMACTL_SERVERS_DIR:-}" ]]; then
    mkdir -p "$SCHEMACTL_SERVERS_DIR"
    dir=$(mktemp -d "$SCHEMACTL_SERVERS_DIR/servers.XXXXXX")
  else
    dir=$(mktemp -d -t schemactl-servers.XXXXXX)
  fi
  dir=$(cd "$dir" && pwd -P)
  chmod 755 "$dir"
  : >"$dir/pids"

  local pgdir="$dir/pg" mydir="$dir/mysql"
  local pgdata="$pgdir/data" pgsock="$pgdir" pglog="$pgdir/server.log"
  local mydata="$mydir/data" mysock="$mydir/mysqld.sock" mylog="$mydir/server.log"
  local mypidfile="$mydir/mariadbd.pid"
  mkdir -p "$pgdir" "$mydir"
  chmod 755 "$pgdir" "$mydir"
  if ((is_root)); then
    chown postgres:postgres "$pgdir"
    chown mysql:mysql "$mydir"
  fi
  if ((${#mysock} > 100)) || ((${#pgsock} > 90)); then
    _schemactl_servers_log "temp dir path too long for unix sockets: $dir"
    exit 1
  fi
  if ((is_root)); then
    if ! runuser -u postgres -- test -w "$pgdir" || ! runuser -u mysql -- test -w "$mydir"; then
      _schemactl_servers_log "$dir is not reachable by the postgres/mysql users; a parent directory is" \
        "probably not world-searchable (chmod o+x it, or set SCHEMACTL_SERVERS_DIR under /tmp)"
      exit 1
    fi
  fi

  # If anything below fails, stop whatever we already started.
  local ok=0
  trap 'if ((ok == 0)); then _schemactl_servers_log "start failed; stopping what was started in $dir"; schemactl_servers_stop "$dir" || true; fi' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  # Concurrent starts (on this machine) serialize port picking + binding on a lock, so two runs
  # never pick the same port; a port taken by anything else is simply retried with another one.
  local lockfile="${TMPDIR:-/tmp}/.schemactl-servers-ports.lock"
  exec 9>>"$lockfile"
  chmod 666 "$lockfile" 2>/dev/null || true
  if ! flock -w 300 9; then
    _schemactl_servers_log "timed out waiting for $lockfile"
    exit 1
  fi

  # ---- PostgreSQL 15 ----
  _schemactl_servers_log "initdb in $pgdata"
  if ! _schemactl_as postgres "$pgbin/initdb" -D "$pgdata" -U postgres -E UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$pgdir/initdb.log" 2>&1 9>&-; then
    _schemactl_servers_log "initdb failed"
    _schemactl_tail_log "$pgdir/initdb.log"
    exit 1
  fi
  cat >>"$pgdata/postgresql.conf" <<EOF

# --- schemactl test server ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$pgsock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
log_min_messages = warning
EOF
  local pgport="" attempt pgpid=""
  for attempt in 1 2 3 4 5; do
    pgport=$(_schemactl_pick_port)
    _schemactl_servers_log "starting PostgreSQL on 127.0.0.1:$pgport (attempt $attempt)"
    : >"$pglog"
    if ((is_root)); then chown postgres:postgres "$pglog"; fi
    if _schemactl_as postgres "$pgbin/pg_ctl" -D "$pgdata" -l "$pglog" -o "-p $pgport" -w -t "$timeout" start \
      >"$pgdir/pg_ctl.log" 2>&1 9>&-; then
      break
    fi
    if grep -qiE 'address already in use|could not create any TCP/IP sockets' "$pglog" 2>/dev/null; then
      _schemactl_servers_log "port $pgport was taken; retrying with another one"
      pgport=""
      continue
    fi
    _schemactl_servers_log "PostgreSQL did not start within ${timeout}s"
    cat "$pgdir/pg_ctl.log" >&2 || true
    _schemactl_tail_log "$pglog"
    exit 1
  done
  if [[ -z "$pgport" ]]; then
    _schemactl_servers_log "PostgreSQL: every port tried was taken"
    _schemactl_tail_log "$pglog"
    exit 1
  fi
  pgpid=$(head -n 1 "$pgdata/postmaster.pid")
  printf 'pg_pid=%s\npg_data=%s\npg_port=%s\n' "$pgpid" "$pgdata" "$pgport" >>"$dir/pids"

  # ---- MariaDB 10.11 (plain) and, unless SCHEMACTL_SERVERS_TLS=0, a second one with TLS ----
  _schemactl_mariadb_up mysql "$mydir"
  local tlsport="" tlsdir="$dir/mysqltls"
  if [[ "${SCHEMACTL_SERVERS_TLS:-1}" != 0 ]]; then
    _schemactl_tls_files "$tlsdir"
    local plain_port=$myport plain_pid=$mypid
    _schemactl_taken_ports=$plain_port
    _schemactl_mariadb_up mysqltls "$tlsdir" --ssl-cert="$tlsdir/server.pem" --ssl-key="$tlsdir/server-key.pem" \
      --ssl-ca="$tlsdir/ca.pem" --innodb-buffer-pool-size=16M
    tlsport=$myport
    myport=$plain_port
    mypid=$plain_pid
  fi

  # Both servers are bound now: later runs will see these ports as taken.
  flock -u 9
  exec 9>&-

  # ---- roles and databases ----
  _schemactl_servers_log "creating role schemactl and database schemactl_test"
  local out
  if ! out=$("$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$pgsock" -p "$pgport" -U postgres -d postgres \
    -c "CREATE ROLE schemactl LOGIN SUPERUSER PASSWORD 's3cret-pw'" \
    -c "CREATE DATABASE schemactl_test OWNER schemactl" 2>&1); then
    _schemactl_servers_log "PostgreSQL setup failed: $out"
    exit 1
  fi
  if ! out=$(mariadb --no-defaults --socket="$mysock" -uroot 2>&1 <<'SQL'
DROP USER IF EXISTS ''@'localhost';
CREATE USER 'schemactl'@'127.0.0.1' IDENTIFIED BY 's3cret-pw';
CREATE USER 'schemactl'@'%' IDENTIFIED BY 's3cret-pw';
CREATE USER 'schemactl'@'localhost' IDENTIFIED BY 's3cret-pw';
GRANT ALL ON *.* TO 'schemactl'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL ON *.* TO 'schemactl'@'%' WITH GRANT OPTION;
GRANT ALL ON *.* TO 'schemactl'@'localhost' WITH GRANT OPTION;
CREATE DATABASE schemactl_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
FLUSH PRIVILEGES;
SQL
  ); then
    _schemactl_servers_log "MariaDB setup failed: $out"
    exit 1
  fi

  if [[ -n "$tlsport" ]] && ! out=$(mariadb --no-defaults --socket="$tlsdir/mysqld.sock" -uroot 2>&1 <<'SQL'
DROP USER IF EXISTS ''@'localhost';
CREATE USER 'schemactl'@'%' IDENTIFIED BY 's3cret-pw';
GRANT ALL ON *.* TO 'schemactl'@'%';
CREATE DATABASE schemactl_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
FLUSH PRIVILEGES;
SQL
  ); then
    _schemactl_servers_log "MariaDB (TLS) setup failed: $out"
    exit 1
  fi

  # ---- check the URLs' credentials over TCP ----
  if ! out=$(PGPASSWORD='s3cret-pw' PGCONNECT_TIMEOUT=10 "$pgbin/psql" -X -At -v ON_ERROR_STOP=1 \
    -h 127.0.0.1 -p "$pgport" -U schemactl -d schemactl_test -c 'SELECT 1' 2>&1) || [[ "$out" != 1 ]]; then
    _schemactl_servers_log "PostgreSQL TCP login as schemactl failed: $out"
    _schemactl_tail_log "$pglog"
    exit 1
  fi
  if ! out=$(mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$myport" -u schemactl -p's3cret-pw' \
    --connect-timeout=10 -N -B -e 'SELECT 1' schemactl_test 2>&1) || [[ "$out" != 1 ]]; then
    _schemactl_servers_log "MariaDB TCP login as schemactl failed: $out"
    _schemactl_tail_log "$mylog"
    exit 1
  fi

  cat >"$dir/env" <<EOF
# Written by tests/servers.sh start; stop with: bash tests/servers.sh stop '$dir'
export SCHEMACTL_TEST_SERVERS_DIR='$dir'
export SCHEMACTL_TEST_PG_URL='postgres://schemactl:s3cret-pw@127.0.0.1:$pgport/schemactl_test'
export SCHEMACTL_TEST_MYSQL_URL='mysql://schemactl:s3cret-pw@127.0.0.1:$myport/schemactl_test'
export SCHEMACTL_TEST_PG_PORT='$pgport'
export SCHEMACTL_TEST_MYSQL_PORT='$myport'
export SCHEMACTL_TEST_PG_SOCKET_DIR='$pgsock'
export SCHEMACTL_TEST_MYSQL_SOCKET='$mysock'
export SCHEMACTL_TEST_SERVERS_PIDS='$dir/pids'
EOF
  if [[ -n "$tlsport" ]]; then
    cat >>"$dir/env" <<EOF
# A second MariaDB with TLS (certificate for 127.0.0.1, not localhost, signed by ca.pem; other-ca.pem signed nothing)
export SCHEMACTL_TEST_MYSQL_TLS_URL='mysql://schemactl:s3cret-pw@127.0.0.1:$tlsport/schemactl_test'
export SCHEMACTL_TEST_TLS_CA='$tlsdir/ca.pem'
export SCHEMACTL_TEST_TLS_OTHER_CA='$tlsdir/other-ca.pem'
EOF
  fi
  chmod 644 "$dir/env"
  # shellcheck disable=SC2034  # read by the EXIT trap
  ok=1
  _schemactl_servers_log "PostgreSQL pid $pgpid on 127.0.0.1:$pgport, MariaDB pid $mypid on 127.0.0.1:$myport"
  echo "$dir/env"
)

# --- stop -----------------------------------------------------------------------------------

schemactl_servers_stop() (
  set -uo pipefail
  local rm=0
  if [[ "${1:-}" == "--rm" ]]; then
    rm=1
    shift
  fi
  local dir=${1:-}
  if [[ -z "$dir" ]]; then
    _schemactl_servers_log "usage: servers.sh stop [--rm] DIR"
    exit 2
  fi
  # Accept the env file's path as well as its directory.
  [[ -f "$dir" ]] && dir=$(dirname "$dir")
  local pgbin=${SCHEMACTL_PG_BIN:-/usr/lib/postgresql/15/bin}
  local pidsfile="$dir/pids"
  if [[ ! -f "$pidsfile" ]]; then
    # The parent given (SCHEMACTL_SERVERS_DIR rather than the servers.XXXX inside it): stop each set
    # of servers it holds first, rather than removing their data under them.
    local inner found=0
    for inner in "$dir"/servers.*/pids; do
      [[ -f "$inner" ]] || continue
      found=1
      schemactl_servers_stop "$(dirname "$inner")" || return 1
    done
    ((found)) || _schemactl_servers_log "no $pidsfile; nothing to stop"
    if ((rm)) && [[ -d "$dir" ]]; then rm -rf -- "$dir"; fi
    exit 0
  fi
  local key val pg_pid="" pg_data="" mysql_pid="" mysql_data="" mysql_launch_pids=()
  local mysqltls_pid="" mysqltls_data="$dir/mysqltls/data" mysqltls_launch_pids=()
  while IFS='=' read -r key val; do
    case "$key" in
      pg_pid) pg_pid=$val ;;
      pg_data) pg_data=$val ;;
      mysql_pid) mysql_pid=$val ;;
      mysql_data) mysql_data=$val ;;
      mysql_launch_pid) mysql_launch_pids+=("$val") ;;
      mysqltls_pid) mysqltls_pid=$val ;;
      mysqltls_data) mysqltls_data=$val ;;
      mysqltls_launch_pid) mysqltls_launch_pids+=("$val") ;;
    esac
  done <"$pidsfile"
  [[ -z "$mysql_data" ]] && mysql_data="$dir/mysql/data"
  local rc=0

  # PostgreSQL: pg_ctl stop -m fast on its data dir, if the recorded postmaster still runs it.
  if [[ -n "$pg_pid" ]] && _schemactl_pid_is "$pg_pid" "$pg_data" &&
    [[ -f "$pg_data/postmaster.pid" ]] && [[ "$(head -n 1 "$pg_data/postmaster.pid")" == "$pg_pid" ]]; then
    _schemactl_servers_log "stopping PostgreSQL (pid $pg_pid)"
    if ! _schemactl_as postgres "$pgbin/pg_ctl" -D "$pg_data" -m fast -w -t 30 stop >/dev/null 2>&1; then
      _schemactl_servers_log "pg_ctl stop failed; sending SIGQUIT to pid $pg_pid"
      kill -QUIT "$pg_pid" 2>/dev/null || true
    fi
    if ! _schemactl_wait_gone "$pg_pid" 30; then
      _schemactl_servers_log "PostgreSQL pid $pg_pid still running; SIGKILL"
      kill -KILL "$pg_pid" 2>/dev/null || true
      _schemactl_wait_gone "$pg_pid" 10 || rc=1
    fi
  fi

  # MariaDB: SIGTERM the recorded pid (only if it is the mariadbd on our data dir) and wait.
  local pid entry
  for entry in ${mysql_pid:+"$mysql_pid:$mysql_data"} ${mysql_launch_pids[@]/%/:$mysql_data} \
    ${mysqltls_pid:+"$mysqltls_pid:$mysqltls_data"} ${mysqltls_launch_pids[@]/%/:$mysqltls_data}; do
    pid=${entry%%:*}
    if _schemactl_pid_is "$pid" "${entry#*:}"; then
      _schemactl_servers_log "stopping MariaDB (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      if ! _schemactl_wait_gone "$pid" 60; then
        _schemactl_servers_log "MariaDB pid $pid still running; SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        _schemactl_wait_gone "$pid" 10 || rc=1
      fi
    fi
  done

  if ((rc == 0)) && ((rm)); then
    rm -rf -- "$dir"
  fi
  exit "$rc"
)

# --- crash and restart (the fault tests) ------------------------------------------------------
#   servers.sh crash DIR pg|mysql     SIGKILL the server (Postgres: the postmaster and every backend)
#   servers.sh restart DIR pg|mysql   start it again on the same data dir and port (crash recovery
#                                     runs); the new pid is appended to DIR/pids, so stop finds it

_schemactl_pids_value() { # pidsfile key: the last value recorded for key
  awk -F= -v k="$2" '$1 == k { v = $2 } END { print v }' "$1"
}

schemactl_servers_crash() (
  set -uo pipefail
  local dir=$1 which=$2 pid data
  if [[ "$which" == pg ]]; then
    pid=$(_schemactl_pids_value "$dir/pids" pg_pid)
    data=$(_schemactl_pids_value "$dir/pids" pg_data)
    _schemactl_pid_is "$pid" "$data" || { _schemactl_servers_log "PostgreSQL pid $pid is not running"; exit 1; }
    local children
    children=$(pgrep -P "$pid" || true)
    kill -KILL "$pid" $children 2>/dev/null || true
    _schemactl_wait_gone "$pid" 10
    for c in $children; do _schemactl_wait_gone "$c" 10; done
  else
    pid=$(_schemactl_pids_value "$dir/pids" mysql_pid)
    data=$(_schemactl_pids_value "$dir/pids" mysql_data)
    _schemactl_pid_is "$pid" "$data" || { _schemactl_servers_log "MariaDB pid $pid is not running"; exit 1; }
    kill -KILL "$pid" 2>/dev/null || true
    _schemactl_wait_gone "$pid" 10
  fi
)

schemactl_servers_restart() (
  set -euo pipefail
  local dir=$1 which=$2 timeout=${SCHEMACTL_SERVERS_TIMEOUT:-30} i
  local pgbin=${SCHEMACTL_PG_BIN:-/usr/lib/postgresql/15/bin}
  if [[ "$which" == pg ]]; then
    local data port
    data=$(_schemactl_pids_value "$dir/pids" pg_data)
    port=$(_schemactl_pids_value "$dir/pids" pg_port)
    rm -f "$data/postmaster.pid"
    _schemactl_as postgres "$pgbin/pg_ctl" -D "$data" -l "$dir/pg/server.log" -o "-p $port" -w -t "$timeout" start \
      >"$dir/pg/pg_ctl.log" 2>&1
    printf 'pg_pid=%s\n' "$(head -n 1 "$data/postmaster.pid")" >>"$dir/pids"
  else
    local data port sock="$dir/mysql/mysqld.sock" pidfile="$dir/mysql/mariadbd.pid" mypid
    local -a myuser=()
    [[ $(id -u) -eq 0 ]] && myuser=(--user=mysql)
    data=$(_schemactl_pids_value "$dir/pids" mysql_data)
    port=$(_schemactl_pids_value "$dir/pids" mysql_port)
    rm -f "$pidfile" "$sock"
    setsid mariadbd --no-defaults --datadir="$data" --port="$port" --bind-address=127.0.0.1 \
      --socket="$sock" --pid-file="$pidfile" --tmpdir="$dir/mysql/tmp" "${myuser[@]}" \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
      --skip-name-resolve --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 \
      --innodb-buffer-pool-dump-at-shutdown=0 --innodb-buffer-pool-load-at-startup=0 \
      --max-connections=300 </dev/null >>"$dir/mysql/server.log" 2>&1 &
    mypid=$!
    for ((i = 0; i < timeout * 5; i++)); do
      if [[ -S "$sock" ]] && mariadb-admin --no-defaults --socket="$sock" -uroot --connect-timeout=2 ping \
        >/dev/null 2>&1; then
        [[ -s "$pidfile" ]] && mypid=$(tr -dc '0-9' <"$pidfile")
        printf 'mysql_pid=%s\n' "$mypid" >>"$dir/pids"
        exit 0
      fi
      sleep 0.2
    done
    _schemactl_servers_log "MariaDB did not come back within ${timeout}s"
    _schemactl_tail_log "$dir/mysql/server.log"
    exit 1
  fi
)

# --- entry point (only when executed, not when sourced) ---------------------------------------

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  case "${1:-}" in
    start) schemactl_servers_start ;;
    stop)
      shift
      schemactl_servers_stop "$@"
      ;;
    crash) schemactl_servers_crash "$2" "$3" ;;
    restart) schemactl_servers_restart "$2" "$3" ;;
    *)
      echo "usage: $0 start | stop [--rm] DIR | crash DIR pg|mysql | restart DIR pg|mysql" >&2
      exit 2
      ;;
  esac
fi

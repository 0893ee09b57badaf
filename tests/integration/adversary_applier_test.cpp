// Adversarial black-box tests of `schemactl migrate status|plan|up|down|resolve`, written only from
// the promises in README.md ("migrate status|plan|up|down|resolve", "Interrupted runs",
// "Recovering") and DESIGN.md. Each test names the promise it checks; a failing check says what the
// README promised and what happened instead.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

#include "cli_support.hpp"

using namespace schemactl;
using namespace schemactl::test;

namespace {

using Clock = std::chrono::steady_clock;

const DialectId kDialects[] = {DialectId::postgres, DialectId::tidb};

bool is_pg(const FreshDatabase& db) {
  return db.url().dialect == DialectId::postgres;
}

void exec(const FreshDatabase& db, const std::string& sql) {
  db.connect()->execute(sql);
}

// The value of `sql` as text, "<null>" for NULL, "<none>" for no row.
std::string val(const FreshDatabase& db, const std::string& sql) {
  auto rows = db.connect()->query(sql);
  if (rows.empty() || rows[0].empty()) return "<none>";
  return rows[0][0] ? *rows[0][0] : "<null>";
}

std::string cur_schema(const FreshDatabase& db) {
  return is_pg(db) ? "current_schema()" : "DATABASE()";
}

bool history_table_exists(const FreshDatabase& db) {
  return val(db, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = " + cur_schema(db) +
                     " AND table_name = 'schemactl_migrations'") == "1";
}

// The history table read back with plain SQL: one map (column -> text) per row, ordered by version.
using HRow = std::map<std::string, std::string>;
std::vector<HRow> hist(const FreshDatabase& db) {
  std::vector<HRow> out;
  if (!history_table_exists(db)) return out;
  auto conn = db.connect();
  auto cols = conn->query("SELECT column_name FROM information_schema.columns WHERE table_schema = " + cur_schema(db) +
                          " AND table_name = 'schemactl_migrations' ORDER BY ordinal_position");
  std::string select;
  std::vector<std::string> names;
  for (auto& c : cols) {
    names.push_back(*c[0]);
    if (!select.empty()) select += ", ";
    select += is_pg(db) ? "CAST(\"" + *c[0] + "\" AS text)" : "CAST(`" + *c[0] + "` AS CHAR)";
  }
  for (auto& r : conn->query("SELECT " + select + " FROM schemactl_migrations ORDER BY 1")) {
    HRow h;
    for (std::size_t i = 0; i < names.size(); ++i) h[names[i]] = r[i] ? *r[i] : "<null>";
    out.push_back(h);
  }
  return out;
}

std::string dump(const std::vector<HRow>& rows) {
  std::string s;
  for (auto& r : rows) {
    for (auto& [k, v] : r)
      if (k != "applied_at" && k != "duration_ms") s += k + "=" + v + " ";
    s += "\n";
  }
  return s.empty() ? "(no history rows)" : s;
}

// The row for `version`, or an empty map.
HRow row_of(const FreshDatabase& db, const std::string& version) {
  for (auto& r : hist(db))
    if (r["version"] == version) return r;
  return {};
}

std::string file_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string sha256_of(const fs::path& p) {
  std::string out;
  run_command("sha256sum '" + p.string() + "' | cut -d' ' -f1", out);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::string dname(DialectId d) {
  return d == DialectId::postgres ? "postgres" : "tidb";
}

// Writes one file of a migration without touching schemactl.sum.
void write_raw(const fs::path& root, DialectId d, const std::string& name, const std::string& text) {
  fs::create_directories(root / dname(d));
  std::ofstream(root / dname(d) / name, std::ios::binary) << text;
}

// A session that holds a lock on `table` until release(): the next statement of a migration that
// touches the table waits on the server.
class Blocker {
 public:
  Blocker(const FreshDatabase& db, const std::string& table, bool row_lock_only = false) : db_(db) {
    conn_ = db.connect();
    if (is_pg(db)) {
      conn_->execute("BEGIN");
      conn_->execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
    } else if (row_lock_only) {
      conn_->execute("SET autocommit = 0");
      conn_->execute("START TRANSACTION");
      conn_->query("SELECT * FROM " + table + " FOR UPDATE");
    } else {
      conn_->execute("LOCK TABLES " + table + " WRITE");
    }
  }
  void release() {
    if (conn_) {
      try {
        conn_->execute(is_pg(db_) ? "ROLLBACK" : "UNLOCK TABLES");
        if (!is_pg(db_)) conn_->execute("ROLLBACK");
      } catch (...) {
      }
      conn_.reset();
    }
  }
  ~Blocker() { release(); }

 private:
  const FreshDatabase& db_;
  std::unique_ptr<db::Connection> conn_;
};

// True once some other session of this database waits for a lock while running SQL containing
// `fragment`.
bool waiting_on(const FreshDatabase& db, const std::string& fragment, int seconds = 10) {
  if (is_pg(db))
    return wait_for_row(db,
                        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
                        "pg_backend_pid() AND wait_event_type = 'Lock' AND position('" +
                            fragment + "' in query) > 0",
                        seconds);
  return wait_for_row(db,
                      "SELECT 1 FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID() "
                      "AND (STATE LIKE 'Waiting for%lock%' OR ID IN (SELECT trx_mysql_thread_id FROM "
                      "information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT')) AND LOCATE('" +
                          fragment + "', INFO) > 0",
                      seconds);
}

// Waits until no other session of this database is running anything (a killed client's statement
// finished on the server), at most `seconds`.
void wait_idle(const FreshDatabase& db, int seconds = 10) {
  auto conn = db.connect();
  std::string sql = is_pg(db) ? "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
                                "pg_backend_pid() AND state <> 'idle'"
                              : "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> "
                                "CONNECTION_ID() AND COMMAND <> 'Sleep'";
  auto deadline = Clock::now() + std::chrono::seconds(seconds);
  while (Clock::now() < deadline) {
    auto r = conn->query(sql);
    if (r.at(0).at(0) == std::optional<std::string>("0")) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// One fresh database per dialect, and a migrations directory for it.
void for_each_dialect(const std::string& label,
                      const std::function<void(const FreshDatabase&, const fs::path&, DialectId)>& body) {
  for (DialectId d : kDialects) {
    auto server = server_url(d);
    REQUIRE(server);
    INFO("dialect: " << dname(d));
    FreshDatabase db(*server, label);
    TempDir dir;
    body(db, dir.path, d);
  }
}

int table_count(const FreshDatabase& db, const std::string& table) {
  return std::stoi(val(db, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = " + cur_schema(db) +
                               " AND table_name = '" + table + "'"));
}

int column_count(const FreshDatabase& db, const std::string& table, const std::string& column) {
  return std::stoi(val(db, "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = " + cur_schema(db) +
                               " AND table_name = '" + table + "' AND column_name = '" + column + "'"));
}

int index_count(const FreshDatabase& db, const std::string& table, const std::string& index) {
  if (is_pg(db))
    return std::stoi(val(db, "SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '" +
                                 table + "' AND indexname = '" + index + "'"));
  return std::stoi(val(db,
                       "SELECT COUNT(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = "
                       "DATABASE() AND TABLE_NAME = '" +
                           table + "' AND INDEX_NAME = '" + index + "'"));
}

}  // namespace

// History column names (from the live table; README lists what they hold).
namespace col {
const char* const state = "state";
const char* const applied = "statements_applied";
const char* const in_flight = "in_flight";
const char* const checksum = "checksum";
}  // namespace col

namespace {

const std::string V1 = "20260101_000001";
const std::string V2 = "20260101_000002";
const std::string V3 = "20260101_000003";

// The README's state of `version` in the history, or "<no row>".
std::string state_of(const FreshDatabase& db, const std::string& version) {
  auto r = row_of(db, version);
  return r.empty() ? "<no row>" : r[col::state];
}

void expect_applied(const FreshDatabase& db, const std::string& version, int statements) {
  auto r = row_of(db, version);
  INFO("history:\n" << dump(hist(db)));
  CHECK_MESSAGE(r[col::state] == "applied", "migration " << version << " should be recorded as applied");
  CHECK_MESSAGE(r[col::applied] == std::to_string(statements),
                "migration " << version << " should record all " << statements << " statements applied");
  CHECK_MESSAGE((r[col::in_flight] == "0" || r[col::in_flight] == "false" || r[col::in_flight] == "f"),
                "migration " << version << " should have no statement in flight");
}

void make_tables(const FreshDatabase& db, int n) {
  for (int i = 1; i <= n; ++i) {
    std::string t = "t" + std::to_string(i);
    exec(db, "CREATE TABLE " + t + " (id INT PRIMARY KEY, v INT)");
    exec(db, "INSERT INTO " + t + " VALUES (1, 1)");
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// "A killed client (kill -9) can leave a statement in flight ... The next run never runs such a
// statement again on a guess ... visible results are skipped when they took effect and run when
// they did not; IF [NOT] EXISTS / MODIFY / SET run again; anything else makes the migration
// unknown." Kill the client while each statement in turn waits on a lock.
TEST_CASE("adversary: kill -9 at each statement of a MariaDB migration, then up again") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  const std::vector<std::string> stmts = {
      "ALTER TABLE t1 ADD COLUMN c1 INT",
      "INSERT INTO t2 (id, v) VALUES (2, 20)",
      "CREATE INDEX i3 ON t3 (v)",
      "UPDATE t4 SET v = v + 100",
      "ALTER TABLE t5 ADD COLUMN c5 INT, ADD COLUMN d5 INT",
      "ALTER TABLE t6 RENAME COLUMN v TO w",
      "DELETE FROM t7 WHERE id = 1",
      "CREATE TABLE n8 LIKE t8",
      "RENAME TABLE t9 TO t9r",
      "DROP TABLE t10",
  };
  std::string up;
  for (auto& s : stmts) up += s + ";\n";
  const std::string down =
      "CREATE TABLE t10 (id INT PRIMARY KEY, v INT);\nRENAME TABLE t9r TO t9;\nDROP TABLE n8;\n"
      "INSERT INTO t7 VALUES (1, 1);\nALTER TABLE t6 RENAME COLUMN w TO v;\nALTER TABLE t5 DROP COLUMN d5, DROP "
      "COLUMN c5;\nUPDATE t4 SET v = v - 100;\nDROP INDEX i3 ON t3;\nDELETE FROM t2 WHERE id = 2;\nALTER TABLE t1 "
      "DROP COLUMN c1;\n";
  // Every statement kind was killed in turn while writing this test; to keep the run short it kills
  // at one statement of each way of settling (visible DDL, data change, several clauses, rename).
  for (std::size_t k : {0, 1, 2, 3, 4, 8, 9}) {
    std::string table = "t" + std::to_string(k + 1);
    INFO("client killed while statement " << k + 1 << " waits: " << stmts[k]);
    FreshDatabase db(*server, "kill9_my_" + std::to_string(k));
    TempDir dir;
    make_tables(db, 10);
    write_migration(dir.path, DialectId::tidb, V1 + "_seven", up, down);
    {
      Blocker block(db, table);
      Background run("up", db, dir.path);
      REQUIRE_MESSAGE(waiting_on(db, table), "statement " << k + 1 << " never waited on the lock");
      run.signal(SIGKILL);
      run.wait();
      block.release();
    }
    wait_idle(db);
    auto st = migrate("status", db, dir.path, "--exit-code");
    INFO("status after the kill (exit " << st.status << "):\n" << st.output);
    bool multi_clause = k == 4;
    auto again = migrate("up", db, dir.path, "--lock-timeout 20");
    INFO("up again (exit " << again.status << "):\n" << again.output);
    if (multi_clause) {
      // The in-flight statement was an ALTER with two clauses: unknown, up refuses.
      CHECK_MESSAGE(again.status == 1, "up must refuse while the migration is unknown");
      CHECK_MESSAGE(state_of(db, V1) == "unknown", "history:\n" << dump(hist(db)));
      auto st2 = migrate("status", db, dir.path, "--exit-code");
      CHECK_MESSAGE(st2.status == 1, "status --exit-code must be 1 once up found the migration unknown:\n"
                                         << st2.output);
      CHECK_MESSAGE(column_count(db, "t6", "v") == 1, "up ran statement 6 although the migration is unknown");
      auto res = migrate("resolve " + V1, db, dir.path, "--statement-applied");
      INFO("resolve: " << res.output);
      CHECK(res.status == 0);
      again = migrate("up", db, dir.path);
      CHECK_MESSAGE(again.status == 0, again.output);
    } else {
      CHECK_MESSAGE(again.status == 0, "up after a kill -9 must settle statement " << k + 1 << " and finish");
    }
    // Everything exactly once.
    CHECK_MESSAGE(column_count(db, "t1", "c1") == 1, "t1.c1 missing");
    CHECK_MESSAGE(val(db, "SELECT COUNT(*) FROM t2") == "2", "t2 row inserted a wrong number of times");
    CHECK_MESSAGE(index_count(db, "t3", "i3") == 1, "index i3 missing");
    CHECK_MESSAGE(val(db, "SELECT v FROM t4 WHERE id = 1") == "101", "UPDATE t4 applied a wrong number of times");
    CHECK_MESSAGE(column_count(db, "t5", "c5") + column_count(db, "t5", "d5") == 2, "t5 columns missing");
    CHECK_MESSAGE(column_count(db, "t6", "w") == 1, "t6 rename missing");
    CHECK_MESSAGE(val(db, "SELECT COUNT(*) FROM t7") == "0", "t7 row not deleted");
    CHECK_MESSAGE(table_count(db, "n8") == 1, "CREATE TABLE n8 LIKE t8 missing");
    CHECK_MESSAGE(table_count(db, "t9") + 2 * table_count(db, "t9r") == 2, "RENAME TABLE t9 TO t9r missing");
    CHECK_MESSAGE(table_count(db, "t10") == 0, "DROP TABLE t10 missing");
    expect_applied(db, V1, 10);
    CHECK(migrate("status", db, dir.path, "--exit-code").status == 0);
  }
}

// Postgres: the migration and its history row commit together, so a killed client leaves nothing
// of the transactional part; statements marked outside-transaction run after it, each recorded.
TEST_CASE("adversary: kill -9 at each statement of a Postgres migration, then up again") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  const std::vector<std::string> stmts = {
      "ALTER TABLE t1 ADD COLUMN c1 INT;\n",
      "INSERT INTO t2 (id, v) VALUES (2, 20);\n",
      "UPDATE t3 SET v = v + 100;\n",
      "-- schemactl:outside-transaction\nCREATE INDEX CONCURRENTLY i4 ON t4 (v);\n",
      "-- schemactl:outside-transaction\nCREATE UNIQUE INDEX CONCURRENTLY i5 ON t5 (v);\n",
  };
  std::string up = "SET lock_timeout = '20s';\n";
  for (auto& s : stmts) up += s;
  const std::string down =
      "DROP INDEX IF EXISTS i5;\nDROP INDEX IF EXISTS i4;\nUPDATE t3 SET v = v - 100;\nDELETE FROM t2 WHERE id = 2;\n"
      "ALTER TABLE t1 DROP COLUMN IF EXISTS c1;\n";
  // In the transaction (a data change) and after it (both concurrent builds).
  for (std::size_t k : {1, 3, 4}) {
    std::string table = "t" + std::to_string(k + 1);
    INFO("client killed while statement " << k + 1 << " waits: " << stmts[k]);
    FreshDatabase db(*server, "kill9_pg_" + std::to_string(k));
    TempDir dir;
    make_tables(db, 5);
    write_migration(dir.path, DialectId::postgres, V1 + "_five", up, down);
    {
      Blocker block(db, table);
      Background run("up", db, dir.path);
      REQUIRE_MESSAGE(waiting_on(db, table), "statement " << k + 1 << " never waited on the lock");
      run.signal(SIGKILL);
      run.wait();
      block.release();
    }
    // No wait here: the next run must itself wait until the server is done with the dead session.
    auto again = migrate("up", db, dir.path, "--lock-timeout 20");
    INFO("up again (exit " << again.status << "):\n" << again.output);
    CHECK_MESSAGE(again.status == 0, "up after a kill -9 must finish the migration");
    CHECK_MESSAGE(column_count(db, "t1", "c1") == 1, "t1.c1 missing");
    CHECK_MESSAGE(val(db, "SELECT count(*) FROM t2") == "2", "t2 row inserted a wrong number of times");
    CHECK_MESSAGE(val(db, "SELECT v FROM t3 WHERE id = 1") == "101", "UPDATE t3 applied a wrong number of times");
    for (auto [t, i] : {std::pair{"t4", "i4"}, std::pair{"t5", "i5"}}) {
      CHECK_MESSAGE(index_count(db, t, i) == 1, "index " << i << " missing");
      CHECK_MESSAGE(val(db, std::string("SELECT indisvalid::text FROM pg_index WHERE indexrelid = '") + i +
                                "'::regclass") == "true",
                    "index " << i << " is not valid");
    }
    expect_applied(db, V1, 6);
    auto st = migrate("status", db, dir.path, "--exit-code");
    CHECK_MESSAGE(st.status == 0, st.output);
  }
}

// "SIGINT or SIGTERM stops the run at the next safe point: Postgres cancels the statement in flight
// server-side (the transaction rolls back) ...; the MySQL family lets the statement finish and
// records it. Then the lock is released and the run exits with 130 (SIGINT) or 143 (SIGTERM),
// saying what was recorded."
TEST_CASE("adversary: SIGINT and SIGTERM while a statement waits, on both servers") {
  for (int sig : {SIGINT, SIGTERM}) {
    const int expected = sig == SIGINT ? 130 : 143;
    for_each_dialect("signal", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
      INFO("signal " << (sig == SIGINT ? "SIGINT" : "SIGTERM"));
      make_tables(db, 3);
      write_migration(dir, d, V1 + "_three",
                      "INSERT INTO t1 VALUES (2, 2);\nINSERT INTO t2 VALUES (2, 2);\nINSERT INTO t3 VALUES (2, 2);\n",
                      "DELETE FROM t3 WHERE id = 2;\nDELETE FROM t2 WHERE id = 2;\nDELETE FROM t1 WHERE id = 2;\n");
      Run r;
      {
        Blocker block(db, "t2");
        Background run("up", db, dir);
        REQUIRE(waiting_on(db, "t2"));
        run.signal(sig);
        if (is_pg(db)) {
          r = run.wait();  // cancelled server-side: must end without the lock being released
        } else {
          std::this_thread::sleep_for(std::chrono::milliseconds(300));
          block.release();
          r = run.wait();
        }
      }
      INFO("interrupted run (exit " << r.status << "):\n" << r.output);
      CHECK_MESSAGE(r.status == expected, "exit status after the signal");
      if (is_pg(db)) {
        CHECK_MESSAGE(val(db, "SELECT count(*) FROM t1") == "1", "the cancelled transaction must roll back");
        CHECK_MESSAGE(state_of(db, V1) != "applied", dump(hist(db)));
        CHECK(migrate("status", db, dir, "--exit-code").status == 3);
      } else {
        // The waiting INSERT finished and was recorded; the third never ran.
        CHECK_MESSAGE(val(db, "SELECT COUNT(*) FROM t2") == "2", "the statement in flight must finish");
        CHECK_MESSAGE(val(db, "SELECT COUNT(*) FROM t3") == "1", "the run must stop after the statement in flight");
        auto row = row_of(db, V1);
        CHECK_MESSAGE(row[col::state] == "partial", dump(hist(db)));
        CHECK_MESSAGE(row[col::applied] == "2", dump(hist(db)));
        CHECK(migrate("status", db, dir, "--exit-code").status == 3);
      }
      auto again = migrate("up", db, dir);
      CHECK_MESSAGE(again.status == 0, again.output);
      for (const char* t : {"t1", "t2", "t3"})
        CHECK_MESSAGE(val(db, std::string("SELECT COUNT(*) FROM ") + t) == "2", "rows of " << t << " after resume");
      expect_applied(db, V1, 3);
    });
  }
}

// "A second signal exits at once." And what it leaves must still be recoverable exactly.
TEST_CASE("adversary: a second SIGINT exits at once and the next up recovers exactly") {
  for_each_dialect("signal2", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    make_tables(db, 3);
    write_migration(dir, d, V1 + "_three",
                    "INSERT INTO t1 VALUES (2, 2);\nUPDATE t2 SET v = v + 10;\nINSERT INTO t3 VALUES (2, 2);\n",
                    "DELETE FROM t3 WHERE id = 2;\nUPDATE t2 SET v = v - 10;\nDELETE FROM t1 WHERE id = 2;\n");
    Run r;
    Clock::time_point second;
    {
      Blocker block(db, "t2");
      Background run("up", db, dir);
      REQUIRE(waiting_on(db, "t2"));
      run.signal(SIGINT);
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      second = Clock::now();
      run.signal(SIGINT);
      r = run.wait();
      auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - second).count();
      CHECK_MESSAGE(took < 1500, "the second signal must exit at once; took " << took << " ms");
      block.release();
    }
    INFO("run after two SIGINTs (exit " << r.status << "):\n" << r.output);
    CHECK(r.status != 0);
    auto again = migrate("up", db, dir, "--lock-timeout 20");
    INFO("up again: " << again.output);
    CHECK(again.status == 0);
    CHECK(val(db, "SELECT COUNT(*) FROM t1") == "2");
    CHECK_MESSAGE(val(db, "SELECT v FROM t2 WHERE id = 1") == "11", "UPDATE applied a wrong number of times");
    CHECK(val(db, "SELECT COUNT(*) FROM t3") == "2");
    expect_applied(db, V1, 3);
  });
}

// A killed `down`: the next `down` must finish undoing, exactly.
TEST_CASE("adversary: kill -9 during down, then down again") {
  for_each_dialect("killdown", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    write_migration(dir, d, V1 + "_abc",
                    "CREATE TABLE a (id INT);\nCREATE TABLE b (id INT);\nCREATE TABLE c (id INT);\n"
                    "INSERT INTO a VALUES (1);\n",
                    "DROP TABLE c;\nDROP TABLE b;\nDROP TABLE a;\n");
    REQUIRE(migrate("up", db, dir).status == 0);
    {
      Blocker block(db, "b");
      Background run("down", db, dir, "--allow-destructive");
      REQUIRE_MESSAGE(waiting_on(db, "b"), "down never waited on table b");
      run.signal(SIGKILL);
      run.wait();
      block.release();
    }
    wait_idle(db);
    auto st = migrate("status", db, dir);
    INFO("status after the killed down:\n" << st.output);
    auto again = migrate("down", db, dir, "--allow-destructive --lock-timeout 20");
    INFO("down again (exit " << again.status << "):\n" << again.output);
    CHECK(again.status == 0);
    CHECK(table_count(db, "a") == 0);
    CHECK(table_count(db, "b") == 0);
    CHECK(table_count(db, "c") == 0);
    CHECK_MESSAGE(state_of(db, V1) != "applied", dump(hist(db)));
    CHECK_MESSAGE(migrate("status", db, dir, "--exit-code").status == 3, "after a full down the migration is pending");
    auto up = migrate("up", db, dir);
    CHECK_MESSAGE(up.status == 0, up.output);
    CHECK(val(db, "SELECT COUNT(*) FROM a") == "1");
  });
}

// "holds a lock for the whole run ... so two runs never apply anything twice."
TEST_CASE("adversary: two concurrent ups, and an up racing a down") {
  for_each_dialect("race", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    make_tables(db, 2);
    write_migration(dir, d, V1 + "_ins", "INSERT INTO t1 VALUES (2, 2);\nINSERT INTO t2 VALUES (2, 2);\n",
                    "DELETE FROM t2 WHERE id = 2;\nDELETE FROM t1 WHERE id = 2;\n");
    Run ra, rb;
    {
      Blocker block(db, "t2");
      Background a("up", db, dir, "--lock-timeout 20");
      REQUIRE(waiting_on(db, "t2"));
      Background b("up", db, dir, "--lock-timeout 20");
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
      block.release();
      ra = a.wait();
      rb = b.wait();
    }
    INFO("first up (exit " << ra.status << "):\n"
                           << ra.output << "\nsecond up (exit " << rb.status << "):\n"
                           << rb.output);
    CHECK(ra.status == 0);
    CHECK(rb.status == 0);
    CHECK_MESSAGE(val(db, "SELECT COUNT(*) FROM t1") == "2", "t1 insert doubled or lost");
    CHECK_MESSAGE(val(db, "SELECT COUNT(*) FROM t2") == "2", "t2 insert doubled or lost");
    expect_applied(db, V1, 2);

    // down (blocked) racing an up that starts while it runs.
    Run rd, ru;
    {
      Blocker block(db, "t2");
      Background down("down", db, dir, "--lock-timeout 20 --allow-destructive");
      REQUIRE(waiting_on(db, "t2"));
      Background up("up", db, dir, "--lock-timeout 20");
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
      block.release();
      rd = down.wait();
      ru = up.wait();
    }
    INFO("down (exit " << rd.status << "):\n" << rd.output << "\nup (exit " << ru.status << "):\n" << ru.output);
    CHECK(rd.status == 0);
    CHECK(ru.status == 0);
    // Whichever order the lock gave them, the history must agree with the data.
    bool applied = state_of(db, V1) == "applied";
    std::string expect_rows = applied ? "2" : "1";
    CHECK_MESSAGE(val(db, "SELECT COUNT(*) FROM t1") == expect_rows, "history and t1 disagree: " << dump(hist(db)));
    CHECK_MESSAGE(val(db, "SELECT COUNT(*) FROM t2") == expect_rows, "history and t2 disagree: " << dump(hist(db)));
    CHECK_MESSAGE(applied, "down held the lock first, so the up that waited for it must apply V1 again");
  });
}

// "A run that gives up waiting for the lock names the session holding it (pid, client, since when,
// what it runs) and the statement that ends it." "GET_LOCK on a name that includes the database,
// so migrating one database never waits for another."
TEST_CASE("adversary: --lock-timeout names the holder - another database is not blocked") {
  for_each_dialect("locktimeout", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    make_tables(db, 1);
    write_migration(dir, d, V1 + "_ins", "INSERT INTO t1 VALUES (2, 2);\n", "DELETE FROM t1 WHERE id = 2;\n");
    auto server = server_url(d);
    FreshDatabase other(*server, "locktimeout_other");
    make_tables(other, 1);
    Blocker block(db, "t1");
    Background holder("up", db, dir);
    REQUIRE(waiting_on(db, "t1"));
    // The sessions of the holder (it may use more than one connection).
    auto sessions = db.connect()->query(
        is_pg(db) ? "SELECT pid::text FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
                    "pg_backend_pid() AND application_name NOT LIKE 'psql%'"
                  : "SELECT CAST(ID AS CHAR) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID()");
    auto t0 = Clock::now();
    auto r = migrate("up", db, dir, "--lock-timeout 1");
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    INFO("second up (exit " << r.status << ", " << took << " ms):\n" << r.output);
    CHECK(r.status == 1);
    CHECK_MESSAGE(took < 5000, "--lock-timeout 1 must give up after about a second");
    bool named = false;
    for (auto& s : sessions)
      if (s[0] && contains(r.output, *s[0])) named = true;
    CHECK_MESSAGE(named, "the message must name the holding session's pid");
    CHECK_MESSAGE((contains(r.output, "pg_terminate_backend") || contains(r.output, "KILL")),
                  "the message must give the statement that ends the holder");
    CHECK_MESSAGE(!contains(r.output, "s3cret-pw"), "password printed");

    // A different database on the same server is not blocked by the holder.
    TempDir dir2;
    write_migration(dir2.path, d, V1 + "_ins", "INSERT INTO t1 VALUES (2, 2);\n", "DELETE FROM t1 WHERE id = 2;\n");
    auto o = migrate("up", other, dir2.path, "--lock-timeout 1");
    CHECK_MESSAGE(o.status == 0, "migrating another database must not wait: " << o.output);
    block.release();
    auto h = holder.wait();
    CHECK_MESSAGE(h.status == 0, h.output);
  });
}

// "--lock-wait-timeout S: how long one statement may wait for a table lock held by another
// session, default 10". Both a metadata/table lock and an InnoDB row lock.
TEST_CASE("adversary: --lock-wait-timeout bounds a statement waiting on another session's lock") {
  for (bool row_lock : {false, true}) {
    for_each_dialect("lockwait", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
      if (row_lock && d == DialectId::postgres) return;
      INFO((row_lock ? "blocked by a row lock" : "blocked by a table lock"));
      make_tables(db, 2);
      write_migration(dir, d, V1 + "_two", "INSERT INTO t1 VALUES (2, 2);\nUPDATE t2 SET v = 5 WHERE id = 1;\n",
                      "UPDATE t2 SET v = 1 WHERE id = 1;\nDELETE FROM t1 WHERE id = 2;\n");
      Blocker block(db, "t2", row_lock);
      Background run("up", db, dir, "--lock-wait-timeout 1");
      auto t0 = Clock::now();
      Run r{-1, ""};
      // Give it at most 6 s; a run that is still waiting then has ignored the option.
      while (Clock::now() - t0 < std::chrono::seconds(6)) {
        if (!waiting_on(db, "t2", 0) && Clock::now() - t0 > std::chrono::milliseconds(300)) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      bool still_waiting = waiting_on(db, "t2", 0);
      CHECK_MESSAGE(!still_waiting, "the statement still waits on the lock after 6 s with --lock-wait-timeout 1");
      if (still_waiting) run.signal(SIGKILL);
      r = run.wait();
      block.release();
      INFO("run (exit " << r.status << "):\n" << r.output);
      if (!still_waiting) CHECK(r.status == 1);
      wait_idle(db);
      CHECK_MESSAGE(val(db, "SELECT v FROM t2 WHERE id = 1") == "1", "the timed-out UPDATE must not have applied");
      auto again = migrate("up", db, dir, "--lock-timeout 20");
      CHECK_MESSAGE(again.status == 0, again.output);
      CHECK(val(db, "SELECT COUNT(*) FROM t1") == "2");
      CHECK(val(db, "SELECT v FROM t2 WHERE id = 1") == "5");
      expect_applied(db, V1, 2);
    });
  }
}

// Option values the commands cannot mean: usage errors (exit 2), not a silent default.
TEST_CASE("adversary: nonsense option values are usage errors") {
  for_each_dialect("usage", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    write_migration(dir, d, V1 + "_x", "CREATE TABLE x (id INT);\n", "DROP TABLE x;\n");
    for (const char* bad : {"--lock-timeout -1", "--lock-wait-timeout abc", "--format yaml"}) {
      auto r = migrate("up", db, dir, bad);
      CHECK_MESSAGE(r.status == 2,
                    "up " << std::string(bad) << " should be a usage error; exit " << r.status << ": " << r.output);
    }
    CHECK_MESSAGE(table_count(db, "x") == 0, "a usage error ran the migration");
    exec(db, "DROP TABLE IF EXISTS x");
    exec(db, "DROP TABLE IF EXISTS schemactl_migrations");
    auto to_missing = migrate("up", db, dir, "--to 29990101_000000");
    CHECK_MESSAGE(to_missing.status != 0, "up --to a version that does not exist: " << to_missing.output);
    CHECK_MESSAGE(table_count(db, "x") == 0, "up --to an unknown version ran migrations");
    REQUIRE(migrate("up", db, dir).status == 0);
    REQUIRE(table_count(db, "x") == 1);
    auto both = migrate("down", db, dir, "--steps 1 --to " + V1);
    CHECK_MESSAGE(both.status == 2, "down --steps and --to together: exit " << both.status << ": " << both.output);
    auto zero = migrate("down", db, dir, "--steps 0 --allow-destructive");
    CHECK_MESSAGE(table_count(db, "x") == 1, "down --steps 0 undid a migration: " << zero.output);
    migrate("up", db, dir);
    REQUIRE(table_count(db, "x") == 1);
    auto neg = migrate("down", db, dir, "--steps -1 --allow-destructive");
    CHECK_MESSAGE(neg.status == 2, "down --steps -1: exit " << neg.status << ": " << neg.output);
    CHECK_MESSAGE(table_count(db, "x") == 1, "down --steps -1 undid a migration");
    auto noflag = migrate("resolve " + V1, db, dir);
    CHECK_MESSAGE(noflag.status == 2, "resolve without a flag: exit " << noflag.status);
    auto twoflags = migrate("resolve " + V1, db, dir, "--mark-applied --accept-checksum");
    CHECK_MESSAGE(twoflags.status == 2, "resolve with two flags: exit " << twoflags.status);
  });
}

// ---------------------------------------------------------------------------------------------
// Statement splitting: the applier must run exactly the statements the file holds.
TEST_CASE("adversary: semicolons in strings, comments, dollar quotes and identifiers") {
  for_each_dialect("tricky", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    std::string up;
    std::map<std::string, std::string> expect;
    if (d == DialectId::postgres) {
      up = R"SQL(-- a comment; with a semicolon
/* block ; comment
   spanning lines; with 'quote */
CREATE TABLE tricky (id int PRIMARY KEY, s text);
INSERT INTO tricky VALUES (1, 'a;b'), (2, 'it''s; quoted'), (3, $$dollar; quoted$$),
  (4, $tag$ has $$ and ; inside $tag$), (5, E'back\'slash;'), (6, '-- not a comment;'), (7, '/* not; */');
CREATE FUNCTION tricky_f() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  -- inside; body
  RETURN 42;
END;
$$;
CREATE TABLE "we;ird" (x int);
DO $do$ BEGIN INSERT INTO tricky VALUES (8, 'from do;'); END $do$;
)SQL";
      expect = {
          {"1", "a;b"},         {"2", "it's; quoted"},      {"3", "dollar; quoted"}, {"4", " has $$ and ; inside "},
          {"5", "back'slash;"}, {"6", "-- not a comment;"}, {"7", "/* not; */"},     {"8", "from do;"}};
    } else {
      up = R"SQL(# hash comment; with a semicolon
-- dash comment; with a semicolon
/* block ; comment with 'quote */
CREATE TABLE tricky (id INT PRIMARY KEY, s TEXT);
INSERT INTO tricky VALUES (1, 'a;b'), (2, 'it''s; quoted'), (3, "double; quoted"),
  (4, 'back\';slash'), (5, '-- not a comment;'), (6, '/* not; */'), (7, 'hash # not; comment');
CREATE TABLE `we;ird` (x INT);
INSERT INTO tricky VALUES (8, 'x'); INSERT INTO tricky VALUES (9, 'two on one line');
)SQL";
      expect = {{"1", "a;b"},
                {"2", "it's; quoted"},
                {"3", "double; quoted"},
                {"4", "back';slash"},
                {"5", "-- not a comment;"},
                {"6", "/* not; */"},
                {"7", "hash # not; comment"},
                {"8", "x"},
                {"9", "two on one line"}};
    }
    write_migration(dir, d, V1 + "_tricky", up,
                    d == DialectId::postgres ? "DROP TABLE \"we;ird\";\nDROP FUNCTION tricky_f();\nDROP TABLE tricky;\n"
                                             : "DROP TABLE `we;ird`;\nDROP TABLE tricky;\n");
    auto plan = migrate("plan", db, dir);
    INFO("plan:\n" << plan.output);
    auto r = migrate("up", db, dir);
    INFO("up (exit " << r.status << "):\n" << r.output);
    CHECK(r.status == 0);
    if (r.status != 0) return;
    for (auto& [id, s] : expect)
      CHECK_MESSAGE(val(db, "SELECT s FROM tricky WHERE id = " + id) == s, "row " << id << " of tricky");
    CHECK(val(db, "SELECT COUNT(*) FROM tricky") == std::to_string(expect.size()));
    CHECK(table_count(db, "we;ird") == 1);
    if (d == DialectId::postgres) CHECK(val(db, "SELECT tricky_f()") == "42");
    CHECK(state_of(db, V1) == "applied");
    auto down = migrate("down", db, dir, "--allow-destructive");
    CHECK_MESSAGE(down.status == 0, down.output);
    CHECK(table_count(db, "tricky") == 0);
    CHECK(table_count(db, "we;ird") == 0);
  });
}

// A migration of comments only, and a blank one (`migrate new --empty` writes those).
TEST_CASE("adversary: comment-only and blank migrations apply and roll back") {
  for_each_dialect("comments", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    write_migration(dir, d, V1 + "_comments", "-- nothing to do; really\n/* still; nothing */\n", "-- nothing\n");
    write_migration(dir, d, V2 + "_blank", "", "");
    write_migration(dir, d, V3 + "_real", "CREATE TABLE real_t (id INT);\n", "DROP TABLE real_t;\n");
    auto r = migrate("up", db, dir);
    INFO("up (exit " << r.status << "):\n" << r.output);
    CHECK(r.status == 0);
    CHECK(state_of(db, V1) == "applied");
    CHECK(state_of(db, V2) == "applied");
    CHECK(state_of(db, V3) == "applied");
    CHECK(migrate("status", db, dir, "--exit-code").status == 0);
    auto down = migrate("down", db, dir, "--steps 3 --allow-destructive");
    CHECK_MESSAGE(down.status == 0, down.output);
    CHECK(hist(db).empty());
    CHECK(table_count(db, "real_t") == 0);
  });
}

// A file saved by a Windows editor: UTF-8 BOM, CRLF line endings.
TEST_CASE("adversary: BOM and CRLF line endings") {
  for (bool bom : {false, true}) {
    for_each_dialect("bomcrlf", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
      INFO((bom ? "UTF-8 BOM and CRLF" : "CRLF only"));
      std::string up = std::string(bom ? "\xEF\xBB\xBF" : "") +
                       "-- windows file\r\nCREATE TABLE bom (id INT, s TEXT);\r\nINSERT INTO bom VALUES (1, 'x;y');\r\n"
                       "-- c\r\nINSERT INTO bom VALUES (2, 'z');\r\n";
      write_migration(dir, d, V1 + "_bom", up, std::string(bom ? "\xEF\xBB\xBF" : "") + "DROP TABLE bom;\r\n");
      auto r = migrate("up", db, dir);
      INFO("up (exit " << r.status << "):\n" << r.output);
      CHECK_MESSAGE(r.status == 0, "a file saved by a Windows editor must apply");
      if (r.status != 0) return;
      CHECK(val(db, "SELECT COUNT(*) FROM bom") == "2");
      CHECK_MESSAGE(val(db, "SELECT s FROM bom WHERE id = 1") == "x;y", "a CR leaked into the data");
      CHECK_MESSAGE(val(db, "SELECT s FROM bom WHERE id = 2") == "z", "a CR leaked into the data");
      auto row = row_of(db, V1);
      CHECK_MESSAGE(row[col::checksum] == sha256_of(dir / dname(d) / (V1 + "_bom.up.sql")),
                    "the history must hold the SHA-256 of the up file as it is on disk");
      auto st = migrate("status", db, dir, "--exit-code");
      CHECK_MESSAGE(st.status == 0, "the file must not look modified after it applied: " << st.output);
      auto down = migrate("down", db, dir, "--allow-destructive");
      CHECK_MESSAGE(down.status == 0, down.output);
      CHECK(table_count(db, "bom") == 0);
    });
  }
}

// "The applier keeps a history table (schemactl_migrations, in the schema or database that is
// current when it connects, whatever a migration file sets)."
TEST_CASE("adversary: search_path / USE inside a migration does not move the history") {
  for_each_dialect("searchpath", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    std::string other = db.url().database + "_o";
    if (d == DialectId::postgres) {
      write_migration(dir, d, V1 + "_other",
                      "CREATE SCHEMA other;\nSET search_path = other;\nCREATE TABLE in_other (id int);\n",
                      "DROP TABLE other.in_other;\nDROP SCHEMA other;\n");
    } else {
      write_migration(dir, d, V1 + "_other",
                      "CREATE DATABASE " + other + ";\nUSE " + other + ";\nCREATE TABLE in_other (id INT);\n",
                      "DROP DATABASE " + other + ";\n");
    }
    write_migration(dir, d, V2 + "_after", "CREATE TABLE after_t (id INT);\n", "DROP TABLE after_t;\n");
    auto r = migrate("up", db, dir);
    INFO("up (exit " << r.status << "):\n" << r.output);
    CHECK(r.status == 0);
    CHECK_MESSAGE(history_table_exists(db), "the history table left the connect-time schema");
    std::string where = d == DialectId::postgres ? "other" : other;
    CHECK_MESSAGE(val(db, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + where +
                              "' AND table_name = 'schemactl_migrations'") == "0",
                  "a history table was created in " << where);
    CHECK(state_of(db, V1) == "applied");
    CHECK(state_of(db, V2) == "applied");
    auto st = migrate("status", db, dir, "--exit-code");
    CHECK_MESSAGE(st.status == 0, st.output);
    auto up2 = migrate("up", db, dir);
    CHECK_MESSAGE(up2.status == 0, up2.output);
    if (d != DialectId::postgres) exec(db, "DROP DATABASE IF EXISTS " + other);
  });
}

// A database whose default search_path is another schema: the history lives there.
TEST_CASE("adversary: history table in a non-default schema (Postgres)") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  FreshDatabase db(*server, "appschema");
  TempDir dir;
  exec(db, "CREATE SCHEMA app");
  exec(db, "ALTER DATABASE " + db.url().database + " SET search_path = app");
  REQUIRE(val(db, "SELECT current_schema()") == "app");
  write_migration(dir.path, DialectId::postgres, V1 + "_a", "CREATE TABLE a_t (id int);\n", "DROP TABLE a_t;\n");
  auto r = migrate("up", db, dir.path);
  INFO("up (exit " << r.status << "):\n" << r.output);
  CHECK(r.status == 0);
  CHECK(val(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'app' AND tablename = 'schemactl_migrations'") ==
        "1");
  CHECK(val(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'schemactl_migrations'") ==
        "0");
  CHECK(val(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'app' AND tablename = 'a_t'") == "1");
  CHECK(migrate("status", db, dir.path, "--exit-code").status == 0);
  auto down = migrate("down", db, dir.path, "--allow-destructive");
  CHECK_MESSAGE(down.status == 0, down.output);
  CHECK(val(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'a_t'") == "0");
}

// ---------------------------------------------------------------------------------------------
// Failures. Postgres: "A migration and its history row commit in one transaction" -> a failing
// statement leaves nothing and the migration stays pending. MySQL family: "A failure marks the
// migration partial with the failing statement; up resumes there after a fix".
TEST_CASE("adversary: a failing statement, the fix, and resume (modified + accept-checksum)") {
  for_each_dialect("failure", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    make_tables(db, 1);
    const std::string id = V1 + "_fails";
    write_migration(dir, d, id,
                    "INSERT INTO t1 VALUES (2, 2);\nCREATE TABLE made (id INT);\nINSERT INTO nosuch VALUES (1);\n"
                    "INSERT INTO t1 VALUES (3, 3);\n",
                    "DELETE FROM t1 WHERE id = 3;\nDROP TABLE made;\nDELETE FROM t1 WHERE id = 2;\n");
    auto r = migrate("up", db, dir);
    INFO("failing up (exit " << r.status << "):\n" << r.output);
    CHECK(r.status == 1);
    CHECK_MESSAGE(contains(r.output, "nosuch"), "the error must name the failing statement");
    CHECK_MESSAGE(!contains(r.output, "s3cret-pw"), "password printed");
    if (d == DialectId::postgres) {
      CHECK_MESSAGE(val(db, "SELECT count(*) FROM t1") == "1", "the failed transaction must leave nothing");
      CHECK(table_count(db, "made") == 0);
      CHECK_MESSAGE(state_of(db, V1) != "applied", dump(hist(db)));
      CHECK(migrate("status", db, dir, "--exit-code").status == 3);
      // Fix the file: it was never recorded, so no 'modified' and no resolve needed.
      write_migration(
          dir, d, id,
          "INSERT INTO t1 VALUES (2, 2);\nCREATE TABLE made (id INT);\nCREATE TABLE nosuch (id INT);\n"
          "INSERT INTO t1 VALUES (3, 3);\n",
          "DELETE FROM t1 WHERE id = 3;\nDROP TABLE nosuch;\nDROP TABLE made;\nDELETE FROM t1 WHERE id = 2;\n");
      auto again = migrate("up", db, dir);
      CHECK_MESSAGE(again.status == 0, again.output);
    } else {
      auto row = row_of(db, V1);
      CHECK_MESSAGE(row[col::state] == "partial", dump(hist(db)));
      CHECK_MESSAGE(row[col::applied] == "2", dump(hist(db)));
      auto st = migrate("status", db, dir, "--exit-code");
      CHECK_MESSAGE(st.status == 3, "partial: status --exit-code 3; got " << st.status << "\n" << st.output);
      // Fix the failing statement (an intended edit: the sum is updated).
      write_migration(
          dir, d, id,
          "INSERT INTO t1 VALUES (2, 2);\nCREATE TABLE made (id INT);\nCREATE TABLE nosuch (id INT);\n"
          "INSERT INTO t1 VALUES (3, 3);\n",
          "DELETE FROM t1 WHERE id = 3;\nDROP TABLE nosuch;\nDROP TABLE made;\nDELETE FROM t1 WHERE id = 2;\n");
      auto st2 = migrate("status", db, dir, "--exit-code");
      INFO("status after the edit:\n" << st2.output);
      CHECK_MESSAGE(st2.status == 1, "modified: status --exit-code 1");
      CHECK_MESSAGE(contains(st2.output, "modified"), "status must say modified");
      auto blind = migrate("up", db, dir);
      CHECK_MESSAGE(blind.status != 0, "up must not run a modified partial migration before accept-checksum");
      CHECK_MESSAGE(val(db, "SELECT COUNT(*) FROM t1") == "2", "up ran statements of a modified migration");
      auto acc = migrate("resolve " + V1, db, dir, "--accept-checksum");
      INFO("accept-checksum:\n" << acc.output);
      CHECK(acc.status == 0);
      CHECK_MESSAGE(contains(acc.output, "3"), "accept-checksum must say where up resumes (statement 3)");
      auto again = migrate("up", db, dir);
      CHECK_MESSAGE(again.status == 0, again.output);
    }
    CHECK_MESSAGE(val(db, "SELECT COUNT(*) FROM t1") == "3", "rows of t1 doubled or lost after the resume");
    CHECK(table_count(db, "made") == 1);
    CHECK(table_count(db, "nosuch") == 1);
    expect_applied(db, V1, 4);
    CHECK(row_of(db, V1)[col::checksum] == sha256_of(dir / dname(d) / (id + ".up.sql")));
  });
}

// "A resumed run re-issues the file's SET statements first." (Postgres paragraph) A concurrent
// unique build fails on duplicates, leaving an INVALID index; after a fix, up resumes.
TEST_CASE("adversary: Postgres resume re-issues SET and rebuilds the INVALID index") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  FreshDatabase db(*server, "pgresume");
  TempDir dir;
  write_migration(dir.path, DialectId::postgres, V1 + "_ux",
                  "CREATE SCHEMA app;\nSET search_path = app;\nCREATE TABLE x (v int);\n"
                  "INSERT INTO x VALUES (1), (1);\n-- schemactl:outside-transaction\n"
                  "CREATE UNIQUE INDEX CONCURRENTLY ux ON x (v);\n",
                  "DROP SCHEMA app CASCADE;\n");
  auto r = migrate("up", db, dir.path);
  INFO("failing up (exit " << r.status << "):\n" << r.output);
  CHECK(r.status == 1);
  CHECK(state_of(db, V1) == "partial");
  auto st = migrate("status", db, dir.path, "--exit-code");
  INFO("status:\n" << st.output);
  CHECK_MESSAGE(st.status == 1, "an INVALID index: status --exit-code 1");
  CHECK_MESSAGE(contains(st.output, "ux"), "status must list the INVALID index");
  auto plan = migrate("plan", db, dir.path);
  CHECK_MESSAGE(contains(plan.output, "ux"), "plan must list the INVALID index:\n" << plan.output);
  exec(db, "DELETE FROM app.x WHERE ctid = (SELECT max(ctid) FROM app.x)");
  auto again = migrate("up", db, dir.path);
  INFO("resumed up (exit " << again.status << "):\n" << again.output);
  CHECK_MESSAGE(again.status == 0, "resume must re-issue SET search_path = app before the index build");
  CHECK(val(db, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'app.ux'::regclass") == "true");
  CHECK(val(db, "SELECT count(*) FROM app.x") == "1");
  CHECK(state_of(db, V1) == "applied");
  CHECK(migrate("status", db, dir.path, "--exit-code").status == 0);
}

// Same promise on MariaDB ("SET ... runs again"): a user variable set by the file must be set
// again when up resumes after a failure.
TEST_CASE("adversary: MariaDB resume after a failure re-issues the file's SET") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  FreshDatabase db(*server, "myresume");
  TempDir dir;
  make_tables(db, 1);
  write_migration(dir.path, DialectId::tidb, V1 + "_setvar",
                  "SET @seed := 7;\nSET SESSION sql_mode = 'ANSI_QUOTES';\nINSERT INTO t1 VALUES (2, @seed);\n"
                  "INSERT INTO later_t VALUES (@seed);\nCREATE TABLE \"quoted_t\" (id INT);\n",
                  "DROP TABLE quoted_t;\nDELETE FROM later_t;\nDELETE FROM t1 WHERE id = 2;\n");
  auto r = migrate("up", db, dir.path);
  INFO("failing up:\n" << r.output);
  CHECK(r.status == 1);
  exec(db, "CREATE TABLE later_t (v INT)");
  auto again = migrate("up", db, dir.path);
  INFO("resumed up (exit " << again.status << "):\n" << again.output);
  CHECK(again.status == 0);
  CHECK(val(db, "SELECT v FROM t1 WHERE id = 2") == "7");
  CHECK_MESSAGE(val(db, "SELECT v FROM later_t") == "7", "@seed was not set again when up resumed");
  CHECK_MESSAGE(table_count(db, "quoted_t") == 1, "sql_mode was not set again when up resumed");
  CHECK(state_of(db, V1) == "applied");
}

// ---------------------------------------------------------------------------------------------
// "status --exit-code exits 0 when everything is applied, 3 when up has work to do (pending or
// partial), and 1 when a person must decide (unknown, rolling_back, modified, missing, a directory
// that does not match its sum, an INVALID index)."
TEST_CASE("adversary: status --exit-code for every status") {
  for_each_dialect("exitcode", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    auto code = [&](const std::string& what) {
      auto r = migrate("status", db, dir, "--exit-code");
      INFO("status (" << what << "):\n" << r.output);
      return r.status;
    };
    CHECK_MESSAGE(code("empty directory, empty database") == 0, "nothing to do");
    write_migration(dir, d, V1 + "_a", "CREATE TABLE a (id INT);\n", "DROP TABLE a;\n");
    CHECK_MESSAGE(code("pending") == 3, "pending");
    REQUIRE(migrate("up", db, dir).status == 0);
    CHECK_MESSAGE(code("applied") == 0, "applied");
    // rolling_back: a down that fails at its second statement.
    write_migration(dir, d, V2 + "_b", "CREATE TABLE b1 (id INT);\nCREATE TABLE b2 (id INT);\n",
                    "DROP TABLE b2;\nDROP TABLE no_such_table;\nDROP TABLE b1;\n");
    REQUIRE(migrate("up", db, dir).status == 0);
    auto down = migrate("down", db, dir, "--allow-destructive");
    INFO("failing down:\n" << down.output);
    CHECK(down.status == 1);
    if (d == DialectId::tidb) {
      CHECK_MESSAGE(state_of(db, V2) == "rolling_back", dump(hist(db)));
      CHECK_MESSAGE(code("rolling_back") == 1, "rolling_back");
    } else {
      CHECK_MESSAGE(state_of(db, V2) == "applied", "a failed down on Postgres rolls back: " << dump(hist(db)));
      CHECK(table_count(db, "b2") == 1);
    }
    // fix the down file (intended edit), resume.
    write_migration(dir, d, V2 + "_b", "CREATE TABLE b1 (id INT);\nCREATE TABLE b2 (id INT);\n",
                    "DROP TABLE b2;\nDROP TABLE IF EXISTS no_such_table;\nDROP TABLE b1;\n");
    auto down2 = migrate("down", db, dir, "--allow-destructive");
    CHECK_MESSAGE(down2.status == 0, down2.output);
    CHECK(table_count(db, "b1") == 0);
    CHECK(table_count(db, "b2") == 0);
    CHECK_MESSAGE(code("V2 rolled back = pending") == 3, "pending after down");
    REQUIRE(migrate("up", db, dir).status == 0);
    // partial (MariaDB: a failure part-way).
    if (d == DialectId::tidb) {
      write_migration(dir, d, V3 + "_c", "CREATE TABLE c1 (id INT);\nINSERT INTO nowhere VALUES (1);\n",
                      "DROP TABLE c1;\n");
      CHECK(migrate("up", db, dir).status == 1);
      CHECK(state_of(db, V3) == "partial");
      CHECK_MESSAGE(code("partial") == 3, "partial");
      fs::remove(dir / dname(d) / (V3 + "_c.up.sql"));
      fs::remove(dir / dname(d) / (V3 + "_c.down.sql"));
      write_sum(dir, d);
      CHECK_MESSAGE(code("partial and missing") == 1, "missing");
      exec(db, "DROP TABLE c1");
      exec(db, "DELETE FROM schemactl_migrations WHERE version = '" + V3 + "'");
      CHECK(code("back to applied") == 0);
    }
    // modified: an applied up file edited, sum updated.
    write_migration(dir, d, V1 + "_a", "CREATE TABLE a (id INT, extra INT);\n", "DROP TABLE a;\n");
    CHECK_MESSAGE(code("modified") == 1, "modified");
    write_migration(dir, d, V1 + "_a", "CREATE TABLE a (id INT);\n", "DROP TABLE a;\n");
    CHECK(code("restored") == 0);
    // missing: files deleted, sum updated.
    fs::rename(dir / dname(d) / (V1 + "_a.up.sql"), dir / "a.up");
    fs::rename(dir / dname(d) / (V1 + "_a.down.sql"), dir / "a.down");
    write_sum(dir, d);
    CHECK_MESSAGE(code("missing") == 1, "missing");
    fs::rename(dir / "a.up", dir / dname(d) / (V1 + "_a.up.sql"));
    fs::rename(dir / "a.down", dir / dname(d) / (V1 + "_a.down.sql"));
    write_sum(dir, d);
    CHECK(code("restored") == 0);
    // directory vs sum: an edit behind the sum's back.
    std::ofstream(dir / dname(d) / (V1 + "_a.up.sql"), std::ios::app) << "-- edited\n";
    CHECK_MESSAGE(code("edited behind the sum") == 1, "a directory that does not match its sum");
    write_sum(dir, d);
    write_migration(dir, d, V1 + "_a", "CREATE TABLE a (id INT);\n", "DROP TABLE a;\n");
    CHECK(code("restored") == 0);
    if (d == DialectId::postgres) {
      // An INVALID index anywhere in the schema.
      exec(db, "CREATE TABLE dup (x int)");
      exec(db, "INSERT INTO dup VALUES (1), (1)");
      try {
        exec(db, "CREATE UNIQUE INDEX CONCURRENTLY dup_x ON dup (x)");
      } catch (...) {
      }
      REQUIRE(val(db, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'dup_x'::regclass") == "false");
      CHECK_MESSAGE(code("INVALID index") == 1, "an INVALID index");
    }
  });
}

// unknown from a real kill, and the exit code; resolve --statement-not-applied then runs it.
TEST_CASE("adversary: unknown after kill -9, status --exit-code 1, resolve --statement-not-applied") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  FreshDatabase db(*server, "unknown");
  TempDir dir;
  make_tables(db, 2);
  write_migration(dir.path, DialectId::tidb, V1 + "_multi",
                  "INSERT INTO t1 VALUES (2, 2);\nALTER TABLE t2 ADD COLUMN a INT, ADD COLUMN b INT;\n"
                  "INSERT INTO t1 VALUES (3, 3);\n",
                  "DELETE FROM t1 WHERE id = 3;\nALTER TABLE t2 DROP COLUMN b, DROP COLUMN a;\n"
                  "DELETE FROM t1 WHERE id = 2;\n");
  {
    Blocker block(db, "t2");
    Background run("up", db, dir.path);
    REQUIRE(waiting_on(db, "t2"));
    run.signal(SIGKILL);
    run.wait();
    // Undo what the in-flight statement will do by never letting it run: kill its session.
    auto ids = db.connect()->query(
        "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND STATE LIKE 'Waiting for%lock%'");
    for (auto& i : ids) exec(db, "KILL " + *i[0]);
    block.release();
  }
  wait_idle(db);
  REQUIRE(column_count(db, "t2", "a") == 0);
  auto st = migrate("status", db, dir.path, "--exit-code");
  INFO("status before the next up:\n" << st.output);
  // An ALTER TABLE with several clauses in flight can never be settled from the catalog: status can
  // tell already, and exit 3 ("up has work to do") sends a CI job into an up that must refuse.
  CHECK_MESSAGE(st.status == 1, "status --exit-code says 'up has work to do' (3) for a migration up must refuse");
  for (const char* cmd : {"up", "down --allow-destructive"}) {
    auto r = migrate(cmd, db, dir.path);
    CHECK_MESSAGE(r.status == 1, std::string(cmd) << " must refuse while unknown: " << r.output);
  }
  CHECK(state_of(db, V1) == "unknown");
  auto st2 = migrate("status", db, dir.path, "--exit-code");
  CHECK_MESSAGE(st2.status == 1, "unknown: status --exit-code 1:\n" << st2.output);
  CHECK(contains(st2.output, "unknown"));
  CHECK(val(db, "SELECT COUNT(*) FROM t1") == "2");
  migrate("resolve " + V1, db, dir.path, "--accept-checksum");
  CHECK_MESSAGE(state_of(db, V1) == "unknown", "accept-checksum on an unchanged file must not settle unknown");
  auto res = migrate("resolve " + V1, db, dir.path, "--statement-not-applied");
  INFO("resolve:\n" << res.output);
  CHECK(res.status == 0);
  auto up = migrate("up", db, dir.path);
  CHECK_MESSAGE(up.status == 0, up.output);
  CHECK(column_count(db, "t2", "a") == 1);
  CHECK(column_count(db, "t2", "b") == 1);
  CHECK(val(db, "SELECT COUNT(*) FROM t1") == "3");
  expect_applied(db, V1, 3);
}

// resolve must refuse where it would lie, and change nothing when it refuses.
TEST_CASE("adversary: resolve misuse on each status") {
  for_each_dialect("resolve", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    make_tables(db, 1);
    write_migration(dir, d, V1 + "_applied", "CREATE TABLE a (id INT);\n", "DROP TABLE a;\n");
    REQUIRE(migrate("up", db, dir).status == 0);
    write_migration(dir, d, V2 + "_gone", "CREATE TABLE g (id INT);\n", "DROP TABLE g;\n");
    REQUIRE(migrate("up", db, dir).status == 0);
    fs::rename(dir / dname(d) / (V2 + "_gone.up.sql"), dir / "g.up");
    fs::rename(dir / dname(d) / (V2 + "_gone.down.sql"), dir / "g.down");
    write_sum(dir, d);  // V2 is now missing
    write_migration(dir, d, V3 + "_pending", "CREATE TABLE p (id INT);\n", "DROP TABLE p;\n");
    auto refuse = [&](const std::string& version, const std::string& flag, const std::string& why) {
      auto before = dump(hist(db));
      auto r = migrate("resolve " + version, db, dir, flag);
      INFO("resolve " << version << " " << flag << " (exit " << r.status << "):\n" << r.output);
      CHECK_MESSAGE(r.status != 0, "must refuse: " << why);
      CHECK_MESSAGE(dump(hist(db)) == before, "a refused resolve changed the history: " << why);
    };
    refuse(V1, "--statement-applied", "V1 is applied: no statement is in flight");
    refuse(V2, "--statement-not-applied", "V2 is missing: no statement is in flight");
    refuse(V3, "--statement-applied", "V3 is pending: nothing ran");
    refuse(V2, "--mark-applied", "V2's files are gone");
    refuse(V2, "--accept-checksum", "V2's files are gone: there is no new file to record");
    refuse(V3, "--accept-checksum", "V3 was never recorded: there is no checksum to accept");
    refuse("29990101_000000", "--mark-applied", "no such migration");
    // Harmless no-ops must at least not change the row.
    for (const char* f : {"--mark-applied"}) {
      auto before = dump(hist(db));
      migrate("resolve " + V1, db, dir, f);
      CHECK_MESSAGE(dump(hist(db)) == before, "resolve V1 " << f << " on an applied, unchanged migration changed it");
    }
    CHECK(table_count(db, "p") == 0);
    if (d == DialectId::tidb) {
      // partial: nothing in flight, so the statement-* flags would lie.
      fs::rename(dir / "g.up", dir / dname(d) / (V2 + "_gone.up.sql"));
      fs::rename(dir / "g.down", dir / dname(d) / (V2 + "_gone.down.sql"));
      write_migration(dir, d, V3 + "_pending", "CREATE TABLE p (id INT);\nINSERT INTO nowhere VALUES (1);\n",
                      "DROP TABLE p;\n");
      REQUIRE(migrate("up", db, dir).status == 1);
      REQUIRE(state_of(db, V3) == "partial");
      refuse(V3, "--statement-applied", "V3 is partial: no statement was in flight");
      refuse(V3, "--statement-not-applied", "V3 is partial: no statement was in flight");
      auto m = migrate("resolve " + V3, db, dir, "--mark-applied");
      INFO("mark-applied on partial:\n" << m.output);
      CHECK(m.status == 0);
      CHECK(state_of(db, V3) == "applied");
      CHECK_MESSAGE(migrate("up", db, dir).status == 0, "nothing is left to run");
    }
  });
}

// "A history row that does not make sense (a negative count, an unknown state, a missing column)
// stops every command with a message naming the row and the column."
TEST_CASE("adversary: hand-edited history rows stop every command") {
  struct Edit {
    const char* what;
    std::string sql;
    const char* column;
  };
  for_each_dialect("handedit", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    write_migration(dir, d, V1 + "_a", "CREATE TABLE a (id INT);\nCREATE TABLE a2 (id INT);\n",
                    "DROP TABLE a2;\nDROP TABLE a;\n");
    REQUIRE(migrate("up", db, dir).status == 0);
    write_migration(dir, d, V2 + "_b", "CREATE TABLE b (id INT);\n", "DROP TABLE b;\n");
    std::vector<Edit> edits = {
        {"negative count", std::string("UPDATE schemactl_migrations SET ") + col::applied + " = -1", col::applied},
        {"count beyond the file's statements", std::string("UPDATE schemactl_migrations SET ") + col::applied + " = 99",
         col::applied},
        {"unknown state", std::string("UPDATE schemactl_migrations SET ") + col::state + " = 'bogus'", col::state},

        {"applied with a statement in flight",
         std::string("UPDATE schemactl_migrations SET ") + col::in_flight + " = 1", col::in_flight},
        {"missing column", std::string("ALTER TABLE schemactl_migrations DROP COLUMN ") + col::checksum, col::checksum},
    };
    auto original = row_of(db, V1);
    for (auto& e : edits) {
      INFO("edit: " << std::string(e.what));
      auto saved = dump(hist(db));
      exec(db, e.sql);
      std::vector<std::string> cmds = {"status", "up"};
      if (&e == &edits.front()) cmds = {"status", "plan", "up", "down --allow-destructive", "resolve " + V1};
      for (const std::string& c : cmds) {
        auto r = migrate(c, db, dir, c.rfind("resolve", 0) == 0 ? "--mark-applied" : "");
        INFO(c << " (exit " << r.status << "):\n" << r.output);
        CHECK_MESSAGE(r.status == 1, "must stop with exit 1");
        if (std::string(e.column) != col::checksum)
          CHECK_MESSAGE(contains(r.output, V1), "the message must name the row");
        CHECK_MESSAGE(contains(r.output, e.column), "the message must name the column");
      }
      CHECK_MESSAGE(table_count(db, "b") == 0, "up ran the pending migration despite a broken history row");
      CHECK_MESSAGE(table_count(db, "a2") == 1, "down ran despite a broken history row");
      if (std::string(e.column) == col::checksum) break;  // the last edit
      exec(db, std::string("UPDATE schemactl_migrations SET ") + col::applied + " = " + original[col::applied] + ", " +
                   col::state + " = '" + original[col::state] + "', " + col::in_flight + " = " +
                   original[col::in_flight]);
      REQUIRE(dump(hist(db)) == saved);
    }
  });
}

// "Before plan, up or down the migrations directory is checked against schemactl.sum: a file
// edited, added or deleted behind the sum's back is named and nothing runs."
TEST_CASE("adversary: edits, additions and deletions behind schemactl.sum's back") {
  for_each_dialect("sum", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    write_migration(dir, d, V1 + "_a", "CREATE TABLE a (id INT);\n", "DROP TABLE a;\n");
    REQUIRE(migrate("up", db, dir).status == 0);
    write_migration(dir, d, V2 + "_b", "CREATE TABLE b (id INT);\n", "DROP TABLE b;\n");
    const fs::path ddir = dir / dname(d);
    bool first = true;
    auto nothing_runs = [&](const std::string& what, const std::string& named) {
      std::vector<std::string> cmds = {"up"};
      if (first) cmds = {"plan", "up", "down --allow-destructive"};
      first = false;
      for (const std::string& cmd : cmds) {
        auto r = migrate(cmd, db, dir);
        INFO(what << ": " << cmd << " (exit " << r.status << "):\n" << r.output);
        CHECK_MESSAGE(r.status != 0, "must refuse");
        CHECK_MESSAGE(contains(r.output, named), "must name " << named);
      }
      CHECK_MESSAGE(table_count(db, "b") == 0, what << ": up ran");
      CHECK_MESSAGE(table_count(db, "a") == 1, what << ": down ran");
    };
    // edited (the pending one)
    std::string orig = file_text(ddir / (V2 + "_b.up.sql"));
    write_raw(dir, d, V2 + "_b.up.sql", orig + "CREATE TABLE sneaky (id INT);\n");
    nothing_runs("edited pending up file", V2 + "_b.up.sql");
    write_raw(dir, d, V2 + "_b.up.sql", orig);
    // edited (a down file)
    std::string odown = file_text(ddir / (V1 + "_a.down.sql"));
    write_raw(dir, d, V1 + "_a.down.sql", "DROP TABLE a;\nDROP TABLE other;\n");
    nothing_runs("edited down file", V1 + "_a.down.sql");
    write_raw(dir, d, V1 + "_a.down.sql", odown);
    // added
    write_raw(dir, d, V3 + "_c.up.sql", "CREATE TABLE c (id INT);\n");
    write_raw(dir, d, V3 + "_c.down.sql", "DROP TABLE c;\n");
    nothing_runs("added files", V3 + "_c");
    CHECK(table_count(db, "c") == 0);
    fs::remove(ddir / (V3 + "_c.up.sql"));
    fs::remove(ddir / (V3 + "_c.down.sql"));
    // deleted
    fs::rename(ddir / (V2 + "_b.down.sql"), dir / "keep");
    nothing_runs("deleted down file", V2 + "_b.down.sql");
    fs::rename(dir / "keep", ddir / (V2 + "_b.down.sql"));
    // the sum itself tampered with
    std::string sum = file_text(ddir / "schemactl.sum");
    auto at = sum.find(V2 + "_b.up.sql ");
    REQUIRE(at != std::string::npos);
    std::string bad = sum;
    auto h = bad.find(' ', at) + 1;
    bad[h] = bad[h] == '0' ? '1' : '0';
    write_raw(dir, d, "schemactl.sum", bad);
    nothing_runs("sum line changed", V2 + "_b.up.sql");
    write_raw(dir, d, "schemactl.sum", sum);
    // the sum deleted
    fs::remove(ddir / "schemactl.sum");
    for (const char* cmd : {"plan", "up"}) {
      auto r = migrate(cmd, db, dir);
      CHECK_MESSAGE(r.status != 0, "no schemactl.sum: " << cmd << " must refuse:\n" << r.output);
    }
    CHECK(table_count(db, "b") == 0);
    write_raw(dir, d, "schemactl.sum", sum);
    auto ok = migrate("up", db, dir);
    CHECK_MESSAGE(ok.status == 0, "after restoring: " << ok.output);
    CHECK(table_count(db, "b") == 1);
  });
}

TEST_CASE("adversary: an out-of-order migration") {
  for_each_dialect("outoforder", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    write_migration(dir, d, V1 + "_a", "CREATE TABLE a (id INT);\n", "DROP TABLE a;\n");
    write_migration(dir, d, V3 + "_c", "CREATE TABLE c (id INT);\n", "DROP TABLE c;\n");
    REQUIRE(migrate("up", db, dir).status == 0);
    write_migration(dir, d, V2 + "_b", "CREATE TABLE b (id INT);\n", "DROP TABLE b;\n");
    auto st = migrate("status", db, dir, "--exit-code");
    INFO("status:\n" << st.output);
    CHECK(st.status == 3);
    CHECK(contains(st.output, V2));
    auto plan = migrate("plan", db, dir);
    INFO("plan:\n" << plan.output);
    CHECK_MESSAGE(contains(plan.output, "--allow-out-of-order"), "plan must warn that up needs --allow-out-of-order");
    auto r = migrate("up", db, dir);
    INFO("up (exit " << r.status << "):\n" << r.output);
    CHECK_MESSAGE(r.status != 0, "up must refuse an out-of-order migration without --allow-out-of-order");
    CHECK(contains(r.output, "--allow-out-of-order"));
    CHECK(table_count(db, "b") == 0);
    auto r2 = migrate("up", db, dir, "--allow-out-of-order");
    CHECK_MESSAGE(r2.status == 0, r2.output);
    CHECK(table_count(db, "b") == 1);
    CHECK(state_of(db, V2) == "applied");
    CHECK(migrate("status", db, dir, "--exit-code").status == 0);
    // up --to a version below what is applied does nothing and undoes nothing.
    auto to = migrate("up", db, dir, "--to " + V1);
    CHECK(to.status == 0);
    CHECK(table_count(db, "c") == 1);
    // down --to V1 leaves V1 applied and undoes V2 and V3.
    auto down = migrate("down", db, dir, "--to " + V1 + " --allow-destructive");
    INFO("down --to (exit " << down.status << "):\n" << down.output);
    CHECK(down.status == 0);
    CHECK(table_count(db, "a") == 1);
    CHECK(table_count(db, "b") == 0);
    CHECK(table_count(db, "c") == 0);
  });
}

// "plan: what up would run, statement by statement, with warnings; changes nothing"
TEST_CASE("adversary: plan changes nothing, not even the history table") {
  for_each_dialect("plan", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    write_migration(dir, d, V1 + "_a", "CREATE TABLE a (id INT);\nINSERT INTO a VALUES (41);\n", "DROP TABLE a;\n");
    for (const char* fmt : {"text", "json", "markdown"}) {
      auto p = migrate("plan", db, dir, std::string("--format ") + fmt);
      INFO("plan --format " << fmt << " (exit " << p.status << "):\n" << p.output);
      CHECK((p.status == 0 || p.status == 3));
      CHECK_MESSAGE(contains(p.output, "INSERT INTO a VALUES (41)"), "plan must list the statements");
    }
    auto s = migrate("status", db, dir);
    CHECK_MESSAGE(!history_table_exists(db), "plan/status created the history table");
    CHECK(table_count(db, "a") == 0);
  });
}

// ---------------------------------------------------------------------------------------------
// "Passwords never appear in any output: every URL is printed as user:***@host."
namespace {

std::string pct(const std::string& s) {
  std::string out;
  const char* hex = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

TEST_CASE("adversary: hostile passwords never appear in any output, in any format, on any path") {
  const std::string pw = "Zq9'\";@:/?#%$&=+ x\\Pw";
  for_each_dialect("secrets", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    std::string user = "hostile" + std::to_string(::getpid()) + (d == DialectId::postgres ? "p" : "m");
    std::string sqlpw = pw;
    for (std::size_t i = 0; (i = sqlpw.find('\'', i)) != std::string::npos; i += 2) sqlpw.insert(i, "'");
    if (d == DialectId::postgres) {
      exec(db, "CREATE ROLE " + user + " LOGIN SUPERUSER PASSWORD '" + sqlpw + "'");
    } else {
      std::string mpw = sqlpw;
      for (std::size_t i = 0; (i = mpw.find('\\', i)) != std::string::npos; i += 2) mpw.insert(i, "\\");
      exec(db, "CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY '" + mpw + "'");
      exec(db, "GRANT ALL ON *.* TO '" + user + "'@'127.0.0.1'");
    }
    const auto& u = db.url();
    std::string scheme = d == DialectId::postgres ? "postgres" : "mysql";
    std::string host = u.host + ":" + std::to_string(u.port);
    std::string good = scheme + "://" + user + ":" + pct(pw) + "@" + host + "/" + u.database;
    write_migration(dir, d, V1 + "_a", "CREATE TABLE a (id INT);\n", "DROP TABLE a;\n");
    write_migration(dir, d, V2 + "_fail", "INSERT INTO nowhere VALUES (1);\n", "SELECT 1;\n");
    std::vector<std::string> forbidden = {pw, pct(pw), "Zq9", "x\\Pw", "s3cret-pw"};
    fs::path mdir = dir;
    auto run = [&](const std::string& args, const std::string& env = "") {
      std::string out;
      int rc = run_command(env + std::string(SCHEMACTL_BINARY) + " " + args + " --migrations " + mdir.string(), out);
      INFO("schemactl " << args << " (exit " << rc << "):\n" << out);
      for (auto& f : forbidden) CHECK_MESSAGE(!contains(out, f), "output contains the password (or part: " << f << ")");
      return rc;
    };
    // The good URL, all commands, all formats (V2 fails: an error path too).
    for (const char* fmt : {"text", "json", "markdown"})
      run("migrate up --format " + std::string(fmt) + " --url " + shq(good));  // V2 fails
    run("migrate status --format json --url " + shq(good));
    run("migrate plan --format markdown --url " + shq(good));
    run("migrate resolve " + V2 + " --statement-applied --format json --url " + shq(good));
    run("migrate down --allow-destructive --format json --url " + shq(good));
    CHECK_MESSAGE(run("migrate up --to " + V1 + " --url " + shq(good)) == 0, "the hostile-password URL must work");
    // DATABASE_URL fallback.
    run("migrate status", "DATABASE_URL=" + shq(good) + " ");
    // Error paths: wrong password, wrong database, closed port, bad port, unknown query option.
    std::string wrong = scheme + "://" + user + ":" + pct(pw + "nope") + "@" + host + "/" + u.database;
    CHECK(run("migrate status --url " + shq(wrong)) != 0);
    CHECK(run("migrate up --url " + shq(scheme + "://" + user + ":" + pct(pw) + "@" + host + "/no_such_db_x")) != 0);
    CHECK(run("migrate up --url " + shq(scheme + "://" + user + ":" + pct(pw) + "@127.0.0.1:1/" + u.database)) != 0);
    CHECK(run("migrate up --url " + shq(scheme + "://" + user + ":" + pct(pw) + "@127.0.0.1:notaport/x")) != 0);
    // An unencoded password (a user's typing): still never echoed.
    run("migrate status --url " + shq(scheme + "://" + user + ":" + pw + "@" + host + "/" + u.database));
    // The test servers' own password, in the query string.
    if (d == DialectId::postgres)
      run("migrate status --url " + shq("postgres://schemactl@" + host + "/" + u.database + "?password=s3cret-pw"));
    // While another run holds the lock: the lock-timeout message.
    FreshDatabase lockdb(*server_url(d), "secrets_lock");
    TempDir dir2;
    mdir = dir2.path;
    make_tables(lockdb, 1);
    write_migration(mdir, d, V1 + "_hold", "INSERT INTO t1 VALUES (2, 2);\n", "DELETE FROM t1 WHERE id = 2;\n");
    std::string lockurl = scheme + "://" + user + ":" + pct(pw) + "@" + host + "/" + lockdb.url().database;
    {
      Blocker block(lockdb, "t1");
      Background holder("up", lockdb, mdir);
      REQUIRE(waiting_on(lockdb, "t1"));
      CHECK(run("migrate up --lock-timeout 1 --format json --url " + shq(lockurl)) != 0);
      CHECK(run("migrate up --lock-timeout 1 --url " + shq(lockurl)) != 0);
      block.release();
      holder.wait();
    }
  });
}

// The other half of "skipped when it took effect and run when it did not": the client is killed
// and the server never runs the waiting statement (its session is killed too).
TEST_CASE("adversary: kill -9, the statement never ran on the server, then up again (MariaDB)") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"t2", "CREATE INDEX i2 ON t2 (v)"},
      {"t2", "ALTER TABLE t2 RENAME COLUMN v TO w"},
      {"t2", "RENAME TABLE t2 TO t2r"},
  };
  for (auto& [table, stmt] : cases) {
    INFO("statement 2: " << stmt);
    FreshDatabase db(*server, "kill9_not_run");
    TempDir dir;
    make_tables(db, 3);
    write_migration(dir.path, DialectId::tidb, V1 + "_x",
                    "INSERT INTO t1 VALUES (2, 2);\n" + stmt + ";\nINSERT INTO t3 VALUES (2, 2);\n", "SELECT 1;\n");
    {
      Blocker block(db, table);
      Background run("up", db, dir.path);
      REQUIRE(waiting_on(db, table));
      run.signal(SIGKILL);
      run.wait();
      for (auto& i : db.connect()->query("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND "
                                         "STATE LIKE 'Waiting for%lock%'"))
        exec(db, "KILL " + *i[0]);
      block.release();
    }
    wait_idle(db);
    auto again = migrate("up", db, dir.path, "--lock-timeout 20");
    INFO("up again (exit " << again.status << "):\n" << again.output);
    CHECK_MESSAGE(again.status == 0, "the statement visibly did not take effect: up must run it");
    CHECK(val(db, "SELECT COUNT(*) FROM t1") == "2");
    CHECK(val(db, "SELECT COUNT(*) FROM t3") == "2");
    CHECK(index_count(db, "t2", "i2") + column_count(db, "t2", "w") + table_count(db, "t2r") == 1);
    expect_applied(db, V1, 3);
  }
}

// README: "data changes ... run in one transaction with their progress row, so they commit
// together or not at all (on transactional tables)" and "The next run never runs such a statement
// again on a guess". On a MyISAM table a killed UPDATE commits without its progress row: running
// it again is a guess.
TEST_CASE("adversary: kill -9 during an UPDATE of a non-transactional (MyISAM) table") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  FreshDatabase db(*server, "myisam");
  TempDir dir;
  exec(db, "CREATE TABLE m (id INT PRIMARY KEY, v INT) ENGINE=MyISAM");
  exec(db, "INSERT INTO m VALUES (1, 1)");
  write_migration(dir.path, DialectId::tidb, V1 + "_m", "UPDATE m SET v = v + 100;\n", "UPDATE m SET v = v - 100;\n");
  {
    Blocker block(db, "m");
    Background run("up", db, dir.path);
    REQUIRE(waiting_on(db, "m"));
    run.signal(SIGKILL);
    run.wait();
    block.release();
  }
  wait_idle(db);
  REQUIRE(val(db, "SELECT v FROM m") == "101");  // the server ran it
  auto again = migrate("up", db, dir.path, "--lock-timeout 20");
  INFO("up again (exit " << again.status << "):\n" << again.output);
  CHECK_MESSAGE(val(db, "SELECT v FROM m") == "101",
                "the UPDATE on a MyISAM table ran twice: it committed on the server, and up ran it again");
  if (again.status == 0) expect_applied(db, V1, 1);
}

// Postgres: a data change marked outside-transaction runs on its own; killed in flight, it may have
// committed, and nothing in the catalog shows it. It must not run again on a guess.
TEST_CASE("adversary: kill -9 during an outside-transaction UPDATE on Postgres") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  FreshDatabase db(*server, "pgoutside");
  TempDir dir;
  make_tables(db, 1);
  write_migration(dir.path, DialectId::postgres, V1 + "_o",
                  "-- schemactl:outside-transaction\nUPDATE t1 SET v = v + 100;\n", "UPDATE t1 SET v = v - 100;\n");
  {
    Blocker block(db, "t1");
    Background run("up", db, dir.path);
    REQUIRE(waiting_on(db, "t1"));
    run.signal(SIGKILL);
    run.wait();
    block.release();
  }
  wait_idle(db);
  std::string after_kill = val(db, "SELECT v FROM t1");
  auto again = migrate("up", db, dir.path, "--lock-timeout 20");
  INFO("value after the kill: " << after_kill << "\nup again (exit " << again.status << "):\n" << again.output);
  CHECK_MESSAGE(val(db, "SELECT v FROM t1") == "101", "the UPDATE ran a wrong number of times");
}

// "A migration and its history row commit in one transaction": a COMMIT written in the file breaks
// that; the applier must refuse the file or record the truth, never leave history and database
// disagreeing.
TEST_CASE("adversary: a COMMIT inside a Postgres migration file") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  FreshDatabase db(*server, "pgcommit");
  TempDir dir;
  write_migration(dir.path, DialectId::postgres, V1 + "_c",
                  "CREATE TABLE early (id int);\nCOMMIT;\nINSERT INTO nowhere VALUES (1);\n", "DROP TABLE early;\n");
  auto r = migrate("up", db, dir.path);
  INFO("up (exit " << r.status << "):\n" << r.output << "\nhistory: " << dump(hist(db)));
  CHECK(r.status != 0);
  bool early = table_count(db, "early") == 1;
  std::string state = state_of(db, V1);
  CHECK_MESSAGE(!(early && state == "<no row>"),
                "table `early` was committed by the file's COMMIT, but the history records nothing: the next up "
                "will fail on CREATE TABLE early");
  auto st = migrate("status", db, dir.path);
  INFO("status:\n" << st.output);
  // Fix the failing statement and go on: must end applied, with early created once.
  write_migration(dir.path, DialectId::postgres, V1 + "_c",
                  "CREATE TABLE early (id int);\nCOMMIT;\nCREATE TABLE nowhere (id int);\n", "DROP TABLE early;\n");
  migrate("resolve " + V1, db, dir.path, "--accept-checksum");
  auto again = migrate("up", db, dir.path);
  INFO("up after the fix (exit " << again.status << "):\n" << again.output);
  CHECK_MESSAGE((again.status == 0 || !early), "after the fix up must finish the migration");
}

// Two files with the same version: which one is "the" migration? Must refuse, naming both.
TEST_CASE("adversary: two migrations with the same version") {
  for_each_dialect("dupversion", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    write_migration(dir, d, V1 + "_first", "CREATE TABLE first_t (id INT);\n", "DROP TABLE first_t;\n");
    write_migration(dir, d, V1 + "_second", "CREATE TABLE second_t (id INT);\n", "DROP TABLE second_t;\n");
    auto r = migrate("up", db, dir);
    INFO("up (exit " << r.status << "):\n" << r.output);
    CHECK_MESSAGE(r.status != 0, "two migrations share version " << V1 << ": up must refuse");
    CHECK_MESSAGE((contains(r.output, "first") && contains(r.output, "second")), "the message must name both files");
    CHECK_MESSAGE(table_count(db, "first_t") + table_count(db, "second_t") == 0, "up ran one of them");
  });
}

// A SET or USE in one migration must not change where the next migration of the same run creates
// its objects: one run must give what two runs give (the README: history and settings are per
// connection, and a resumed run re-issues the file's own SETs only).
TEST_CASE("adversary: a migration's SET search_path / USE does not leak into the next migration") {
  for_each_dialect("setleak", [&](const FreshDatabase& db, const fs::path& dir, DialectId d) {
    std::string other = db.url().database + "_l";
    if (d == DialectId::postgres)
      write_migration(dir, d, V1 + "_s", "CREATE SCHEMA other;\nSET search_path = other;\nCREATE TABLE o1 (id int);\n",
                      "DROP SCHEMA other CASCADE;\n");
    else
      write_migration(dir, d, V1 + "_s",
                      "CREATE DATABASE " + other + ";\nUSE " + other + ";\nCREATE TABLE o1 (id INT);\n",
                      "DROP DATABASE " + other + ";\n");
    write_migration(dir, d, V2 + "_n", "CREATE TABLE next_t (id INT);\n", "DROP TABLE next_t;\n");
    auto r = migrate("up", db, dir);
    INFO("up (exit " << r.status << "):\n" << r.output);
    CHECK(r.status == 0);
    CHECK_MESSAGE(table_count(db, "next_t") == 1,
                  "next_t (migration 2, no SET) was created in the schema migration 1 switched to, not in the "
                  "connect-time one");
    if (d != DialectId::postgres) exec(db, "DROP DATABASE IF EXISTS " + other);
  });
}

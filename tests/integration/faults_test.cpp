// The applier under faults on the real servers: the client killed (SIGKILL) while a data change or a
// DDL statement runs, SIGINT, a failed concurrent unique index, resumes that need the file's session
// settings, hand-edited history rows, strict downs, a directory that does not match its sum, a held
// lock and a table lock that never comes. After each: the database, the history and the files are
// exactly right, or the tool stopped with a message that says what to do.
#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>

#include "cli_support.hpp"
#include "util/text.hpp"

namespace schemactl::test {
namespace {

constexpr const char* kV = "20250101_000000";

// A session that holds a lock until it commits: the next statement on those rows or that table
// waits on the server, where the client cannot see it, while the test kills the client.
struct Blocker {
  std::unique_ptr<db::Connection> conn;
  Blocker(const FreshDatabase& db, const std::string& lock_sql) : conn(db.connect()) {
    conn->execute(db.url().dialect == DialectId::postgres ? "BEGIN" : "START TRANSACTION");
    conn->query(lock_sql);
  }
  void release() { conn->execute("COMMIT"); }
};

std::string processlist_like(const std::string& prefix) {
  return "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE '" + prefix + "%'";
}

}  // namespace

TEST_CASE("faults: a client killed while its data change waits (MariaDB): the rows are not doubled") {
  auto server = server_url(DialectId::tidb);
  if (!server) return;
  FreshDatabase db(*server, "faults_dml_kill");
  auto c = db.connect();
  c->execute("CREATE TABLE src (id INT PRIMARY KEY)");
  c->execute("INSERT INTO src SELECT seq FROM seq_1_to_2000");
  TempDir tmp;
  write_migration(tmp.path, DialectId::tidb, std::string(kV) + "_copy",
                  "CREATE TABLE audit (id INT);\nINSERT INTO audit SELECT id FROM src;\n"
                  "CREATE INDEX idx_audit_id ON audit (id);\n",
                  "DROP TABLE IF EXISTS audit;\n");
  Blocker blocker(db, "SELECT id FROM src WHERE id = 1000 FOR UPDATE");
  Background run("up", db, tmp.path, "--lock-wait-timeout 60");
  REQUIRE(wait_for_row(db, processlist_like("INSERT INTO audit")));
  run.signal(SIGKILL);
  CHECK(run.wait().status == 128 + SIGKILL);
  // The server goes on with the statement it was given once the lock is free, then finds the
  // client gone: the transaction that held the statement and its progress is rolled back.
  blocker.release();
  Run again = migrate("up", db, tmp.path, "--lock-timeout 60");
  INFO(again.output);
  CHECK(again.status == 0);
  CHECK(scalar(db, "SELECT COUNT(*) FROM audit") == std::optional<std::string>("2000"));
  auto rows = history(db);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].state == apply::RowState::applied);
  CHECK(rows[0].statements_applied == 3);
}

TEST_CASE("faults: a client killed while its DDL waits (MariaDB): the committed statement is not run again") {
  auto server = server_url(DialectId::tidb);
  if (!server) return;
  FreshDatabase db(*server, "faults_ddl_kill");
  db.connect()->execute("CREATE TABLE t (id INT PRIMARY KEY, x INT)");
  TempDir tmp;
  write_migration(tmp.path, DialectId::tidb, std::string(kV) + "_uq",
                  "CREATE TABLE side (id INT);\nALTER TABLE t ADD CONSTRAINT uq_t_x UNIQUE (x);\n"
                  "CREATE INDEX idx_t_x ON t (x);\n",
                  "DROP INDEX IF EXISTS idx_t_x ON t;\nALTER TABLE t DROP INDEX IF EXISTS uq_t_x;\n"
                  "DROP TABLE IF EXISTS side;\n");
  Blocker blocker(db, "SELECT * FROM t");
  Background run("up", db, tmp.path, "--lock-wait-timeout 60");
  REQUIRE(wait_for_row(db, processlist_like("ALTER TABLE t ADD CONSTRAINT")));
  run.signal(SIGKILL);
  CHECK(run.wait().status == 128 + SIGKILL);
  auto rows = history(db);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].in_flight);  // the history knows statement 2 was sent
  CHECK(rows[0].statements_applied == 1);
  Run status = migrate("status", db, tmp.path);
  CHECK(contains(status.output, "was running when the run stopped"));
  blocker.release();  // the server now runs the ALTER to the end
  Run again = migrate("up", db, tmp.path, "--lock-timeout 60");
  INFO(again.output);
  CHECK(again.status == 0);
  CHECK(contains(again.output, "took effect (constraint uq_t_x on t exists): not run again"));
  CHECK(history(db).at(0).state == apply::RowState::applied);
  CHECK(scalar(db,
               "SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND "
               "INDEX_NAME = 'idx_t_x'") != std::optional<std::string>("0"));
}

TEST_CASE("faults: a statement whose effect the catalog cannot tell stops as unknown until resolved (MariaDB)") {
  auto server = server_url(DialectId::tidb);
  if (!server) return;
  FreshDatabase db(*server, "faults_unknown");
  db.connect()->execute("CREATE TABLE t (id INT PRIMARY KEY)");
  TempDir tmp;
  write_migration(tmp.path, DialectId::tidb, std::string(kV) + "_two",
                  "ALTER TABLE t ADD COLUMN a INT, ADD COLUMN b INT;\nCREATE TABLE done (id INT);\n",
                  "DROP TABLE IF EXISTS done;\nALTER TABLE t DROP COLUMN a, DROP COLUMN b;\n");
  Blocker blocker(db, "SELECT * FROM t");
  Background run("up", db, tmp.path, "--lock-wait-timeout 60");
  REQUIRE(wait_for_row(db, processlist_like("ALTER TABLE t ADD COLUMN a")));
  run.signal(SIGKILL);
  run.wait();
  blocker.release();
  Run stopped = migrate("up", db, tmp.path, "--lock-timeout 60");
  INFO(stopped.output);
  CHECK(stopped.status == 1);
  CHECK(contains(stopped.output, "never run twice on a guess"));
  CHECK(contains(stopped.output, "resolve " + std::string(kV) + " --statement-applied"));
  CHECK(history(db).at(0).state == apply::RowState::unknown);
  CHECK(migrate("status", db, tmp.path, "--exit-code").status == 1);
  CHECK(migrate("up", db, tmp.path).status == 1);  // still refused
  CHECK(migrate("resolve", db, tmp.path, std::string(kV) + " --mark-applied").status == 1);
  Run resolved = migrate("resolve", db, tmp.path, std::string(kV) + " --statement-applied");
  INFO(resolved.output);
  CHECK(resolved.status == 0);
  Run finished = migrate("up", db, tmp.path);
  INFO(finished.output);
  CHECK(finished.status == 0);  // no "duplicate column": the ALTER did not run again
  CHECK(has_table(db, "done"));
  CHECK(history(db).at(0).state == apply::RowState::applied);
}

TEST_CASE("faults: SIGINT cancels the Postgres statement server-side and leaves nothing behind") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  FreshDatabase db(*server, "faults_sigint_pg");
  TempDir tmp;
  write_migration(tmp.path, DialectId::postgres, std::string(kV) + "_slow",
                  "CREATE TABLE a (id int);\nSELECT pg_sleep(60);\nCREATE TABLE b (id int);\n",
                  "DROP TABLE IF EXISTS b;\nDROP TABLE IF EXISTS a;\n");
  Background run("up", db, tmp.path);
  REQUIRE(
      wait_for_row(db, "SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)' AND state = 'active'"));
  run.signal(SIGINT);
  Run r = run.wait();
  INFO(r.output);
  CHECK(r.status == 128 + SIGINT);
  CHECK(contains(r.output, "interrupted by SIGINT at statement 2 of 3"));
  CHECK(contains(r.output, "canceling statement due to user request"));
  CHECK(contains(r.output, "Nothing was changed: the transaction was rolled back."));
  CHECK_FALSE(has_table(db, "a"));
  CHECK(history(db).empty());
  CHECK_FALSE(wait_for_row(db,
                           "SELECT pid FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)' AND state = "
                           "'active'",
                           1));
}

TEST_CASE("faults: SIGINT on MariaDB finishes the statement in flight, records it and stops - a second signal exits") {
  auto server = server_url(DialectId::tidb);
  if (!server) return;
  FreshDatabase db(*server, "faults_sigint_my");
  TempDir tmp;
  write_migration(tmp.path, DialectId::tidb, std::string(kV) + "_slow",
                  "CREATE TABLE a (id INT);\nSELECT SLEEP(1);\nCREATE TABLE b (id INT);\n",
                  "DROP TABLE IF EXISTS b;\nDROP TABLE IF EXISTS a;\n");
  {
    Background run("up", db, tmp.path);
    REQUIRE(wait_for_row(db, processlist_like("SELECT SLEEP(1)")));
    run.signal(SIGINT);
    Run r = run.wait();
    INFO(r.output);
    CHECK(r.status == 128 + SIGINT);
    CHECK(contains(r.output, "stopped by SIGINT before statement 3 of 3"));
    auto rows = history(db);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].statements_applied == 2);
    CHECK_FALSE(rows[0].in_flight);
    CHECK_FALSE(has_table(db, "b"));
  }
  // Undo, then interrupt twice: the second signal ends the run at once; the next run goes on.
  REQUIRE(migrate("down", db, tmp.path).status == 0);
  write_migration(tmp.path, DialectId::tidb, std::string(kV) + "_slow",
                  "CREATE TABLE a (id INT);\nSELECT SLEEP(20);\nCREATE TABLE b (id INT);\n",
                  "DROP TABLE IF EXISTS b;\nDROP TABLE IF EXISTS a;\n");
  {
    Background run("up", db, tmp.path);
    REQUIRE(wait_for_row(db, processlist_like("SELECT SLEEP(20)")));
    run.signal(SIGINT);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // two signals at once would be one
    run.signal(SIGINT);
    Run r = run.wait();
    INFO(r.output);
    CHECK(r.status == 128 + SIGINT);
    CHECK(contains(r.output, "second signal: exiting now"));
  }
  Run again = migrate("up", db, tmp.path, "--lock-timeout 60");
  INFO(again.output);
  CHECK(again.status == 0);
  CHECK(has_table(db, "b"));
}

TEST_CASE("faults: a failed CREATE UNIQUE INDEX CONCURRENTLY is never recorded as applied (Postgres)") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  FreshDatabase db(*server, "faults_invalid_index");
  auto c = db.connect();
  c->execute("CREATE TABLE t (x int)");
  c->execute("INSERT INTO t VALUES (1), (1), (2)");
  TempDir tmp;
  write_migration(tmp.path, DialectId::postgres, std::string(kV) + "_uq",
                  "SET lock_timeout = '5s';\nCREATE TABLE other (id int);\n-- schemactl:outside-transaction\n"
                  "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_t_x ON public.t (x);\n",
                  "-- schemactl:outside-transaction\nDROP INDEX CONCURRENTLY IF EXISTS public.uq_t_x;\n"
                  "DROP TABLE IF EXISTS other;\n");
  Run up = migrate("up", db, tmp.path);
  INFO(up.output);
  CHECK(up.status == 1);
  CHECK(contains(up.output, "could not create unique index"));
  auto valid = [&] {
    return scalar(db,
                  "SELECT i.indisvalid::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE "
                  "c.relname = 'uq_t_x'");
  };
  CHECK(valid() == std::optional<std::string>("false"));  // what Postgres leaves behind
  Run status = migrate("status", db, tmp.path, "--exit-code");
  CHECK(status.status == 1);
  CHECK(contains(status.output, "index public.uq_t_x on t is INVALID"));
  CHECK(contains(migrate("plan", db, tmp.path).output, "is INVALID"));
  // Still duplicates: the resumed build fails again, and again nothing is called applied.
  CHECK(migrate("up", db, tmp.path).status == 1);
  CHECK(history(db).at(0).state == apply::RowState::partial);
  c->execute("DELETE FROM t WHERE ctid = (SELECT min(ctid) FROM t WHERE x = 1)");
  Run fixed = migrate("up", db, tmp.path);
  INFO(fixed.output);
  CHECK(fixed.status == 0);
  CHECK(contains(fixed.output, "dropped INVALID index uq_t_x"));
  CHECK(valid() == std::optional<std::string>("true"));
  CHECK(history(db).at(0).state == apply::RowState::applied);
  CHECK_THROWS(c->execute("INSERT INTO t VALUES (2)"));  // uniqueness is enforced
  CHECK(migrate("status", db, tmp.path, "--exit-code").status == 0);
}

// Found by the misfit round trip: a transaction after a committed outside-transaction statement
// failed, and the history row said partial with no failed statement and no error.
TEST_CASE("faults: a Postgres transaction that fails after an outside-transaction step records what failed") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  FreshDatabase db(*server, "faults_later_tx");
  TempDir tmp;
  write_migration(tmp.path, DialectId::postgres, std::string(kV) + "_later",
                  "CREATE TABLE a (id int);\n-- schemactl:outside-transaction\n"
                  "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_a_id ON public.a (id);\n"
                  "CREATE TABLE b (id int);\nINSERT INTO a VALUES (1 / 0);\n",
                  "DROP TABLE IF EXISTS b;\nDROP TABLE IF EXISTS a;\n");
  Run up = migrate("up", db, tmp.path);
  INFO(up.output);
  CHECK(up.status == 1);
  CHECK(contains(up.output, "division by zero"));
  auto rows = history(db);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].state == apply::RowState::partial);
  CHECK(rows[0].statements_applied == 2);
  CHECK(contains(rows[0].failed_statement, "INSERT INTO a VALUES (1 / 0)"));
  CHECK(contains(rows[0].error, "division by zero"));
  CHECK_FALSE(has_table(db, "b"));  // its transaction was rolled back
  Run status = migrate("status", db, tmp.path);
  CHECK_MESSAGE(contains(status.output, "division by zero"), status.output);
}

TEST_CASE("faults: a resumed Postgres migration runs with the file's session settings") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  FreshDatabase db(*server, "faults_resume_settings");
  auto c = db.connect();
  c->execute("CREATE SCHEMA app");
  TempDir tmp;
  write_migration(tmp.path, DialectId::postgres, std::string(kV) + "_app",
                  "SET search_path = app, public;\nCREATE TABLE t (x int);\nINSERT INTO t VALUES (1), (1);\n"
                  "-- schemactl:outside-transaction\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_x ON t (x);\n",
                  "SET search_path = app, public;\n-- schemactl:outside-transaction\n"
                  "DROP INDEX CONCURRENTLY IF EXISTS uq_x;\nDROP TABLE IF EXISTS t;\n");
  CHECK(migrate("up", db, tmp.path).status == 1);
  c->execute("DELETE FROM app.t WHERE ctid = (SELECT min(ctid) FROM app.t)");
  Run resumed = migrate("up", db, tmp.path);
  INFO(resumed.output);
  CHECK(resumed.status == 0);
  CHECK(scalar(db, "SELECT schemaname FROM pg_indexes WHERE indexname = 'uq_x'") == std::optional<std::string>("app"));
  // The history stays where the run started, whatever the file sets.
  CHECK(scalar(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'schemactl_migrations' AND schemaname = 'app'") ==
        std::optional<std::string>("0"));
  Run down = migrate("down", db, tmp.path);
  INFO(down.output);
  CHECK(down.status == 0);
  CHECK(scalar(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'app'") == std::optional<std::string>("0"));
}

TEST_CASE("faults: hand-edited history rows are named, never trusted") {
  for (DialectId d : kAllDialects) {
    CAPTURE(dialect_name(d));
    auto server = server_url(d);
    if (!server) continue;
    FreshDatabase db(*server, "faults_history_edit");
    TempDir tmp;
    write_migration(tmp.path, d, std::string(kV) + "_one", "CREATE TABLE one (id INT);\n",
                    "DROP TABLE IF EXISTS one;\n");
    REQUIRE(migrate("up", db, tmp.path).status == 0);
    auto c = db.connect();
    const std::string good = history(db).at(0).checksum;
    struct Edit {
      std::string sql, expect;
    };
    for (const Edit& e :
         {Edit{"UPDATE schemactl_migrations SET statements_applied = -1",
               "history row '20250101_000000' in schemactl_migrations: statements_applied = '-1'"},
          Edit{"UPDATE schemactl_migrations SET statements_applied = 7", "statements_applied = '7' is out of range"},
          Edit{"UPDATE schemactl_migrations SET state = 'done'", "state = 'done' is not one of"},
          Edit{"UPDATE schemactl_migrations SET checksum = 'abc'", "checksum = 'abc' is not a SHA-256"},
          Edit{"UPDATE schemactl_migrations SET state = 'applied', in_flight = 1", "contradicts"},
          Edit{"ALTER TABLE schemactl_migrations DROP COLUMN checksum", "has no column checksum"}}) {
      CAPTURE(e.sql);
      c->execute(e.sql);
      for (std::string cmd : {"status", "up", "down"}) {
        Run r = migrate(cmd, db, tmp.path);
        CAPTURE(cmd);
        CHECK(r.status == 1);
        CHECK(contains(r.output, e.expect));
      }
      if (contains(e.sql, "DROP COLUMN")) break;
      c->execute(
          "UPDATE schemactl_migrations SET statements_applied = 1, statements_total = 1, state = 'applied', "
          "in_flight = 0, checksum = '" +
          good + "'");
      REQUIRE(migrate("status", db, tmp.path, "--exit-code").status == 0);
    }
  }
}

TEST_CASE(
    "faults: a down statement that finds nothing fails unless written with IF EXISTS - a failed down is "
    "recorded rolling_back and resumes (MariaDB)") {
  auto server = server_url(DialectId::tidb);
  if (!server) return;
  FreshDatabase db(*server, "faults_strict_down");
  TempDir tmp;
  const std::string id = std::string(kV) + "_ab";
  write_migration(tmp.path, DialectId::tidb, id, "CREATE TABLE a (id INT);\nCREATE TABLE b (id INT);\n",
                  "DROP TABLE b;\nDROP TABLE typo_a;\n");
  REQUIRE(migrate("up", db, tmp.path).status == 0);
  Run down = migrate("down", db, tmp.path);
  INFO(down.output);
  CHECK(down.status == 1);
  CHECK(contains(down.output, "rolling back " + id + " failed at statement 2 of 2"));
  CHECK(contains(down.output, "typo_a"));
  CHECK(contains(down.output, "recorded as rolling_back (1 of 2 down statements done)"));
  CHECK(has_table(db, "a"));
  CHECK_FALSE(has_table(db, "b"));
  auto rows = history(db);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].state == apply::RowState::rolling_back);
  CHECK(rows[0].down_applied == 1);
  CHECK(migrate("status", db, tmp.path, "--exit-code").status == 1);
  Run up = migrate("up", db, tmp.path);
  CHECK(up.status == 1);
  CHECK(contains(up.output, "half rolled back"));
  // Fix the down file (and its sum), then down resumes at the failed statement.
  std::ofstream(tmp.path / "tidb" / (id + ".down.sql")) << "DROP TABLE b;\nDROP TABLE a;\n";
  write_sum(tmp.path, DialectId::tidb);
  Run again = migrate("down", db, tmp.path);
  INFO(again.output);
  CHECK(again.status == 0);
  CHECK_FALSE(has_table(db, "a"));
  CHECK(history(db).empty());
}

TEST_CASE("faults: status --exit-code and up against a directory that does not match its sum") {
  for (DialectId d : kAllDialects) {
    CAPTURE(dialect_name(d));
    auto server = server_url(d);
    if (!server) continue;
    FreshDatabase db(*server, "faults_sum");
    TempDir tmp;
    const std::string dir = dialect_name(d);
    write_migration(tmp.path, d, std::string(kV) + "_one", "CREATE TABLE one (id INT);\n",
                    "DROP TABLE IF EXISTS one;\n");
    REQUIRE(migrate("up", db, tmp.path).status == 0);
    // A file the sum does not list: up refuses and names it.
    std::ofstream(tmp.path / dir / "20250102_000000_two.up.sql") << "CREATE TABLE two (id INT);\n";
    std::ofstream(tmp.path / dir / "20250102_000000_two.down.sql") << "DROP TABLE two;\n";
    Run up = migrate("up", db, tmp.path);
    CHECK(up.status == 1);
    CHECK(contains(up.output, "added: " + (tmp.path / dir / "20250102_000000_two.up.sql").string()));
    CHECK(contains(up.output, "migrate hash"));
    CHECK_FALSE(has_table(db, "two"));
    CHECK(migrate("status", db, tmp.path, "--exit-code").status == 1);
    write_sum(tmp.path, d);
    CHECK(migrate("status", db, tmp.path, "--exit-code").status == 3);  // pending, nothing wrong
    // A deleted down file: status still shows everything and names the file; down refuses.
    fs::remove(tmp.path / dir / (std::string(kV) + "_one.down.sql"));
    Run status = migrate("status", db, tmp.path, "--exit-code");
    INFO(status.output);
    CHECK(status.status == 1);
    CHECK(contains(status.output, "_one.down.sql is missing"));
    CHECK(contains(status.output, "20250101_000000  one  applied"));
    CHECK(migrate("down", db, tmp.path).status == 1);
    CHECK(has_table(db, "one"));
    // A modified applied file: exit 1, and an accepted change clears it.
    std::ofstream(tmp.path / dir / (std::string(kV) + "_one.down.sql")) << "DROP TABLE IF EXISTS one;\n";
    std::ofstream(tmp.path / dir / (std::string(kV) + "_one.up.sql"), std::ios::app) << "-- a comment\n";
    write_sum(tmp.path, d);
    CHECK(migrate("status", db, tmp.path, "--exit-code").status == 1);
    Run accept = migrate("resolve", db, tmp.path, std::string(kV) + " --accept-checksum");
    INFO(accept.output);
    CHECK(accept.status == 0);
    CHECK(migrate("status", db, tmp.path, "--exit-code").status == 3);
  }
}

TEST_CASE("faults: the migration lock is per database and a waiting run names its holder") {
  for (DialectId d : kAllDialects) {
    CAPTURE(dialect_name(d));
    auto server = server_url(d);
    if (!server) continue;
    FreshDatabase a(*server, "faults_lock_a"), b(*server, "faults_lock_b");
    TempDir tmp;
    write_migration(tmp.path, d, std::string(kV) + "_one", "CREATE TABLE one (id INT);\n",
                    "DROP TABLE IF EXISTS one;\n");
    auto holder = a.connect();
    REQUIRE(holder->try_lock(1));
    Run other = migrate("up", b, tmp.path, "--lock-timeout 1");
    INFO(other.output);
    CHECK(other.status == 0);  // another database: not blocked
    Run waiting = migrate("up", a, tmp.path, "--lock-timeout 1");
    INFO(waiting.output);
    CHECK(waiting.status == 1);
    CHECK(contains(waiting.output, "held by "));
    CHECK(contains(waiting.output, d == DialectId::postgres ? "pg_terminate_backend(" : "`KILL "));
    CHECK(waiting.output.find(a.url().password) == std::string::npos);
    holder->unlock();
  }
}

TEST_CASE("faults: a DDL statement waiting behind an open transaction gives up after --lock-wait-timeout (MariaDB)") {
  auto server = server_url(DialectId::tidb);
  if (!server) return;
  FreshDatabase db(*server, "faults_lock_wait");
  db.connect()->execute("CREATE TABLE t (id INT)");
  TempDir tmp;
  write_migration(tmp.path, DialectId::tidb, std::string(kV) + "_c", "ALTER TABLE t ADD COLUMN c INT;\n",
                  "ALTER TABLE t DROP COLUMN IF EXISTS c;\n");
  Blocker blocker(db, "SELECT * FROM t");
  Run r = migrate("up", db, tmp.path, "--lock-wait-timeout 1 --lock-retries 0");
  INFO(r.output);
  CHECK(r.status == 1);
  CHECK(contains(r.output, "Lock wait timeout exceeded"));
  auto rows = history(db);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].statements_applied == 0);
  CHECK_FALSE(rows[0].in_flight);  // the server said no: nothing is in doubt
  blocker.release();
  CHECK(migrate("up", db, tmp.path).status == 0);
}

}  // namespace schemactl::test

namespace schemactl::test {

TEST_CASE("faults: a lock timeout is retried with backoff (--lock-retries), then the migration goes on") {
  for (DialectId d : kAllDialects) {
    CAPTURE(dialect_name(d));
    auto server = server_url(d);
    if (!server) continue;
    bool pg = d == DialectId::postgres;
    FreshDatabase db(*server, "faults_lock_retry");
    db.connect()->execute("CREATE TABLE t (id INT)");
    TempDir tmp;
    write_migration(tmp.path, d, std::string(kV) + "_c",
                    std::string(pg ? "SET lock_timeout = '1s';\n" : "") + "ALTER TABLE t ADD COLUMN c INT;\n",
                    "ALTER TABLE t DROP COLUMN IF EXISTS c;\n");
    Blocker blocker(db, "SELECT * FROM t");
    std::thread release([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(2500));
      blocker.release();
    });
    Run r = migrate("up", db, tmp.path, "--lock-wait-timeout 1 --lock-retries 5");
    release.join();
    INFO(r.output);
    CHECK(r.status == 0);
    CHECK(contains(r.output, "waited too long for a lock"));
    CHECK(contains(r.output, "try 2 of 6 after 500 ms"));
    CHECK(history(db).at(0).state == apply::RowState::applied);
  }
}

TEST_CASE("faults: --statement-timeout bounds the transactional part on Postgres") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  FreshDatabase db(*server, "faults_statement_timeout");
  TempDir tmp;
  write_migration(tmp.path, DialectId::postgres, std::string(kV) + "_slow",
                  "CREATE TABLE a (id int);\nSELECT pg_sleep(20);\n", "DROP TABLE IF EXISTS a;\n");
  Run r = migrate("up", db, tmp.path, "--statement-timeout 1");
  INFO(r.output);
  CHECK(r.status == 1);
  CHECK(contains(r.output, "canceling statement due to statement timeout"));
  CHECK(contains(r.output, "Nothing was changed"));
  CHECK_FALSE(has_table(db, "a"));
}

namespace {

// A server pair of the test's own (the shared ones must not crash under the other tests).
struct OwnServers {
  fs::path dir;
  db::DatabaseUrl pg, mysql;
  OwnServers() {
    std::string out;
    fs::path base = fs::temp_directory_path() / "schemactl-crash-servers";
    fs::create_directories(base);
    fs::permissions(base, fs::perms::all);
    int st = run_command("SCHEMACTL_SERVERS_DIR=" + base.string() + " bash " + SCHEMACTL_SOURCE_DIR +
                             "/tests/servers.sh start 2>/dev/null | tail -n 1",
                         out);
    REQUIRE(st == 0);
    fs::path env = trim(out);
    dir = env.parent_path();
    std::ifstream in(env);
    std::string line;
    while (std::getline(in, line)) {
      auto value = [&] { return line.substr(line.find("='") + 2, line.size() - line.find("='") - 3); };
      if (starts_with(line, "export SCHEMACTL_TEST_PG_URL=")) pg = db::parse_database_url(value());
      if (starts_with(line, "export SCHEMACTL_TEST_MYSQL_URL=")) mysql = db::parse_database_url(value());
    }
    REQUIRE(!pg.database.empty());
    REQUIRE(!mysql.database.empty());
  }
  ~OwnServers() {
    std::string out;
    run_command("bash " + std::string(SCHEMACTL_SOURCE_DIR) + "/tests/servers.sh stop --rm " + dir.string(), out);
  }
  void crash_and_restart(const std::string& which) const {
    std::string out;
    std::string script = "bash " + std::string(SCHEMACTL_SOURCE_DIR) + "/tests/servers.sh ";
    REQUIRE(run_command(script + "crash " + dir.string() + " " + which, out) == 0);
    INFO(out);
    REQUIRE(run_command(script + "restart " + dir.string() + " " + which, out) == 0);
  }
};

}  // namespace

TEST_CASE("faults: the server killed by SIGKILL at several points of a migration, restarted: up finishes exactly") {
  // Only to know that the suite runs with servers (CI); this test starts its own pair.
  if (!server_url(DialectId::postgres) || !server_url(DialectId::tidb)) return;
  OwnServers servers;
  const std::string id = std::string(kV) + "_crash";
  {  // MariaDB
    const std::string up =
        "INSERT INTO a SELECT seq, seq FROM seq_1_to_1000;\nALTER TABLE a ADD CONSTRAINT uq_a_v UNIQUE (v);\n"
        "CREATE TABLE z (id INT);\n";
    struct Point {
      const char* statement;  // what the server is running when it dies
      const char* block;      // how the test makes it wait there
    };
    for (const Point& point : {Point{"INSERT INTO a", "SELECT * FROM a FOR UPDATE"},
                               Point{"ALTER TABLE a ADD CONSTRAINT", "SELECT * FROM a"}}) {
      CAPTURE(point.statement);
      FreshDatabase db(servers.mysql, "faults_crash_my");
      db.connect()->execute("CREATE TABLE a (id INT PRIMARY KEY, v INT)");
      TempDir tmp;
      write_migration(tmp.path, DialectId::tidb, id, up,
                      "DROP TABLE IF EXISTS z;\nALTER TABLE a DROP INDEX IF EXISTS uq_a_v;\nDELETE FROM a;\n");
      {
        Blocker blocker(db, point.block);
        Background run("up", db, tmp.path, "--lock-wait-timeout 60");
        REQUIRE(wait_for_row(db, processlist_like(point.statement), 20));
        servers.crash_and_restart("mysql");
        Run r = run.wait();
        INFO(r.output);
        CHECK(r.status == 1);
        CHECK(contains(r.output, "lost"));
      }
      Run again = migrate("up", db, tmp.path, "--lock-timeout 30");
      INFO(again.output);
      CHECK(again.status == 0);
      CHECK(scalar(db, "SELECT COUNT(*) FROM a") == std::optional<std::string>("1000"));
      CHECK(scalar(db,
                   "SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = "
                   "DATABASE() AND CONSTRAINT_NAME = 'uq_a_v'") == std::optional<std::string>("1"));
      CHECK(has_table(db, "z"));
      auto rows = history(db);
      REQUIRE(rows.size() == 1);
      CHECK(rows[0].state == apply::RowState::applied);
    }
  }
  {  // Postgres
    struct Point {
      const char* statement;
      const char* block;
    };
    for (const Point& point : {Point{"INSERT INTO a SELECT", "LOCK TABLE pre IN ACCESS EXCLUSIVE MODE"},
                               Point{"CREATE UNIQUE INDEX CONCURRENTLY", "INSERT INTO pre VALUES (0)"}}) {
      CAPTURE(point.statement);
      FreshDatabase db(servers.pg, "faults_crash_pg");
      db.connect()->execute("CREATE TABLE pre (v int); INSERT INTO pre SELECT generate_series(1, 1000)");
      TempDir tmp;
      write_migration(tmp.path, DialectId::postgres, id,
                      "CREATE TABLE a (v int);\nINSERT INTO a SELECT v FROM pre;\n"
                      "-- schemactl:outside-transaction\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_pre_v ON "
                      "public.pre (v);\n",
                      "-- schemactl:outside-transaction\nDROP INDEX CONCURRENTLY IF EXISTS public.uq_pre_v;\n"
                      "DROP TABLE IF EXISTS a;\n");
      Blocker blocker(db, point.block);
      Background run("up", db, tmp.path);
      REQUIRE(wait_for_row(db,
                           "SELECT pid FROM pg_stat_activity WHERE query LIKE '" + std::string(point.statement) +
                               "%' AND wait_event_type = 'Lock'",
                           20));
      servers.crash_and_restart("pg");
      Run r = run.wait();
      INFO(r.output);
      CHECK(r.status == 1);
      Run again = migrate("up", db, tmp.path, "--lock-timeout 30");
      INFO(again.output);
      CHECK(again.status == 0);
      CHECK(scalar(db, "SELECT count(*) FROM a") == std::optional<std::string>("1000"));
      CHECK(scalar(db,
                   "SELECT i.indisvalid::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE "
                   "c.relname = 'uq_pre_v'") == std::optional<std::string>("true"));
      CHECK(history(db).at(0).state == apply::RowState::applied);
    }
  }
}

}  // namespace schemactl::test

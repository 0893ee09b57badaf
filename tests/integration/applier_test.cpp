// The applier on real servers, driven through the `schemactl` binary as a CI job would drive it.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "cli_support.hpp"
#include "util/text.hpp"

namespace schemactl::test {
namespace {

const fs::path kShipped = fs::path(SCHEMACTL_SOURCE_DIR) / "migrations";

}  // namespace

TEST_CASE("applier: plan changes nothing, up applies everything, a second up has nothing to do") {
  each_dialect([](const db::DatabaseUrl& server, DialectId) {
    FreshDatabase db(server, "applier_plan");
    create_contents(db);
    std::string before = catalog(db);
    Run plan = migrate("plan", db, kShipped);
    CHECK(plan.status == 0);
    CHECK(plan.output.find("20251018_142000_baseline (up): would run") != std::string::npos);
    CHECK(catalog(db) == before);
    CHECK_FALSE(has_table(db, "schemactl_migrations"));  // not even the history table
    Run json = migrate("plan", db, kShipped, "--format json");
    CHECK(json.status == 0);
    CHECK(json.output.find("\"action\": \"plan\"") != std::string::npos);

    Run up = migrate("up", db, kShipped);
    INFO(up.output);
    REQUIRE(up.status == 0);
    auto rows = history(db);
    REQUIRE(rows.size() == 2);
    for (const auto& r : rows) {
      CHECK(r.state == apply::RowState::applied);
      CHECK(r.statements_applied == r.statements_total);
      CHECK(r.checksum.size() == 64);
      CHECK(r.tool_version == SCHEMACTL_VERSION);
    }
    CHECK(has_table(db, "moments"));
    Run again = migrate("up", db, kShipped);
    CHECK(again.status == 0);
    CHECK(again.output.find("nothing to do") != std::string::npos);
    Run status = migrate("status", db, kShipped, "--exit-code");
    CHECK(status.status == 0);
  });
}

TEST_CASE("applier: down --steps 1 then up again - up --to and down --to") {
  each_dialect([](const db::DatabaseUrl& server, DialectId) {
    FreshDatabase db(server, "applier_down");
    create_contents(db);
    REQUIRE(migrate("up", db, kShipped, "--to 20251018_142000").status == 0);
    CHECK(history(db).size() == 1);
    Run status = migrate("status", db, kShipped, "--exit-code");
    CHECK(status.status == 3);  // something pending
    CHECK(status.output.find("add_moment_session_fields  pending") != std::string::npos);
    std::string at_baseline = catalog(db);
    REQUIRE(migrate("up", db, kShipped).status == 0);
    std::string at_latest = catalog(db);
    CHECK(at_latest != at_baseline);
    Run plan_down = migrate("plan", db, kShipped, "--down --steps 1");
    CHECK(plan_down.status == 0);
    CHECK(plan_down.output.find("20251018_142555_add_moment_session_fields (down): would run") != std::string::npos);
    CHECK(catalog(db) == at_latest);  // a plan changes nothing
    Run down = migrate("down", db, kShipped, "--steps 1");
    INFO(down.output);
    REQUIRE(down.status == 0);
    CHECK(catalog(db) == at_baseline);
    REQUIRE(migrate("up", db, kShipped).status == 0);
    CHECK(catalog(db) == at_latest);
    REQUIRE(migrate("down", db, kShipped, "--to 20251018_142000").status == 0);
    CHECK(catalog(db) == at_baseline);
    REQUIRE(migrate("down", db, kShipped, "--steps 5").status == 0);
    CHECK(history(db).empty());
    CHECK_FALSE(has_table(db, "moments"));
    CHECK(has_table(db, "contents"));  // not ours
  });
}

TEST_CASE("applier: two concurrent up runs apply each migration exactly once") {
  each_dialect([](const db::DatabaseUrl& server, DialectId) {
    FreshDatabase db(server, "applier_race");
    create_contents(db);
    auto a = std::async(std::launch::async, [&] { return migrate("up", db, kShipped, "--lock-timeout 60"); });
    auto b = std::async(std::launch::async, [&] { return migrate("up", db, kShipped, "--lock-timeout 60"); });
    Run ra = a.get(), rb = b.get();
    INFO(ra.output << "\n---\n" << rb.output);
    CHECK(ra.status == 0);
    CHECK(rb.status == 0);
    // One ran the migrations, the other waited and found nothing to do.
    bool one_idle =
        ra.output.find("nothing to do") != std::string::npos || rb.output.find("nothing to do") != std::string::npos;
    CHECK(one_idle);
    CHECK(history(db).size() == 2);
  });
}

TEST_CASE("applier: a held lock makes up fail cleanly after --lock-timeout") {
  each_dialect([](const db::DatabaseUrl& server, DialectId) {
    FreshDatabase db(server, "applier_lock");
    create_contents(db);
    auto holder = db.connect();
    REQUIRE(holder->try_lock(1));
    Run r = migrate("up", db, kShipped, "--lock-timeout 1");
    CHECK(r.status == 1);
    CHECK(r.output.find("holds the migration lock") != std::string::npos);
    CHECK(history(db).empty());
    holder->unlock();
  });
}

TEST_CASE("applier: an applied migration whose file changed is refused, and status says modified") {
  each_dialect([](const db::DatabaseUrl& server, DialectId d) {
    FreshDatabase db(server, "applier_edit");
    TempDir tmp;
    write_migration(tmp.path, d, "20250101_000000_one", "CREATE TABLE one (id INT PRIMARY KEY);\n",
                    "DROP TABLE one;\n");
    REQUIRE(migrate("up", db, tmp.path).status == 0);
    std::ofstream(tmp.path / dialect_name(d) / "20250101_000000_one.up.sql", std::ios::app) << "-- edited\n";
    write_migration(tmp.path, d, "20250102_000000_two", "CREATE TABLE two (id INT PRIMARY KEY);\n",
                    "DROP TABLE two;\n");
    Run up = migrate("up", db, tmp.path);
    CHECK(up.status == 1);
    CHECK(up.output.find("20250101_000000_one was applied, but its up file changed since") != std::string::npos);
    CHECK_FALSE(has_table(db, "two"));
    CHECK(migrate("status", db, tmp.path).output.find("one  modified") != std::string::npos);
    fs::remove(tmp.path / dialect_name(d) / "20250101_000000_one.up.sql");
    fs::remove(tmp.path / dialect_name(d) / "20250101_000000_one.down.sql");
    Run missing = migrate("up", db, tmp.path);
    CHECK(missing.status == 1);
    CHECK(missing.output.find("its files are missing") != std::string::npos);
  });
}

TEST_CASE("applier: out-of-order pending migrations need --allow-out-of-order") {
  each_dialect([](const db::DatabaseUrl& server, DialectId d) {
    FreshDatabase db(server, "applier_order");
    TempDir tmp;
    write_migration(tmp.path, d, "20250103_000000_three", "CREATE TABLE three (id INT);\n", "DROP TABLE three;\n");
    REQUIRE(migrate("up", db, tmp.path).status == 0);
    write_migration(tmp.path, d, "20250102_000000_two", "CREATE TABLE two (id INT);\n", "DROP TABLE two;\n");
    Run refused = migrate("up", db, tmp.path);
    CHECK(refused.status == 1);
    CHECK(refused.output.find("older than the newest applied one") != std::string::npos);
    CHECK(migrate("up", db, tmp.path, "--allow-out-of-order").status == 0);
    CHECK(has_table(db, "two"));
  });
}

TEST_CASE("applier: down through an irreversible migration needs --allow-destructive") {
  each_dialect([](const db::DatabaseUrl& server, DialectId d) {
    FreshDatabase db(server, "applier_irrev");
    TempDir tmp;
    write_migration(tmp.path, d, "20250101_000000_one", "CREATE TABLE one (id INT);\n",
                    "-- schemactl:irreversible one: the data cannot come back\nDROP TABLE one;\n");
    REQUIRE(migrate("up", db, tmp.path).status == 0);
    Run refused = migrate("down", db, tmp.path);
    CHECK(refused.status == 1);
    CHECK(refused.output.find("cannot be fully undone") != std::string::npos);
    CHECK(has_table(db, "one"));
    CHECK(migrate("down", db, tmp.path, "--allow-destructive").status == 0);
    CHECK_FALSE(has_table(db, "one"));
  });
}

TEST_CASE("applier: a migration failing midway (Postgres: nothing changed - MariaDB: partial, then resumed)") {
  each_dialect([](const db::DatabaseUrl& server, DialectId d) {
    FreshDatabase db(server, "applier_fail");
    TempDir tmp;
    write_migration(tmp.path, d, "20250101_000000_steps",
                    "CREATE TABLE a (id INT);\nCREATE TABLE b (id INT);\nALTER TABLE prereq ADD COLUMN z INT;\n"
                    "CREATE TABLE c (id INT);\n",
                    "DROP TABLE IF EXISTS c;\nDROP TABLE IF EXISTS b;\nDROP TABLE IF EXISTS a;\n");
    Run up = migrate("up", db, tmp.path);
    INFO(up.output);
    CHECK(up.status == 1);
    CHECK(up.output.find("failed at statement 3 of 4") != std::string::npos);
    CHECK(up.output.find("ALTER TABLE prereq ADD COLUMN z INT") != std::string::npos);
    CHECK(up.output.find("prereq") != std::string::npos);
    if (d == DialectId::postgres) {
      CHECK(up.output.find("Nothing was changed") != std::string::npos);
      CHECK_FALSE(has_table(db, "a"));
      CHECK(history(db).empty());
    } else {
      CHECK(up.output.find("recorded as partial (2 of 4 statements applied)") != std::string::npos);
      CHECK(has_table(db, "a"));
      CHECK(has_table(db, "b"));
      auto rows = history(db);
      REQUIRE(rows.size() == 1);
      CHECK(rows[0].state == apply::RowState::partial);
      CHECK(rows[0].statements_applied == 2);
      CHECK(rows[0].failed_statement == "ALTER TABLE prereq ADD COLUMN z INT");
      CHECK(migrate("status", db, tmp.path, "--exit-code").status == 3);
      // Fix the cause, then up resumes at the failed statement.
      db.connect()->execute("CREATE TABLE prereq (id INT)");
      Run resumed = migrate("up", db, tmp.path);
      INFO(resumed.output);
      CHECK(resumed.status == 0);
      CHECK(resumed.output.find("resuming at statement 3") != std::string::npos);
      CHECK(has_table(db, "c"));
      CHECK(history(db).at(0).state == apply::RowState::applied);
    }
  });
}

TEST_CASE("applier: MariaDB partial migration undone with down, or resolved by hand") {
  auto server = server_url(DialectId::tidb);
  if (!server) return;
  for (const char* way : {"down", "resolve"}) {
    CAPTURE(way);
    FreshDatabase db(*server, std::string("applier_recover_") + way);
    TempDir tmp;
    write_migration(tmp.path, DialectId::tidb, "20250101_000000_steps",
                    "CREATE TABLE a (id INT);\nALTER TABLE nowhere ADD COLUMN z INT;\nCREATE TABLE c (id INT);\n",
                    "DROP TABLE IF EXISTS c;\nDROP TABLE a;\n");
    REQUIRE(migrate("up", db, tmp.path).status == 1);
    if (std::string(way) == "down") {
      Run down = migrate("down", db, tmp.path);
      INFO(down.output);
      CHECK(down.status == 0);  // DROP TABLE IF EXISTS c: not there, and it says it may not be
      CHECK_FALSE(has_table(db, "a"));
      CHECK(history(db).empty());
    } else {
      db.connect()->execute("CREATE TABLE c (id INT)");  // the rest, by hand
      Run bare = migrate("resolve", db, tmp.path, "20250101_000000");
      CHECK(bare.status == 2);  // says what to record, records nothing
      CHECK(bare.output.find("--mark-applied") != std::string::npos);
      CHECK(history(db).at(0).state == apply::RowState::partial);
      Run r = migrate("resolve", db, tmp.path, "20250101_000000 --mark-applied");
      CHECK(r.status == 0);
      CHECK(r.output.find("statements 2 to 3 were not run by schemactl") != std::string::npos);
      CHECK(history(db).at(0).state == apply::RowState::applied);
      CHECK(migrate("status", db, tmp.path, "--exit-code").status == 0);
    }
  }
}

TEST_CASE("applier: the connection killed during a migration") {
  each_dialect([](const db::DatabaseUrl& server, DialectId d) {
    FreshDatabase db(server, "applier_kill");
    TempDir tmp;
    bool pg = d == DialectId::postgres;
    // Sleeps until a table `go` exists, so the retry below does not wait.
    std::string sleep = pg ? "SELECT pg_sleep(CASE WHEN to_regclass('go') IS NULL THEN 30 ELSE 0 END);\n"
                           : "SELECT SLEEP(IF((SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                             "DATABASE() AND TABLE_NAME = 'go') = 0, 30, 0));\n";
    write_migration(tmp.path, d, "20250101_000000_slow",
                    "CREATE TABLE a (id INT);\n" + sleep + "CREATE TABLE b (id INT);\n",
                    "DROP TABLE IF EXISTS b;\nDROP TABLE IF EXISTS a;\n");
    auto run = std::async(std::launch::async, [&] { return migrate("up", db, tmp.path); });
    auto killer = db.connect();
    bool killed = false;
    for (int i = 0; i < 100 && !killed; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (pg) {
        auto rows = killer->query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
            "AND query LIKE 'SELECT pg_sleep(%'");
        killed = !rows.empty();
      } else {
        auto rows = killer->query("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT SLEEP(%'");
        if (!rows.empty()) {
          killer->execute("KILL " + *rows[0][0]);
          killed = true;
        }
      }
    }
    REQUIRE(killed);
    Run r = run.get();
    INFO(r.output);
    CHECK(r.status == 1);
    CHECK(r.output.find("failed at statement 2 of 3") != std::string::npos);
    CHECK(r.output.find(db.url().password) == std::string::npos);
    auto rows = history(db);
    if (pg) {
      CHECK(rows.empty());  // the transaction died with the connection
      CHECK_FALSE(has_table(db, "a"));
    } else {
      REQUIRE(rows.size() == 1);
      CHECK(rows[0].state == apply::RowState::partial);
      CHECK(rows[0].statements_applied == 1);
      CHECK(has_table(db, "a"));
    }
    // A later run finishes the job: Postgres from the start, MariaDB at the interrupted statement.
    db.connect()->execute("CREATE TABLE go (id INT)");
    Run again = migrate("up", db, tmp.path);
    INFO(again.output);
    CHECK(again.status == 0);
    if (!pg) CHECK(again.output.find("resuming at statement 2") != std::string::npos);
    CHECK(has_table(db, "b"));
    CHECK(history(db).at(0).state == apply::RowState::applied);
  });
}

TEST_CASE("applier: a wrong password and an unreachable host give one clear line, never the password") {
  each_dialect([](const db::DatabaseUrl& server, DialectId) {
    TempDir tmp;
    db::DatabaseUrl wrong = server;
    wrong.password = "hunter2-not-the-password";
    Run r = schemactl("migrate status --url '" + url_text(wrong) + "' --migrations " + tmp.path.string());
    CHECK(r.status == 1);
    CHECK(r.output.find("hunter2") == std::string::npos);
    CHECK(r.output.find("cannot connect to " + server.scheme + "://" + server.user + ":***@") != std::string::npos);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
    db::DatabaseUrl nowhere = server;
    nowhere.port = 1;
    nowhere.password = "hunter2-not-the-password";
    Run n = schemactl("migrate up --url '" + url_text(nowhere) + "' --migrations " + tmp.path.string());
    CHECK(n.status == 1);
    CHECK(n.output.find("hunter2") == std::string::npos);
    CHECK(std::count(n.output.begin(), n.output.end(), '\n') == 1);
    // And through DATABASE_URL, with JSON output requested.
    Run env = [&] {
      Run out;
      out.status = run_command("DATABASE_URL='" + url_text(wrong) + "' " + SCHEMACTL_BINARY +
                                   " migrate status --format json --migrations " + tmp.path.string(),
                               out.output);
      return out;
    }();
    CHECK(env.status == 1);
    CHECK(env.output.find("hunter2") == std::string::npos);
  });
}

TEST_CASE("applier: outputs name the database without its password") {
  each_dialect([](const db::DatabaseUrl& server, DialectId) {
    FreshDatabase db(server, "applier_redact");
    create_contents(db);
    for (const char* format : {"text", "json", "markdown"}) {
      for (const char* cmd : {"status", "plan", "up", "down"}) {
        Run r = migrate(cmd, db, kShipped, std::string("--format ") + format);
        CAPTURE(cmd);
        CAPTURE(format);
        CHECK(r.status == 0);
        CHECK(r.output.find(db.url().password) == std::string::npos);
        CHECK(r.output.find(":***@") != std::string::npos);
      }
    }
  });
}

}  // namespace schemactl::test

namespace schemactl::test {

TEST_CASE("applier: plan --url says what each Postgres step locks, with the live table's size") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  FreshDatabase db(*server, "applier_locks");
  auto c = db.connect();
  c->execute("CREATE TABLE customers (id int PRIMARY KEY)");
  c->execute("INSERT INTO customers SELECT generate_series(1, 100)");
  c->execute("CREATE TABLE orders (id int PRIMARY KEY, customer_id int, note varchar(20))");
  c->execute("INSERT INTO orders SELECT g, g % 100 + 1, 'x' FROM generate_series(1, 20000) g");
  c->execute("ANALYZE orders");
  TempDir tmp;
  write_migration(tmp.path, DialectId::postgres, "20250101_000000_fk",
                  "ALTER TABLE public.orders ADD CONSTRAINT fk_c FOREIGN KEY (customer_id) REFERENCES "
                  "public.customers (id) NOT VALID;\nALTER TABLE public.orders VALIDATE CONSTRAINT fk_c;\n"
                  "ALTER TABLE public.orders ALTER COLUMN note TYPE varchar(40);\n"
                  "-- schemactl:outside-transaction\nCREATE INDEX CONCURRENTLY IF NOT EXISTS ix ON public.orders "
                  "(note);\n",
                  "SELECT 1;\n");
  Run plan = migrate("plan", db, tmp.path);
  INFO(plan.output);
  REQUIRE(plan.status == 0);
  // The VALIDATE scan runs while the ADD's lock is held: the warning names both and the size.
  CHECK(plan.output.find("BLOCKS WRITES: line 2 (VALIDATE CONSTRAINT fk_c on public.orders [~20k rows,") !=
        std::string::npos);
  CHECK(plan.output.find("SHARE ROW EXCLUSIVE on public.orders (line 1)") != std::string::npos);
  // A widening from the live varchar(20) is a catalog change; the concurrent build blocks nobody.
  CHECK(plan.output.find("line 3 holds") == std::string::npos);
  CHECK(plan.output.find("locks ACCESS EXCLUSIVE on public.orders (ALTER COLUMN note TYPE) [~20k rows") !=
        std::string::npos);
  CHECK(plan.output.find("line 4 holds") == std::string::npos);
  CHECK(plan.output.find("LOCKING") == std::string::npos);
  Run json = migrate("plan", db, tmp.path, "--format json");
  CHECK(json.output.find("\"locks\": [") != std::string::npos);
}

}  // namespace schemactl::test

namespace schemactl::test {

TEST_CASE(
    "applier (issue 8): a file's lock_timeout and statement_timeout hold unless the command line overrides them") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  FreshDatabase db(*server, "i8_timeouts");
  TempDir tmp;
  // As `migrate new` writes them from the registry's postgres.lock_timeout / statement_timeout.
  write_migration(tmp.path, DialectId::postgres, "20250101_000000_lock",
                  "SET lock_timeout = '1s';\n"
                  "DO $$ BEGIN IF current_setting('lock_timeout') <> '7s' THEN\n"
                  "  RAISE 'lock_timeout is %', current_setting('lock_timeout'); END IF; END $$;\n",
                  "SELECT 1;\n");
  auto plain = migrate("up", db, tmp.path);
  CHECK(plain.status != 0);
  CHECK_MESSAGE(plain.output.find("lock_timeout is 1s") != std::string::npos, plain.output);
  auto overridden = migrate("up", db, tmp.path, "--lock-wait-timeout 7");
  REQUIRE_MESSAGE(overridden.status == 0, overridden.output);

  write_migration(tmp.path, DialectId::postgres, "20250102_000000_slow",
                  "SET statement_timeout = '50ms';\nSELECT pg_sleep(0.3);\n"
                  "-- schemactl:outside-transaction\nSELECT pg_sleep(0.3);\n",
                  "SELECT 1;\n");
  auto bounded = migrate("up", db, tmp.path);
  CHECK(bounded.status != 0);
  CHECK_MESSAGE(bounded.output.find("statement timeout") != std::string::npos, bounded.output);
  // The command line's bound replaces the file's; the statement outside the transaction (where
  // concurrent builds run) is not bound at all.
  auto lifted = migrate("up", db, tmp.path, "--statement-timeout 5");
  CHECK_MESSAGE(lifted.status == 0, lifted.output);
}

}  // namespace schemactl::test

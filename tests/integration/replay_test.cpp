// `migrate check --scratch-url URL`: every up, then every down, run on an empty database, and what
// they build compared with snapshot.json. The offline check trusts that the files do what their
// snapshot says; these tests hand it files that do not, and look at the server's own catalog.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <regex>

#include "cli_support.hpp"

namespace schemactl::test {
namespace {

std::string tables_of(const FreshDatabase& db) {
  std::string sql = db.url().dialect == DialectId::postgres
                        ? "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables "
                          "WHERE table_schema = 'public'"
                        : "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM information_schema.TABLES "
                          "WHERE TABLE_SCHEMA = DATABASE()";
  return scalar(db, sql).value_or("");
}

std::string scratch(const FreshDatabase& db) {
  return " --scratch-url " + shq(url_text(db.url()));
}

// A registry in `dir`/schema with table t, its two migrations (create t; add n with a default
// and an index) and generated/: what `migrate check` calls consistent.
struct Project {
  TempDir t;
  fs::path schema = t.path / "schema", migrations = t.path / "migrations", out = t.path / "generated";
  std::string args() const {
    return " --schema " + schema.string() + " --migrations " + migrations.string() + " --out " + out.string();
  }
  explicit Project(const std::string& registry_settings = "") {
    fs::create_directories(schema);
    std::ofstream(schema / "registry.yaml") << "registry: replay\ndescription: replay test\n" << registry_settings;
    std::ofstream(schema / "t.yaml") << "entity: T\ntables:\n  t:\n    columns:\n"
                                        "      id: { type: int, primary_key: true }\n"
                                        "      label: string(40)\n";
    REQUIRE(run("migrate new create_t --version 20260101_000000 --schema " + schema.string() + " --migrations " +
                migrations.string()));
    std::ofstream(schema / "t.yaml", std::ios::app) << "      n: { type: int, nullable: false, default: 7 }\n"
                                                       "    indexes:\n      - { columns: [n] }\n";
    REQUIRE(run("migrate new add_n --version 20260101_000001 --schema " + schema.string() + " --migrations " +
                migrations.string()));
    REQUIRE(run("generate --schema " + schema.string() + " --out " + out.string()));
  }
  static bool run(const std::string& args) { return schemactl_ok(args); }
  // Takes out of every `version` file of `direction` the statements that match `pattern` (and the
  // step comments above them stay), then rewrites the sum as `migrate hash` does.
  void edit(const std::string& version, const std::string& direction, const std::regex& pattern) {
    for (const char* dialect : {"postgres", "tidb"}) {
      for (const auto& e : fs::directory_iterator(migrations / dialect)) {
        std::string name = e.path().filename().string();
        if (name.rfind(version, 0) != 0 || name.find("." + direction + ".sql") == std::string::npos) continue;
        std::string text = slurp(e.path()), edited = std::regex_replace(text, pattern, "");
        REQUIRE_MESSAGE(edited != text, "nothing matched in " << e.path() << ":\n" << text);
        std::ofstream(e.path()) << edited;
      }
    }
    REQUIRE(run("migrate hash --migrations " + migrations.string()));
  }
  // Adds `sql` at the end of every `version` file of `direction`, then rewrites the sum.
  void append(const std::string& version, const std::string& direction, const std::string& sql) {
    for (const char* dialect : {"postgres", "tidb"})
      for (const auto& e : fs::directory_iterator(migrations / dialect)) {
        std::string name = e.path().filename().string();
        if (name.rfind(version, 0) == 0 && name.find("." + direction + ".sql") != std::string::npos)
          std::ofstream(e.path(), std::ios::app) << "\n" << sql << "\n";
      }
    REQUIRE(run("migrate hash --migrations " + migrations.string()));
  }
};

}  // namespace

TEST_CASE(
    "replay: the shipped migrations build snapshot.json on both servers, and their downs leave only "
    "the application's tables") {
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    FreshDatabase db(server, "replay_shipped");
    const fs::path src(SCHEMACTL_SOURCE_DIR);
    Run r = schemactl("migrate check --schema " + (src / "schema").string() + " --migrations " +
                      (src / "migrations").string() + " --out " + (src / "generated").string() + scratch(db));
    CHECK_MESSAGE(r.status == 0, r.output);
    CHECK_MESSAGE(contains(r.output, "2 migrations replayed"), r.output);
    CHECK_MESSAGE(!contains(r.output, "s3cret"), r.output);
    // What the server holds afterwards: the stand-in for the external table, and the empty history.
    CHECK(tables_of(db) == "contents,schemactl_migrations");
    CHECK(history(db).empty());
  });
}

TEST_CASE("replay: an up file that does not build its snapshot passes the offline check and fails the replay") {
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    Project p;
    // As an older planner or a hand edit might leave it: the index the snapshot records is never made.
    p.edit("20260101_000001", "up", std::regex("CREATE INDEX[^;]*idx_t_n[^;]*;\\n"));
    Run offline = schemactl("migrate check" + p.args());
    CHECK_MESSAGE(offline.status == 0, offline.output);
    FreshDatabase db(server, "replay_up");
    Run r = schemactl("migrate check" + p.args() + scratch(db));
    CHECK_MESSAGE(r.status == 3, r.output);
    CHECK_MESSAGE(contains(r.output, "after every up, the database differs from snapshot.json"), r.output);
    CHECK_MESSAGE(contains(r.output, "idx_t_n"), r.output);
  });
}

TEST_CASE("replay: a down file that leaves its table behind is found") {
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    Project p;
    p.edit("20260101_000000", "down", std::regex("DROP TABLE[^;]*;\\n"));
    FreshDatabase db(server, "replay_down");
    Run r = schemactl("migrate check" + p.args() + scratch(db));
    CHECK_MESSAGE(r.status == 3, r.output);
    CHECK_MESSAGE(contains(r.output,
                           "the down of 20260101_000000_create_t does not give back the database its up found; it "
                           "would take: drop table t"),
                  r.output);
    CHECK(tables_of(db) == "schemactl_migrations,t");  // the server's word: t is still there
  });
}

// Found by the adversary: the downs were compared with nothing only at the end, so a later down
// that kept a column and an index was hidden by the older down that dropped the whole table.
TEST_CASE("replay: a down that keeps a column and an index is found although an older down drops the table") {
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    Project p;
    p.edit("20260101_000001", "down", std::regex("[^\\n]*DROP (INDEX|COLUMN)[^;]*;\\n"));
    FreshDatabase db(server, "replay_keeps");
    Run r = schemactl("migrate check" + p.args() + scratch(db));
    CHECK_MESSAGE(r.status == 3, r.output);
    CHECK_MESSAGE(contains(r.output, "the down of 20260101_000001_add_n does not give back"), r.output);
    CHECK_MESSAGE(contains(r.output, "drop column t.n"), r.output);
    CHECK_MESSAGE(contains(r.output, "drop index idx_t_n on t"), r.output);
    CHECK_MESSAGE(!contains(r.output, "20260101_000000_create_t does not"), r.output);  // that down is right
    CHECK(tables_of(db) == "schemactl_migrations");                                     // t dropped at the end
  });
}

TEST_CASE("replay: outside the public schema, a down that keeps a column is found (Postgres)") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  Project p("postgres:\n  schema: app\n");
  p.edit("20260101_000001", "down", std::regex("[^\\n]*DROP COLUMN[^;]*;\\n"));
  FreshDatabase db(*server, "replay_app");
  Run r = schemactl("migrate check" + p.args() + scratch(db));
  CHECK_MESSAGE(r.status == 3, r.output);
  CHECK_MESSAGE(contains(r.output, "the down of 20260101_000001_add_n does not give back"), r.output);
  CHECK_MESSAGE(contains(r.output, "drop column t.n"), r.output);
  // And with the file as planned, the same registry replays clean.
  Project clean("postgres:\n  schema: app\n");
  FreshDatabase db2(*server, "replay_app_clean");
  r = schemactl("migrate check" + clean.args() + scratch(db2));
  CHECK_MESSAGE(r.status == 0, r.output);
  CHECK_MESSAGE(contains(r.output, "2 migrations replayed"), r.output);
}

// Found by the adversary: an up that also made a view left the downs to fail with the server's
// error, exit 1, as if the scratch database were at fault rather than the files.
TEST_CASE("replay: an up that creates more than its snapshot says is exit 3, however the downs fare") {
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    Project p;
    p.append("20260101_000000", "up", "CREATE VIEW v AS SELECT id FROM t;");
    FreshDatabase db(server, "replay_extra_view");
    Run r = schemactl("migrate check" + p.args() + scratch(db));
    CHECK_MESSAGE(r.status == 3, r.output);
    CHECK_MESSAGE(
        contains(r.output, "after every up, the database differs from snapshot.json; it would take: drop view v"),
        r.output);
    // Postgres refuses to drop t under its view (the down fails); MariaDB drops t and keeps v.
    if (d == DialectId::postgres)
      CHECK_MESSAGE(contains(r.output, "the down of 20260101_000000_create_t failed on the scratch database"),
                    r.output);
    else
      CHECK_MESSAGE(contains(r.output,
                             "20260101_000000_create_t does not give back the database its up found; it "
                             "would take: drop view v"),
                    r.output);
  });
}

// What the registry cannot say (a sequence of its own) is compared by name: a down that leaves one.
TEST_CASE("replay: an up that also makes a sequence its down leaves is found (Postgres)") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  Project p;
  p.append("20260101_000001", "up", "CREATE SEQUENCE stray_seq;");
  FreshDatabase db(*server, "replay_sequence");
  Run r = schemactl("migrate check" + p.args() + scratch(db));
  CHECK_MESSAGE(r.status == 3, r.output);
  CHECK_MESSAGE(contains(r.output,
                         "the down of 20260101_000001_add_n does not give back the database its up found; it would "
                         "take: remove sequence stray_seq"),
                r.output);
  CHECK(scalar(db, "SELECT count(*) FROM pg_class WHERE relkind = 'S' AND relname = 'stray_seq'") == "1");
}

TEST_CASE("replay: two scratch databases of one dialect are a usage error, and neither is touched") {
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    Project p;
    FreshDatabase a(server, "replay_two_a"), b(server, "replay_two_b");
    Run r = schemactl("migrate check" + p.args() + scratch(a) + scratch(b));
    CHECK_MESSAGE(r.status == 2, r.output);
    CHECK_MESSAGE(contains(r.output, "give one scratch database per dialect"), r.output);
    CHECK_MESSAGE(!contains(r.output, "s3cret"), r.output);
    CHECK(tables_of(a).empty());
    CHECK(tables_of(b).empty());
  });
}

TEST_CASE("replay: a database that is not empty, or has a history, is refused before anything runs") {
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    Project p;
    FreshDatabase db(server, "replay_busy");
    std::string out;
    REQUIRE_MESSAGE(db.apply_sql("CREATE TABLE precious (id INT PRIMARY KEY);", out) == 0, out);
    Run r = schemactl("migrate check" + p.args() + scratch(db));
    CHECK_MESSAGE(r.status == 1, r.output);
    CHECK_MESSAGE(contains(r.output, "the database is not empty"), r.output);
    CHECK_MESSAGE(contains(r.output, "precious"), r.output);
    CHECK_MESSAGE(!contains(r.output, "s3cret"), r.output);
    CHECK(tables_of(db) == "precious");  // no history table, no t: nothing ran

    // Found by the adversary: a database holding only a view (or a function, an enum) was taken as
    // empty, got the history table and had the migrations run there.
    FreshDatabase view_only(server, "replay_view_only");
    REQUIRE_MESSAGE(view_only.apply_sql("CREATE VIEW v AS SELECT 1 AS x;", out) == 0, out);
    r = schemactl("migrate check" + p.args() + scratch(view_only));
    CHECK_MESSAGE(r.status == 1, r.output);
    CHECK_MESSAGE(contains(r.output, "it holds view v"), r.output);
    CHECK(tables_of(view_only) == "v");  // information_schema lists the view; no history table, no t

    FreshDatabase applied(server, "replay_applied");
    REQUIRE(migrate("up", applied, p.migrations).status == 0);
    r = schemactl("migrate check" + p.args() + scratch(applied));
    CHECK_MESSAGE(r.status == 1, r.output);
    CHECK_MESSAGE(contains(r.output, "has a migration history"), r.output);
    CHECK(history(applied).size() == 2);  // still applied: nothing was rolled back
  });
}

}  // namespace schemactl::test

namespace schemactl::test {

// The old `int -> serial` plan changed only the type: no sequence, no default. What a replay (or
// `diff --url` on a database it migrated) finds, and what the repair does, by the server's word.
TEST_CASE(
    "replay: a Postgres serial column without its sequence is drift, repaired past the largest value - a "
    "fresh install's is not") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  TempDir t;
  fs::create_directories(t.path / "schema");
  std::ofstream(t.path / "schema/registry.yaml") << "registry: ser\ndescription: serial drift\n";
  std::ofstream(t.path / "schema/t.yaml") << "entity: T\ntables:\n  t:\n    columns:\n"
                                             "      id: { type: int, primary_key: true }\n"
                                             "      n: { type: serial, unique: true }\n";
  const std::string args =
      " --schema " + (t.path / "schema").string() + " --migrations " + (t.path / "migrations").string();
  fs::create_directories(t.path / "migrations");
  std::string out;

  // A fresh install: SERIAL makes the column NOT NULL, which is no drift (it was: "DROP NOT NULL").
  REQUIRE(
      schemactl("generate --schema " + (t.path / "schema").string() + " --out " + (t.path / "gen").string()).status ==
      0);
  FreshDatabase fresh(*server, "replay_serial_fresh");
  REQUIRE_MESSAGE(fresh.apply_file((t.path / "gen/postgres/install.sql").string(), out) == 0, out);
  Run r = schemactl("diff --url " + shq(url_text(fresh.url())) + args);
  CHECK_MESSAGE(r.status == 0, r.output);

  // What the old plan left: an integer, NOT NULL, with rows, and no sequence.
  FreshDatabase old(*server, "replay_serial_old");
  REQUIRE_MESSAGE(old.apply_sql("CREATE TABLE t (id integer PRIMARY KEY, n integer NOT NULL UNIQUE);\n"
                                "INSERT INTO t VALUES (1, 5), (2, 41);\n",
                                out) == 0,
                  out);
  const fs::path repair = t.path / "repair.sql";
  r = schemactl("diff --url " + shq(url_text(old.url())) + args + " --sql " + repair.string());
  CHECK_MESSAGE(r.status == 3, r.output);
  CHECK_MESSAGE(contains(r.output, "CREATE SEQUENCE IF NOT EXISTS public.t_n_seq"), r.output);
  CHECK_MESSAGE(!contains(r.output, "cannot be planned"), r.output);
  REQUIRE_MESSAGE(old.apply_file(repair.string(), out) == 0, out);
  r = schemactl("diff --url " + shq(url_text(old.url())) + args);
  CHECK_MESSAGE(r.status == 0, r.output);
  CHECK(scalar(old, "INSERT INTO t (id) VALUES (3) RETURNING n") == "42");
  CHECK(scalar(old, "SELECT pg_get_serial_sequence('t', 'n')") == "public.t_n_seq");
}

}  // namespace schemactl::test

// Adversary 3 (stop 15): `migrate check --scratch-url`, reference rows compared as the server
// compares them, and diff / inspect / baseline on serial, identity and AUTO_INCREMENT columns.
// Every verdict here is the server's own: its catalog, its row counts, its errors.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <regex>

#include "cli_support.hpp"

// The four identity and serial repair cases this adversary wrote are in identity_drift_test.cpp.
namespace schemactl::test {
namespace {

std::string scratch(const FreshDatabase& db) {
  return " --scratch-url " + shq(url_text(db.url()));
}
const char* dir_of(DialectId d) {
  return d == DialectId::postgres ? "postgres" : "tidb";
}
// The password of a URL as url_text() spells it: between the user's ':' and the last '@'.
std::string password_in(const std::string& url) {
  std::size_t start = url.find("://");
  REQUIRE(start != std::string::npos);
  std::size_t colon = url.find(':', start + 3), at = url.rfind('@');
  REQUIRE(colon != std::string::npos);
  REQUIRE(at != std::string::npos);
  REQUIRE(colon < at);
  return url.substr(colon + 1, at - colon - 1);
}
// The number of history rows, 0 when there is no history table.
std::size_t history_rows(const FreshDatabase& db) {
  return has_table(db, "schemactl_migrations") ? history(db).size() : 0;
}

// A registry directory with generated/ and migrations/ next to it.
struct Project {
  TempDir t;
  fs::path schema = t.path / "schema", migrations = t.path / "migrations", out = t.path / "generated";
  Project(const std::string& registry_extra, const std::string& entity) {
    fs::create_directories(schema);
    std::ofstream(schema / "registry.yaml") << "registry: adv3\ndescription: adversary 3\n" << registry_extra;
    set_entity(entity);
  }
  void set_entity(const std::string& entity) const { std::ofstream(schema / "t.yaml") << entity; }
  std::string args() const {
    return " --schema " + schema.string() + " --migrations " + migrations.string() + " --out " + out.string();
  }
  std::string schema_args() const { return " --schema " + schema.string() + " --migrations " + migrations.string(); }
  Run run(const std::string& args) const { return schemactl(args); }
  bool ok(const std::string& args) const { return schemactl_ok(args); }
  void plan(const std::string& name, const std::string& version, const std::string& extra = "") const {
    REQUIRE(ok("migrate new " + name + " --version " + version + schema_args() + extra));
  }
  void generate() const { REQUIRE(ok("generate --schema " + schema.string() + " --out " + out.string())); }
  // Deletes what `pattern` matches in the files of `version`/`direction` of every dialect, then
  // accepts the edit with `migrate hash`.
  void edit(const std::string& version, const std::string& direction, const std::regex& pattern,
            bool must_match_everywhere = true) const {
    for (const char* dialect : {"postgres", "tidb"})
      for (const auto& e : fs::directory_iterator(migrations / dialect)) {
        std::string name = e.path().filename().string();
        if (name.rfind(version, 0) != 0 || !contains(name, "." + direction + ".sql")) continue;
        std::string text = slurp(e.path()), edited = std::regex_replace(text, pattern, "");
        if (must_match_everywhere) REQUIRE_MESSAGE(edited != text, "nothing matched in " << e.path() << ":\n" << text);
        std::ofstream(e.path()) << edited;
      }
    REQUIRE(ok("migrate hash --migrations " + migrations.string()));
  }
  void append(DialectId d, const std::string& version, const std::string& direction, const std::string& sql) const {
    for (const auto& e : fs::directory_iterator(migrations / dir_of(d))) {
      std::string name = e.path().filename().string();
      if (name.rfind(version, 0) == 0 && contains(name, "." + direction + ".sql"))
        std::ofstream(e.path(), std::ios::app) << "\n" << sql << "\n";
    }
  }
  void hash() const { REQUIRE(ok("migrate hash --migrations " + migrations.string())); }
};

// The two-migration project the replay cases start from: p and t; then t gains a default change,
// a check, a foreign key, comments, a view and (Postgres) a function.
const char* const kBefore = R"(entity: T
enums:
  mood:
    values: [calm, busy]
tables:
  p:
    columns:
      id: { type: int, primary_key: true }
  t:
    columns:
      id: { type: int, primary_key: true }
      label: { type: string(40), default: a }
      m: { type: enum(mood) }
      p_id: { type: int }
)";
const char* const kAfter = R"(entity: T
enums:
  mood:
    values: [calm, busy]
tables:
  p:
    columns:
      id: { type: int, primary_key: true }
  t:
    description: the t table
    columns:
      id: { type: int, primary_key: true }
      label: { type: string(40), default: b, check: { in: [a, b, c] }, description: a label }
      m: { type: enum(mood) }
      p_id: { type: int, references: { table: p, column: id } }
views:
  v:
    sql: { postgres: "SELECT id FROM t", tidb: "SELECT id FROM t" }
    depends_on: [t]
functions:
  f:
    dialects: [postgres]
    language: sql
    arguments: ""
    returns: integer
    body: "SELECT 1"
)";

struct ReplayProject : Project {
  ReplayProject() : Project("", kBefore) {
    plan("create", "20260101_000000");
    set_entity(kAfter);
    plan("change", "20260101_000001");
    generate();
  }
};

std::string user_tables(const FreshDatabase& db) {
  std::string sql = db.url().dialect == DialectId::postgres
                        ? "SELECT string_agg(table_schema || '.' || table_name, ',' ORDER BY 1) FROM "
                          "information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
                        : "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY TABLE_NAME) FROM information_schema.TABLES "
                          "WHERE TABLE_SCHEMA = DATABASE()";
  return scalar(db, sql).value_or("");
}

// Reference rows: validation must refuse them (naming both rows) when the server would take two of
// them as one; if it lets them through, the server's word is recorded: install.sql on each
// dialect, and the number of rows the table holds against the number the registry has.
void install_and_count(const Project& p, std::size_t registry_rows, const std::string& label) {
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    FreshDatabase db(server, label);
    std::string out;
    int rc = db.apply_file((p.out / dir_of(d) / "install.sql").string(), out);
    CHECK_MESSAGE(rc == 0, "install.sql failed on the server: " << out);
    auto n = scalar(db, "SELECT COUNT(*) FROM t");
    CHECK_MESSAGE(n == std::to_string(registry_rows), "the registry has " << registry_rows << " rows, the server kept "
                                                                          << n.value_or("(no table)") << "\n"
                                                                          << out);
  });
}

void refused_or_kept(const Project& p, std::size_t registry_rows, const std::string& label) {
  Run v = p.run("validate --schema " + p.schema.string());
  CHECK_MESSAGE(v.status == 1, "validate passed rows the server takes as one:\n" << v.output);
  if (v.status == 1) {
    // Either both rows named, or the row whose value the server would round to the other's.
    CHECK_MESSAGE((contains(v.output, "and the row at line") || contains(v.output, "the servers would round it")),
                  v.output);
    return;
  }
  p.generate();
  install_and_count(p, registry_rows, label);
}

std::string one_column_rows(const std::string& column, const std::string& a, const std::string& b) {
  return "entity: T\ntables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n      c: " + column +
         "\n    rows:\n      values:\n        - { id: 1, c: " + a + " }\n        - { id: 2, c: " + b + " }\n";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// 1. migrate check --scratch-url
// ---------------------------------------------------------------------------------------------

// README, `migrate check`: with --scratch-url it runs every up, then every down, and "compares what
// each leaves with the catalog its up found"; exit 3 is for "a hand-edited file that no longer does
// what its snapshot says, a file planned by an older schemactl, a down that leaves a table, a
// column or an index behind". A migration schemactl itself just planned, untouched, must replay
// clean: its down file declares the enum value as what it cannot bring back
// (`-- schemactl:irreversible ... mood keeps them`).
TEST_CASE("adversary3: replay: an untouched, freshly planned Postgres enum value addition replays clean") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  Project p("",
            "entity: T\nenums:\n  mood:\n    values: [calm, busy]\ntables:\n  t:\n    columns:\n"
            "      id: { type: int, primary_key: true }\n      m: { type: enum(mood) }\n");
  p.plan("create", "20260101_000000");
  p.set_entity(
      "entity: T\nenums:\n  mood:\n    values: [calm, busy, angry]\ntables:\n  t:\n    columns:\n"
      "      id: { type: int, primary_key: true }\n      m: { type: enum(mood) }\n");
  p.plan("add_value", "20260101_000001");
  p.generate();
  CHECK(p.run("migrate check" + p.args()).status == 0);  // offline: consistent
  FreshDatabase db(*server, "adv3_enum_value");
  Run r = p.run("migrate check" + p.args() + scratch(db));
  CHECK_MESSAGE(r.status == 0, r.output);
  // What it said instead was contradictory: "would take: drop enum type mood" and "create enum type mood".
  CHECK_MESSAGE(!contains(r.output, "drop enum type mood"), r.output);
}

// README, `migrate check --scratch-url`: each down is compared "with the catalog its up found"; "a
// difference ... is exit 3, naming the change that would repair it". The brief's list: a check, a
// foreign key, a default change, a comment, a view, a function left behind by a down.
TEST_CASE("adversary3: replay: downs that leave a check, a foreign key, a default, a comment, a view or a function") {
  struct Leftover {
    const char* what;
    const char* pattern;  // deleted from the down files of 20260101_000001
    const char* expect;   // in the output
    bool postgres_only;
  };
  const Leftover cases[] = {
      {"check", "[^\\n]*DROP CONSTRAINT[^;]*t_label_check;\\n", "drop check t_label_check on t", false},
      {"foreign key",
       "[^\\n]*DROP (CONSTRAINT|FOREIGN KEY)[^;]*t_p_id_fkey;\\n[^\\n]*DROP INDEX IF EXISTS "
       "t_p_id_fkey[^;]*;\\n|[^\\n]*DROP CONSTRAINT[^;]*t_p_id_fkey;\\n",
       "t_p_id_fkey", false},
      {"default", "[^\\n]*SET DEFAULT 'a';\\n|[^\\n]*MODIFY COLUMN label[^;]*;\\n", "alter column t.label", false},
      {"table comment", "[^\\n]*COMMENT (ON TABLE[^;]*|= '');\\n", "comment on table t", false},
      {"view", "[^\\n]*DROP VIEW[^;]*;\\n", "drop view v", false},
      {"function", "[^\\n]*DROP FUNCTION[^;]*;\\n", "drop function f", true},
  };
  for (const Leftover& c : cases) {
    CAPTURE(std::string(c.what));
    ReplayProject p;
    p.edit("20260101_000001", "down", std::regex(c.pattern), !c.postgres_only);
    each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
      CAPTURE(dialect_name(d));
      if (c.postgres_only && d != DialectId::postgres) return;
      FreshDatabase db(server, "adv3_leftover");
      Run r = p.run("migrate check" + p.args() + scratch(db));
      CHECK_MESSAGE(r.status == 3, r.output);
      CHECK_MESSAGE(contains(r.output, "20260101_000001_change"), r.output);
      CHECK_MESSAGE(contains(r.output, c.expect), r.output);
      CHECK_MESSAGE(!contains(r.output, "s3cret"), r.output);
    });
  }
}

// README: "A database that holds anything else, or a migration history, is refused (exit 1) before
// anything runs" (and the last commit: "a database holding a view, a function, an enum, a sequence or
// anything else the catalog lists is refused"). TiDB and MariaDB have sequences (CREATE SEQUENCE);
// MariaDB lists them in information_schema.TABLES as TABLE_TYPE 'SEQUENCE'.
TEST_CASE("adversary3: replay: a TiDB-family scratch database that holds only a sequence is refused") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  ReplayProject p;
  FreshDatabase db(*server, "adv3_seq_only");
  std::string out;
  REQUIRE_MESSAGE(db.apply_sql("CREATE SEQUENCE s_precious;", out) == 0, out);
  REQUIRE(scalar(db,
                 "SELECT TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
                 "TABLE_NAME = 's_precious'") == "SEQUENCE");
  Run r = p.run("migrate check" + p.args() + scratch(db));
  CHECK_MESSAGE(r.status == 1, r.output);
  CHECK_MESSAGE(contains(r.output, "s_precious"), r.output);
  CHECK_MESSAGE(user_tables(db) == "s_precious", user_tables(db));  // nothing ran: no history table
}

// README: each down is compared "with the catalog its up found". A hand-written (`--empty`) migration
// whose up makes a sequence and whose down forgets it leaves the database different from what the
// up found, on both servers (and a database holding that sequence is one the check itself refuses
// as not empty).
TEST_CASE("adversary3: replay: a hand-written down that forgets the sequence its up made is found") {
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    ReplayProject p;
    p.plan("make_sequence", "20260101_000002", " --empty");
    for (DialectId e : {DialectId::postgres, DialectId::tidb})
      p.append(e, "20260101_000002", "up", "CREATE SEQUENCE s_extra;");
    p.hash();
    FreshDatabase db(server, "adv3_seq_left");
    Run r = p.run("migrate check" + p.args() + scratch(db));
    CHECK_MESSAGE(r.status == 3, r.output);
    CHECK_MESSAGE(contains(r.output, "20260101_000002_make_sequence does not give back"), r.output);
    CHECK_MESSAGE(contains(r.output, "s_extra"), r.output);
  });
}

// README: the history table is "in the schema or database that is current when it connects, whatever
// a migration file sets"; a replay that succeeds leaves the stand-ins of the external tables and an
// empty history (replay_test's shipped case). docs/registry.md, Schemas: a registry outside
// `public` (`postgres.schema: app`), with an external table: the replay of one untouched planned
// migration says its down "does not give back the database its up found; it would take: drop table
// t" (exit 3), and leaves app.t and a second history table, app.schemactl_migrations, in which the
// migration is `applied` (with a second migration on top, the replay says exit 0 and still leaves
// that history table claiming the first migration applied).
TEST_CASE("adversary3: replay: outside public with an external table, the replay leaves no history behind") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  Project p("postgres:\n  schema: app\n",
            "entity: T\ntables:\n  contents:\n    external: true\n    columns:\n"
            "      id: { type: uuid, primary_key: true }\n  t:\n    columns:\n"
            "      id: { type: bigserial, primary_key: true }\n"
            "      content_id: { type: uuid, references: { table: contents, column: id, on_delete: cascade } }\n");
  p.plan("create", "20260101_000000");
  p.generate();
  FreshDatabase db(*server, "adv3_app_external");
  Run r = p.run("migrate check" + p.args() + scratch(db));
  CHECK_MESSAGE(r.status == 0, r.output);
  CHECK_MESSAGE(scalar(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'schemactl_migrations'") == "1",
                user_tables(db));
  CHECK_MESSAGE(scalar(db,
                       "SELECT count(*) FROM pg_tables WHERE schemaname = 'app' AND tablename = "
                       "'schemactl_migrations'") == "0",
                user_tables(db));
  CHECK(history(db).empty());
  CHECK_MESSAGE(!has_table(db, "t"), user_tables(db));
}

// README: `--scratch-url URL` is "an empty database, one per dialect". A registry that puts its
// Postgres objects outside public (docs/registry.md, `postgres.schema`) still has a TiDB side: an
// empty MariaDB database was refused as "not empty ... it would take move schema public to app to
// empty it", a Postgres-only notion.
TEST_CASE("adversary3: replay: a registry with postgres.schema replays on an empty TiDB database") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  Project p("postgres:\n  schema: app\n",
            "entity: T\ntables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n"
            "      label: string(40)\n");
  p.plan("create", "20260101_000000");
  p.generate();
  FreshDatabase db(*server, "adv3_app_tidb");
  REQUIRE(user_tables(db).empty());  // the server's word: empty
  Run r = p.run("migrate check" + p.args() + scratch(db));
  CHECK_MESSAGE(r.status == 0, r.output);
  CHECK_MESSAGE(!contains(r.output, "not empty"), r.output);
  CHECK_MESSAGE(contains(r.output, "1 migrations replayed"), r.output);
}

// README: "Passwords never appear in any output ... any text of a message that equals the password
// is masked"; `migrate check --scratch-url`: "an up or down that fails there, is exit 3, naming ...
// the server's error", and the message says the database is left as it was. An up whose failing
// statement holds the text of the password (say a `CREATE ROLE ... PASSWORD`, here a table name)
// must not print it: the server's error is masked, the echoed statement was not. A wrong password
// in a scratch URL is exit 1 and masked too.
TEST_CASE("adversary3: replay: an up failing half-way is exit 3, leaves the database as said, prints no password") {
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    ReplayProject p;
    const std::string pw = password_in(url_text(server));
    REQUIRE(!pw.empty());
    p.append(d, "20260101_000001", "up",
             d == DialectId::postgres ? "SELECT * FROM \"" + pw + "\";" : "SELECT * FROM `" + pw + "`;");
    p.hash();
    FreshDatabase db(server, "adv3_up_fails");
    Run r = p.run("migrate check" + p.args() + scratch(db));
    CHECK_MESSAGE(r.status == 3, r.output);
    CHECK_MESSAGE(contains(r.output, "the up of 20260101_000001_change failed on the scratch database"), r.output);
    CHECK_MESSAGE(!contains(r.output, pw), r.output);
    // "left it as it was": the history says where it stopped, as the message says.
    auto rows = history(db);
    REQUIRE(rows.size() == 2);
    CHECK(scalar(db, "SELECT state FROM schemactl_migrations WHERE version = '20260101_000001'") == "partial");

    FreshDatabase other(server, "adv3_wrong_pw");
    const std::string right = url_text(other.url()), wrong_pw = "Wr0ng-" + pw + "-x";
    std::string wrong = right;
    wrong.replace(wrong.find(":" + pw + "@"), pw.size() + 2, ":" + wrong_pw + "@");
    Run w = p.run("migrate check" + p.args() + " --scratch-url " + shq(wrong));
    CHECK_MESSAGE(w.status == 1, w.output);
    CHECK_MESSAGE(!contains(w.output, wrong_pw), w.output);
    CHECK_MESSAGE(!contains(w.output, pw), w.output);
  });
}

// README, Postgres: "Before a concurrent build an INVALID index of that name ... is dropped; after it the
// index must be valid, or the migration stays partial"; `migrate check --scratch-url`: an up "that
// fails there, is exit 3, naming ... the server's error", and the database is left as it was. A data
// migration seeds duplicates, the next (planned) migration adds a unique key: its concurrent build
// fails outside the transaction (PostgreSQL: could not create unique index).
TEST_CASE("adversary3: replay: a concurrent unique build that fails outside the transaction is exit 3 (Postgres)") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  ReplayProject p;
  p.plan("seed", "20260101_000002", " --empty");
  p.append(DialectId::postgres, "20260101_000002", "up", "INSERT INTO t (id, label) VALUES (1, 'a'), (2, 'a');");
  p.append(DialectId::postgres, "20260101_000002", "down", "DELETE FROM t WHERE id IN (1, 2);");
  p.hash();
  p.set_entity(std::regex_replace(std::string(kAfter), std::regex("description: a label \\}"),
                                  "description: a label, unique: true }"));
  p.plan("unique_label", "20260101_000003");
  p.generate();
  REQUIRE(contains(slurp(p.migrations / "postgres/20260101_000003_unique_label.up.sql"), "CONCURRENTLY"));
  FreshDatabase db(*server, "adv3_concurrent_fails");
  Run r = p.run("migrate check" + p.args() + scratch(db));
  CHECK_MESSAGE(r.status == 3, r.output);
  CHECK_MESSAGE(contains(r.output, "the up of 20260101_000003_unique_label failed on the scratch database"), r.output);
  CHECK_MESSAGE(contains(r.output, "could not create unique index"), r.output);
  CHECK_MESSAGE(!contains(r.output, "s3cret"), r.output);
  // Left as it was: the seed applied, the failing migration partial.
  CHECK(scalar(db, "SELECT state FROM schemactl_migrations WHERE version = '20260101_000002'") == "applied");
  CHECK(scalar(db, "SELECT state FROM schemactl_migrations WHERE version = '20260101_000003'") == "partial");
  CHECK(scalar(db, "SELECT count(*) FROM t") == "2");
}

// README: Postgres statements that cannot run in a transaction (`-- schemactl:outside-transaction`)
// run after it, each recorded; `--empty` writes a blank pair for a hand-written data migration
// (with `-- schemactl:repeat-until-zero` batches). Such migrations, planned by schemactl or written
// by hand, replay clean on both servers: exit 0.
TEST_CASE("adversary3: replay: outside-transaction steps and a hand-written batched data migration replay clean") {
  ReplayProject p;
  p.set_entity(std::regex_replace(std::string(kAfter),
                                  std::regex("p_id: \\{ type: int, references: \\{ table: p, column: id \\} \\}"),
                                  "p_id: { type: int, nullable: false, references: { table: p, column: id } }\n"
                                  "    unique:\n      - { columns: [label, p_id] }\n    indexes:\n"
                                  "      - { columns: [m, label], where: \"label <> 'z'\", dialects: [postgres] }\n"
                                  "      - { columns: [m, label], dialects: [tidb] }"));
  p.plan("more", "20260101_000002", " --allow-destructive --allow-rewrite");
  CHECK(contains(slurp(p.migrations / "postgres/20260101_000002_more.up.sql"), "-- schemactl:outside-transaction"));
  p.plan("seed", "20260101_000003", " --empty");
  for (DialectId d : {DialectId::postgres, DialectId::tidb}) {
    p.append(d, "20260101_000003", "up",
             "INSERT INTO p (id) VALUES (1), (2), (3);\n"
             "INSERT INTO t (id, label, p_id) VALUES (1, 'a', 1), (2, 'a', 2), (3, 'b', 3);");
    p.append(d, "20260101_000003", "down",
             d == DialectId::postgres
                 ? "-- schemactl:repeat-until-zero\nDELETE FROM t WHERE id IN (SELECT id FROM t LIMIT 1);\n"
                   "DELETE FROM p;"
                 : "-- schemactl:repeat-until-zero\nDELETE FROM t LIMIT 1;\nDELETE FROM p;");
  }
  p.hash();
  p.generate();
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    FreshDatabase db(server, "adv3_outside");
    Run r = p.run("migrate check" + p.args() + scratch(db));
    CHECK_MESSAGE(r.status == 0, r.output);
    CHECK_MESSAGE(contains(r.output, "4 migrations replayed"), r.output);
    CHECK(history(db).empty());
  });
}

// ---------------------------------------------------------------------------------------------
// 2. Reference rows
// ---------------------------------------------------------------------------------------------

// docs/registry.md, Reference rows: two rows may not hold the same values in a unique column, "as the
// column and the server compare them, not as written" (`1` and `1.0` in an int ...). In a float or
// double column 0 and -0 are one value for both servers' unique indexes (PostgreSQL: "duplicate key
// value violates unique constraint"; MariaDB's INSERT IGNORE keeps one).
TEST_CASE("adversary3: rows: 0 and -0 in a float or double unique column are refused") {
  for (const char* type : {"double", "float"}) {
    CAPTURE(std::string(type));
    Project p("", one_column_rows(std::string("{ type: ") + type + ", unique: true }", "0", "-0.0"));
    refused_or_kept(p, 2, "adv3_neg_zero");
  }
}

// docs/registry.md: "A number with more digits after the point than its column keeps ..., in a row,
// a default or a check, is an error: both servers would round it without a word", and rows are
// compared "as the column and the server compare them". The column is what the dialect creates: a
// `tidb: { type: "DECIMAL(6,1)" }` keeps one digit on TiDB, a `postgres: { type: INTEGER }` none
// (MariaDB: "Note 1265 Data truncated", the row kept as 1.1; PostgreSQL: 1.5 stored as 2).
TEST_CASE("adversary3: rows and defaults: a type override that keeps fewer fraction digits") {
  {
    Project p("", one_column_rows("{ type: \"decimal(6,2)\", unique: true, tidb: { type: \"DECIMAL(6,1)\" } }", "1.05",
                                  "1.1"));
    refused_or_kept(p, 2, "adv3_tidb_scale");
  }
  {
    Project p("", one_column_rows("{ type: \"decimal(6,2)\", unique: true, postgres: { type: INTEGER } }", "1.5", "2"));
    refused_or_kept(p, 2, "adv3_pg_scale");
  }
  for (const char* column : {"{ type: \"decimal(6,2)\", default: 1.05, tidb: { type: \"DECIMAL(6,1)\" } }",
                             "{ type: \"decimal(6,2)\", default: 1.5, postgres: { type: INTEGER } }"}) {
    CAPTURE(std::string(column));
    Project p("", std::string("entity: T\ntables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n"
                              "      c: ") +
                      column + "\n");
    Run v = p.run("validate --schema " + p.schema.string());
    CHECK_MESSAGE(v.status == 1, v.output);
    CHECK_MESSAGE(contains(v.output, "the servers would round it"), v.output);
  }
}

// docs/registry.md: the same number rule for checks ("in a row, a default or a check, is an error").
// `in:` lists are refused; `range:` bounds were not.
// docs/registry.md: a number with more digits than its column keeps is an error in a row, a
// default or a check's `in:` list (values the column would hold); a range bound is only compared
// with, never stored, and neither server rounds it.
TEST_CASE("adversary3: checks: an in-list value with more fraction digits than the column keeps is an error") {
  for (const char* column :
       {"{ type: \"decimal(6,2)\", check: { range: [0, 1.005] } }", "{ type: smallint, check: { range: [0.5, null] } }",
        "{ type: int, check: { in: [1, 1.5] } }"}) {
    CAPTURE(std::string(column));
    Project p("", std::string("entity: T\ntables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n"
                              "      c: ") +
                      column + "\n");
    Run v = p.run("validate --schema " + p.schema.string());
    bool in_list = std::string(column).find("in:") != std::string::npos;
    CHECK_MESSAGE(v.status == (in_list ? 1 : 0), v.output);
    if (in_list) CHECK_MESSAGE(contains(v.output, "digit"), v.output);
  }
}

// docs/registry.md: rows compared "as the column and the server compare them, not as written". A
// `postgres: { type: "CHAR(5)" }` column is bpchar, whose comparison ignores trailing spaces
// (PostgreSQL: duplicate key value violates unique constraint, Key (c)=(a    )). The TiDB side uses
// a NO PAD collation here, so only the Postgres comparison makes them one.
TEST_CASE("adversary3: rows: a Postgres CHAR(n) override takes 'a' and 'a ' as one value") {
  Project p("tidb:\n  collation: utf8mb4_nopad_bin\n",
            one_column_rows("{ type: string(10), unique: true, postgres: { type: \"CHAR(5)\" } }", "a", "\"a \""));
  refused_or_kept(p, 2, "adv3_bpchar");
}

// docs/registry.md: "The same is as the column and the server compare them, not as written". Times
// and dates are the plainest case: '2024-01-01 00:00:00+00' and '2024-01-01 01:00:00+01' are one
// timestamptz, 'T' and ' ' spell one timestamp, '2024-1-1' is '2024-01-01' (both servers refuse
// the second row of each pair in a unique column).
TEST_CASE("adversary3: rows: timestamps and dates spelled differently are one value") {
  const std::pair<const char*, std::pair<const char*, const char*>> cases[] = {
      {"{ type: timestamptz, unique: true }", {"\"2024-01-01 00:00:00+00\"", "\"2024-01-01 01:00:00+01\""}},
      {"{ type: timestamp, unique: true }", {"\"2024-01-01 00:00:00\"", "\"2024-01-01T00:00:00\""}},
      {"{ type: date, unique: true }", {"\"2024-01-01\"", "\"2024-1-1\""}},
  };
  for (const auto& c : cases) {
    CAPTURE(std::string(c.first));
    Project p("", one_column_rows(c.first, c.second.first, c.second.second));
    refused_or_kept(p, 2, "adv3_times");
  }
}

// docs/registry.md: TiDB strings compare "under the collation (the registry's `tidb.collation`, or a
// `COLLATE` in the column's `tidb: { type: ... }`)". A type with a CHARACTER SET and no COLLATE takes
// that character set's default collation (MariaDB: latin1_swedish_ci, and utf8mb4_general_ci for
// a column `CHARACTER SET utf8mb4`), which folds case, not the registry's utf8mb4_bin.
// (MariaDB stands in for TiDB in these tests; TiDB's own defaults are the _bin collations.)
TEST_CASE("adversary3: rows: a tidb type with CHARACTER SET but no COLLATE compares under that set's default") {
  for (const char* type : {"VARCHAR(10) CHARACTER SET latin1", "VARCHAR(10) CHARACTER SET utf8mb4"}) {
    CAPTURE(std::string(type));
    Project p("", one_column_rows(std::string("{ type: string(10), unique: true, tidb: { type: \"") + type + "\" } }",
                                  "a", "A"));
    refused_or_kept(p, 2, "adv3_charset");
  }
}

// docs/registry.md: `1` and `1.0` in an int, `1.5` and `1.50` in a decimal, uuids however spelled are
// refused naming both rows; and "a NULL is distinct from everything", a unique index with `where:`
// does not count, NO PAD collations and binary types keep trailing spaces and case apart: such rows
// must validate and every one of them be installed (refusing them would be the other bug).
TEST_CASE("adversary3: rows: numbers and uuids spelled differently are refused - rows the servers keep apart install") {
  const std::pair<const char*, std::pair<const char*, const char*>> same[] = {
      {"{ type: int, unique: true }", {"1", "01"}},
      {"{ type: int, unique: true }", {"1", "+1"}},
      {"{ type: int, unique: true }", {"0", "-0"}},
      {"{ type: bigint, unique: true }", {"7", "7.000"}},
      {"{ type: \"decimal(6,2)\", unique: true }", {"0", "-0.00"}},
      {"{ type: \"decimal(6,2)\", unique: true }", {"1.5", "1.50"}},
      {"{ type: uuid, unique: true }",
       {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11"}},
      {"{ type: uuid, unique: true }",
       {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "\"{A0EEBC999C0B4EF8BB6D6BB9BD380A11}\""}},
  };
  for (const auto& c : same) {
    CAPTURE(std::string(c.first));
    CAPTURE(std::string(c.second.second));
    Project p("", one_column_rows(c.first, c.second.first, c.second.second));
    refused_or_kept(p, 2, "adv3_same");
  }
  Project apart("tidb:\n  collation: utf8mb4_nopad_bin\n", R"yaml(entity: T
tables:
  t:
    columns:
      id: { type: int, primary_key: true }
      s: { type: string(10), unique: true }
      b: { type: string(10), tidb: { type: "VARBINARY(10)"
}
}
      k: { type: int }
      d: { type: double, unique: true }
    indexes:
      - { columns: [b], unique: true }
      - { columns: [k], unique: true, where: "k > 100", dialects: [postgres] }
    rows:
      values:
        - { id: 1, s: a, b: x, k: 1, d: 0.1 }
        - { id: 2, s: "a ", b: "x ", k: 1, d: 0.1000001 }
        - { id: 3, s: A, b: X, k: 2, d: 1 }
        - { id: 4, s: ~, b: ~, k: 2, d: ~ }
        - { id: 5, s: ~, b: ~, k: 3, d: ~ }
)yaml");
  ;
  Run v = apart.run("validate --schema " + apart.schema.string());
  CHECK_MESSAGE(v.status == 0, v.output);
  if (v.status == 0) {
    apart.generate();
    install_and_count(apart, 5, "adv3_apart");
  }
}

// ---------------------------------------------------------------------------------------------
// 3. diff --url / inspect / migrate baseline with serial, identity and AUTO_INCREMENT
// ---------------------------------------------------------------------------------------------

// README, "Adopting an existing database": inspect, validate, generate, `migrate new baseline`, diff
// ("expect no drift"), `migrate baseline VERSION`; the new install.sql "builds the same catalog as
// the database"; baseline "compared (as `diff --url` does) with the state recorded for VERSION; with
// any difference it refuses ... Nothing is written when it refuses". Columns: serial, bigserial,
// identity (ALWAYS), AUTO_INCREMENT (int, unsigned bigint, second column of a key); breakages: a
// serial's default dropped, an identity ALWAYS made BY DEFAULT, an AUTO_INCREMENT taken off.
TEST_CASE("adversary3: adopt: serial, identity and AUTO_INCREMENT tables adopt clean - hand breakages are refused") {
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    const bool pg = d == DialectId::postgres;
    const std::string ddl =
        pg ? "CREATE TABLE a (id serial PRIMARY KEY, name text);\n"
             "CREATE TABLE b (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, n int);\n"
             "CREATE TABLE d (id bigserial PRIMARY KEY, a_id int REFERENCES a (id));\n"
           : "CREATE TABLE a (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20));\n"
             "CREATE TABLE b (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, n INT, PRIMARY KEY (id));\n"
             "CREATE TABLE d (k INT NOT NULL, id INT NOT NULL AUTO_INCREMENT, PRIMARY KEY (k, id), KEY (id));\n";
    FreshDatabase live(server, "adv3_adopt");
    std::string out;
    REQUIRE_MESSAGE(live.apply_sql(ddl, out) == 0, out);
    TempDir t;
    const fs::path schema = t.path / "schema", migrations = t.path / "migrations", gen = t.path / "generated";
    const std::string sargs = " --schema " + schema.string() + " --migrations " + migrations.string();
    Run r = schemactl("inspect" + url_arg(live) + " --out " + schema.string());
    REQUIRE_MESSAGE(r.status == 0, r.output);
    REQUIRE_MESSAGE(schemactl("validate --schema " + schema.string()).status == 0, r.output);
    REQUIRE(schemactl("generate --schema " + schema.string() + " --out " + gen.string()).status == 0);
    REQUIRE(schemactl("migrate new baseline --version 20260101_000000" + sargs).status == 0);
    r = schemactl("diff" + url_arg(live) + sargs);
    CHECK_MESSAGE(r.status == 0, r.output);
    CHECK_MESSAGE(contains(r.output, "no drift"), r.output);

    // The install.sql written from the adopted registry: the same defaults and identity, by the catalog.
    FreshDatabase fresh(server, "adv3_adopt_fresh");
    REQUIRE_MESSAGE(fresh.apply_file((gen / dir_of(d) / "install.sql").string(), out) == 0, out);
    const std::string cols =
        pg ? "SELECT string_agg(table_name || '.' || column_name || '=' || coalesce(column_default, '') || '/' "
             "|| "
             "is_identity || coalesce(identity_generation, ''), ',' ORDER BY table_name, column_name) FROM "
             "information_schema.columns WHERE table_schema = 'public'"
           : "SELECT GROUP_CONCAT(CONCAT(TABLE_NAME, '.', COLUMN_NAME, '=', COLUMN_TYPE, '/', EXTRA) ORDER BY "
             "TABLE_NAME, COLUMN_NAME) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()";
    CHECK(scalar(fresh, cols) == scalar(live, cols));

    // Hand breakages on copies built by install.sql: diff finds each; baseline refuses and writes nothing.
    const std::vector<std::string> breaks =
        pg ? std::vector<std::string>{"ALTER TABLE a ALTER id DROP DEFAULT;",
                                      "ALTER TABLE b ALTER id SET GENERATED BY DEFAULT;"}
           : std::vector<std::string>{"ALTER TABLE a MODIFY id INT NOT NULL;",
                                      "ALTER TABLE b MODIFY id BIGINT UNSIGNED NOT NULL;"};
    for (const std::string& brk : breaks) {
      CAPTURE(brk);
      FreshDatabase broken(server, "adv3_adopt_broken");
      REQUIRE_MESSAGE(broken.apply_file((gen / dir_of(d) / "install.sql").string(), out) == 0, out);
      REQUIRE_MESSAGE(broken.apply_sql(brk, out) == 0, out);
      r = schemactl("diff" + url_arg(broken) + sargs);
      CHECK_MESSAGE(r.status == 3, r.output);
      r = schemactl("migrate baseline 20260101_000000" + url_arg(broken) + " --migrations " + migrations.string());
      CHECK_MESSAGE(r.status == 1, r.output);
      CHECK_MESSAGE(!contains(r.output, "s3cret"), r.output);
      CHECK(history_rows(broken) == 0);
    }
    r = schemactl("migrate baseline 20260101_000000" + url_arg(live) + " --migrations " + migrations.string());
    CHECK_MESSAGE(r.status == 0, r.output);
    CHECK(history(live).size() == 1);
  });
}

}  // namespace schemactl::test

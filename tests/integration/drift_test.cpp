// `diff --url` and `migrate baseline` on real servers: install(R) against R is clean for every
// registry; each kind of manual change is reported with its repair, and running the repair script
// with the dialect's own client makes the database clean again; pending migrations; baseline on a
// matching and a drifted database, then `migrate up` from there.
#include <doctest/doctest.h>

#include <fstream>
#include <future>

#include "apply/applier.hpp"
#include "cli_support.hpp"
#include "dialect/dialect.hpp"
#include "drift/compare.hpp"
#include "drift/expected.hpp"
#include "drift/report.hpp"
#include "lower/compile.hpp"
#include "util/text.hpp"

namespace schemactl::test {
namespace {

Compiled compile_at(const fs::path& dir) {
  return compile_registry(registry::read_registry_dir(dir.string()));
}

void install(const FreshDatabase& db, const schema::Schema& s) {
  std::string output;
  if (std::string fixture = external_fixture(s); !fixture.empty())
    REQUIRE_MESSAGE(db.apply_sql(fixture, output) == 0, output);
  REQUIRE_MESSAGE(db.apply_sql(dialect_for(s.dialect).render_install(s), output) == 0, output);
}

std::string listing(const drift::DriftReport& r) {
  std::string out;
  for (const auto& d : r.differences) {
    out += d.what + (d.problem.empty() ? "" : " (" + d.problem + ")") + "\n";
    for (const auto& s : d.steps)
      for (const auto& sql : s.up) out += "    " + sql + "\n";
  }
  for (const auto& u : r.unchecked) out += "unchecked: " + u + "\n";
  return out;
}

std::vector<std::string> whats(const drift::DriftReport& r) {
  std::vector<std::string> out;
  for (const auto& d : r.differences) out.push_back(d.what);
  return out;
}

drift::DriftReport check(const FreshDatabase& db, const schema::Schema& s) {
  auto conn = db.connect();
  return drift::compare(*conn, s);
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

// A small registry with one of each kind of object the drift cases change by hand.
void write_registry(const fs::path& dir, bool extra_column = false) {
  write(dir / "registry.yaml", "registry: drift\ndescription: Drift cases.\n");
  write(dir / "shop.yaml", std::string(R"(entity: Shop
description: Items and their owners.
enums:
  item_state_v2:
    values: [draft, live, gone]
    description: Where an item is.
tables:
  owners:
    description: Who owns items.
    columns:
      id: { type: int, primary_key: true }
      email: { type: string(120), nullable: false, unique: true }
  items:
    description: Things for sale.
    columns:
      id: { type: int, primary_key: true }
      name: { type: string(100), nullable: false, description: What it is called. }
      qty: { type: int, nullable: false, default: 1 }
      note: { type: text }
      state: { type: enum(item_state_v2), nullable: false, default: draft }
      owner_id: { type: int, references: { table: owners, on_delete: cascade } }
)") + (extra_column ? "      added: { type: text }\n" : "") +
                               R"(    indexes:
      - { columns: [name] }
    checks:
      - { expr: "qty >= 0", name: items_qty_positive }
  accounts:
    external: true
    columns:
      id: { type: int, primary_key: true }
      login: { type: string(50) }
functions:
  item_count:
    dialects: [postgres]
    language: sql
    returns: BIGINT
    volatility: stable
    body: "SELECT count(*) FROM items"
views:
  v_items:
    depends_on: [items]
    sql: "SELECT id, name FROM items WHERE qty > 0"
)");
}

// `schemactl migrate new NAME` of the registry in `registry` into `migrations`, at `version`.
void new_migration(const fs::path& registry, const fs::path& migrations, const std::string& name,
                   const std::string& version) {
  Run r = schemactl("migrate new " + name + " --schema " + registry.string() + " --migrations " + migrations.string() +
                    " --version " + version);
  REQUIRE_MESSAGE(r.status == 0, r.output);
}

struct Case {
  std::string name;
  std::string postgres, tidb;  // the manual change
  std::string repair;          // what diff reports (one difference)
};

}  // namespace

TEST_CASE("diff --url: install(R) against R reports nothing, for every registry on both servers") {
  for (const char* dir : {"schema", "tests/registries/mumble", "tests/registries/nirva", "tests/registries/coverage"}) {
    Compiled compiled = compile_at(fs::path(SCHEMACTL_SOURCE_DIR) / dir);
    each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
      CAPTURE(dir);
      CAPTURE(dialect_name(d));
      const auto& s = compiled.schemas.at(d);
      FreshDatabase db(server, std::string("drift_clean_") + dir);
      install(db, s);
      auto report = check(db, s);
      CHECK_MESSAGE(report.clean(), listing(report));
      CHECK_MESSAGE(report.unchecked.empty(), listing(report));
    });
  }
}

TEST_CASE("diff --url: each kind of manual change is reported with its repair, and the repair makes it clean") {
  TempDir tmp;
  write_registry(tmp.path / "reg");
  Compiled compiled = compile_at(tmp.path / "reg");
  const std::vector<Case> cases = {
      {"drop column", "ALTER TABLE items DROP COLUMN note", "ALTER TABLE items DROP COLUMN note",
       "add column items.note"},
      {"add column", "ALTER TABLE items ADD COLUMN extra INTEGER", "ALTER TABLE items ADD COLUMN extra INT",
       "drop column items.extra"},
      {"column type", "ALTER TABLE items ALTER COLUMN note TYPE VARCHAR(500)",
       "ALTER TABLE items MODIFY note VARCHAR(500)", "alter column items.note"},
      {"default", "ALTER TABLE items ALTER COLUMN qty SET DEFAULT 7",
       "ALTER TABLE items ALTER COLUMN qty SET DEFAULT 7", "alter column items.qty"},
      {"nullability", "ALTER TABLE items ALTER COLUMN name DROP NOT NULL",
       "ALTER TABLE items MODIFY name VARCHAR(100) NULL COMMENT 'What it is called.'", "alter column items.name"},
      {"column comment", "COMMENT ON COLUMN items.name IS 'changed by hand'",
       "ALTER TABLE items MODIFY name VARCHAR(100) NOT NULL COMMENT 'changed by hand'", "alter column items.name"},
      {"table comment", "COMMENT ON TABLE items IS 'changed by hand'", "ALTER TABLE items COMMENT = 'changed by hand'",
       "comment on table items"},
      {"drop index", "DROP INDEX idx_items_name", "DROP INDEX idx_items_name ON items",
       "create index idx_items_name on items"},
      {"extra index", "CREATE INDEX idx_by_hand ON items (qty)", "CREATE INDEX idx_by_hand ON items (qty)",
       "drop index idx_by_hand on items"},
      {"drop unique", "ALTER TABLE owners DROP CONSTRAINT owners_email_key", "DROP INDEX owners_email_key ON owners",
       "add unique constraint owners_email_key on owners"},
      {"drop check", "ALTER TABLE items DROP CONSTRAINT items_qty_positive",
       "ALTER TABLE items DROP CONSTRAINT items_qty_positive", "add check items_qty_positive on items"},
      {"changed check",
       "ALTER TABLE items DROP CONSTRAINT items_qty_positive; ALTER TABLE items ADD CONSTRAINT items_qty_positive "
       "CHECK (qty >= 5 OR qty = 0)",
       "ALTER TABLE items DROP CONSTRAINT items_qty_positive; ALTER TABLE items ADD CONSTRAINT items_qty_positive "
       "CHECK (qty >= 5 OR qty = 0)",
       "add check items_qty_positive on items"},
      {"changed index", "DROP INDEX idx_items_name; CREATE INDEX idx_items_name ON items (name DESC)",
       "DROP INDEX idx_items_name ON items; CREATE INDEX idx_items_name ON items (name DESC)",
       "create index idx_items_name on items"},
      {"foreign key action",
       "ALTER TABLE items DROP CONSTRAINT items_owner_id_fkey; ALTER TABLE items ADD CONSTRAINT items_owner_id_fkey "
       "FOREIGN KEY (owner_id) REFERENCES owners (id)",
       "ALTER TABLE items DROP FOREIGN KEY items_owner_id_fkey; ALTER TABLE items ADD CONSTRAINT items_owner_id_fkey "
       "FOREIGN KEY (owner_id) REFERENCES owners (id)",
       "add foreign key items_owner_id_fkey on items"},
      {"function body",
       "CREATE OR REPLACE FUNCTION item_count() RETURNS BIGINT LANGUAGE sql STABLE AS $$ SELECT count(*) + 1 FROM "
       "items $$",
       "", "replace function item_count"},
      {"drop foreign key", "ALTER TABLE items DROP CONSTRAINT items_owner_id_fkey",
       "ALTER TABLE items DROP FOREIGN KEY items_owner_id_fkey", "add foreign key items_owner_id_fkey on items"},
      {"view body", "CREATE OR REPLACE VIEW v_items AS SELECT id, name FROM items WHERE qty > 5",
       "CREATE OR REPLACE VIEW v_items AS SELECT id, name FROM items WHERE qty > 5", "create view v_items"},
      {"enum value",
       "ALTER TABLE items ALTER COLUMN state DROP DEFAULT; ALTER TYPE item_state_v2 RENAME TO item_state_v2_old; "
       "CREATE TYPE item_state_v2 AS ENUM ('draft', 'live'); ALTER TABLE items ALTER COLUMN state TYPE item_state_v2 "
       "USING "
       "state::text::item_state_v2; ALTER TABLE items ALTER COLUMN state SET DEFAULT 'draft'; DROP TYPE "
       "item_state_v2_old",
       "ALTER TABLE items MODIFY state ENUM('draft','live') NOT NULL DEFAULT 'draft'", ""},
  };
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    const auto& s = compiled.schemas.at(d);
    FreshDatabase db(server, "drift_cases");
    install(db, s);
    REQUIRE_MESSAGE(check(db, s).clean(), listing(check(db, s)));
    for (const auto& c : cases) {
      CAPTURE(dialect_name(d));
      CAPTURE(c.name);
      std::string output;
      std::string sql = d == DialectId::postgres ? c.postgres : c.tidb;
      if (sql.empty()) continue;  // nothing of the kind on this dialect (functions on TiDB)
      sql += ";\n";
      REQUIRE_MESSAGE(db.apply_sql(sql, output) == 0, output);
      auto report = check(db, s);
      INFO(listing(report));
      REQUIRE(!report.clean());
      std::string repair = c.repair;
      if (repair.empty())
        repair = d == DialectId::postgres ? "add values to enum type item_state_v2" : "alter column items.state";
      auto found = whats(report);
      CHECK(std::find(found.begin(), found.end(), repair) != found.end());
      for (const auto& diff : report.differences) CHECK(diff.problem.empty());
      drift::Expectation e;
      e.against = "the registry";
      REQUIRE_MESSAGE(db.apply_sql(drift::render_repair(report, e, db.url().redacted()), output) == 0, output);
      auto after = check(db, s);
      CHECK_MESSAGE(after.clean(), listing(after));
    }
  });
}

TEST_CASE("diff --url: the history table is ignored - an external table is compared for its declared columns") {
  TempDir tmp;
  write_registry(tmp.path / "reg");
  Compiled compiled = compile_at(tmp.path / "reg");
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    const auto& s = compiled.schemas.at(d);
    FreshDatabase db(server, "drift_scope");
    install(db, s);
    {
      auto conn = db.connect();
      apply::History(*conn).create();
    }
    std::string output;
    // The application's own columns of its table are not the registry's business.
    REQUIRE(db.apply_sql("ALTER TABLE accounts ADD COLUMN created_on DATE;\n", output) == 0);
    auto report = check(db, s);
    CHECK_MESSAGE(report.clean(), listing(report));
    // A declared column missing is.
    REQUIRE_MESSAGE(db.apply_sql("ALTER TABLE accounts DROP COLUMN login;\n", output) == 0, output);
    report = check(db, s);
    CHECK(whats(report) == std::vector<std::string>{"add column accounts.login"});
    // The table missing altogether is said, not repaired (the application owns it).
    REQUIRE(db.apply_sql("DROP TABLE accounts;\n", output) == 0);
    report = check(db, s);
    CHECK_MESSAGE(report.clean(), listing(report));
    REQUIRE(report.unchecked.size() == 1);
    CHECK(report.unchecked[0].find("external table accounts is not in the database") != std::string::npos);
  });
}

TEST_CASE("diff --url: concurrent runs never see each other's scratch views - a leftover one is not drift") {
  TempDir tmp;
  std::string views;
  for (int i = 0; i < 8; ++i)
    views += "  v_items_" + std::to_string(i) +
             ":\n    depends_on: [items]\n    sql: \"SELECT id, name FROM items WHERE qty > " + std::to_string(i) +
             "\"\n";
  write(tmp.path / "r" / "registry.yaml", "registry: drift_race\ndescription: Views for concurrent diffs.\n");
  write(tmp.path / "r" / "shop.yaml",
        "entity: Shop\ndescription: Items.\ntables:\n  items:\n    description: Items.\n"
        "    columns:\n      id: { type: int, primary_key: true }\n"
        "      name: { type: string(100) }\n      qty: { type: int }\nviews:\n" +
            views);
  Compiled compiled = compile_at(tmp.path / "r");
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    FreshDatabase db(server, "drift_race");
    install(db, compiled.schemas.at(d));
    const std::string diff = "diff --url '" + url_text(db.url()) + "' --migrations " + (tmp.path / "none").string() +
                             " --schema " + (tmp.path / "r").string();
    // Four at once, three times: each must see exactly the registry's views, re-printed by the server.
    for (int round = 0; round < 3; ++round) {
      std::vector<std::future<Run>> runs;
      for (int i = 0; i < 4; ++i) runs.push_back(std::async(std::launch::async, [&] { return schemactl(diff); }));
      for (auto& r : runs) {
        Run done = r.get();
        CHECK_MESSAGE(done.status == 0, done.output);
      }
    }
    // A scratch view left behind by a killed run is neither drift nor part of what inspect reads.
    if (d == DialectId::tidb) {
      std::string output;
      REQUIRE(db.apply_sql("CREATE VIEW schemactl_drift_probe_4242 AS SELECT 1 AS x;\n", output) == 0);
      Run leftover = schemactl(diff);
      CHECK_MESSAGE(leftover.status == 0, leftover.output);
      Run inspected = schemactl("inspect --url '" + url_text(db.url()) + "'");
      CHECK_MESSAGE(inspected.status == 0, inspected.output);
      CHECK(inspected.output.find("schemactl_drift_probe") == std::string::npos);
      CHECK(inspected.output.find("v_items_7") != std::string::npos);
    }
  });
}

TEST_CASE("diff --url (the command): exit codes, --sql, formats, pending migrations and a server that is not there") {
  TempDir tmp;
  write_registry(tmp.path / "a");
  write_registry(tmp.path / "b", true);
  const fs::path mig = tmp.path / "migrations";
  new_migration(tmp.path / "a", mig, "first", "20250101_000000");
  new_migration(tmp.path / "b", mig, "second", "20250102_000000");
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    FreshDatabase db(server, "drift_cli");
    Compiled a = compile_at(tmp.path / "a");
    std::string output;
    REQUIRE_MESSAGE(db.apply_sql(external_fixture(a.schemas.at(d)), output) == 0, output);
    Run first = migrate("up --to 20250101_000000", db, mig);
    REQUIRE_MESSAGE(first.status == 0, first.output);
    const std::string diff = "diff --url '" + url_text(db.url()) + "' --migrations " + mig.string() + " --schema ";
    // One migration pending: the comparison is with the registry, and the output says so.
    Run pending = schemactl(diff + (tmp.path / "b").string());
    CHECK_MESSAGE(pending.status == 3, pending.output);
    CHECK(pending.output.find("1 migration(s) pending") != std::string::npos);
    CHECK(pending.output.find("add column items.added") != std::string::npos);
    CHECK(pending.output.find(db.url().password) == std::string::npos);
    REQUIRE(migrate("up", db, mig).status == 0);
    Run clean = schemactl(diff + (tmp.path / "b").string() + " --exit-code");
    CHECK_MESSAGE(clean.status == 0, clean.output);
    CHECK(clean.output.find("no drift") != std::string::npos);
    // Drift: exit 3, the repair in every format, the script written and never run.
    REQUIRE(db.apply_sql("ALTER TABLE items DROP COLUMN note;\n", output) == 0);
    const fs::path script = tmp.path / ("repair_" + dialect_name(d) + ".sql");
    Run drifted = schemactl(diff + (tmp.path / "b").string() + " --sql " + script.string());
    CHECK_MESSAGE(drifted.status == 3, drifted.output);
    CHECK(drifted.output.find("add column items.note") != std::string::npos);
    CHECK(has_table(db, "items"));
    CHECK(!scalar(db, d == DialectId::postgres
                          ? "SELECT column_name FROM information_schema.columns WHERE table_name = 'items' AND "
                            "column_name = 'note'"
                          : "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
                            "TABLE_NAME = 'items' AND COLUMN_NAME = 'note'"));
    Run json = schemactl(diff + (tmp.path / "b").string() + " --format json");
    CHECK(json.status == 3);
    CHECK(json.output.find("\"repair\": \"add column items.note\"") != std::string::npos);
    Run md = schemactl(diff + (tmp.path / "b").string() + " --format markdown");
    CHECK(md.output.find("```sql") != std::string::npos);
    REQUIRE_MESSAGE(db.apply_file(script.string(), output) == 0, output);
    CHECK(schemactl(diff + (tmp.path / "b").string()).status == 0);
    // A server that is not there: exit 1, one clear line, nothing written.
    const fs::path nowhere = tmp.path / "nowhere.sql";
    std::string dead = (d == DialectId::postgres ? "postgres" : "mysql") + std::string("://u:s3cr3t-x@127.0.0.1:1/db");
    Run down = schemactl("diff --url '" + dead + "?connect_timeout=2' --migrations " + mig.string() + " --schema " +
                         (tmp.path / "b").string() + " --sql " + nowhere.string());
    CHECK_MESSAGE(down.status == 1, down.output);
    CHECK(down.output.find("error:") != std::string::npos);
    CHECK(down.output.find("s3cr3t-x") == std::string::npos);
    CHECK(!fs::exists(nowhere));
  });
}

TEST_CASE("the state after an older migration, found in git: diff with a migration pending, baseline at it") {
  TempDir tmp;
  write_registry(tmp.path / "a");
  write_registry(tmp.path / "b", true);
  const fs::path repo = tmp.path / "repo", mig = repo / "migrations";
  fs::create_directories(repo);
  REQUIRE(git(repo, "init -q -b main .").status == 0);
  new_migration(tmp.path / "a", mig, "first", "20250101_000000");
  REQUIRE(git(repo, "add -A && git commit -q -m first").status == 0);
  new_migration(tmp.path / "b", mig, "second", "20250102_000000");
  REQUIRE(git(repo, "add -A").status == 0);  // staged, not committed: the index is searched too
  // The same files outside git: the older state cannot be found there.
  const fs::path loose = tmp.path / "loose";
  fs::copy(mig, loose, fs::copy_options::recursive);
  const fs::path b = tmp.path / "b";
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    Compiled a = compile_at(tmp.path / "a");
    std::string output;
    {
      FreshDatabase db(server, "older_diff");
      install(db, a.schemas.at(d));
      REQUIRE(migrate("baseline 20250101_000000", db, mig).status == 0);
      const std::string diff = "diff --url '" + url_text(db.url()) + "' --migrations ";
      // Compared with the state after `first`: clean, the pending migration named and left out.
      Run clean = schemactl(diff + mig.string() + " --schema " + b.string());
      CHECK_MESSAGE(clean.status == 0, clean.output);
      CHECK(clean.output.find("the state after 20250101_000000_first") != std::string::npos);
      CHECK(clean.output.find("1 migration(s) pending") != std::string::npos);
      CHECK(clean.output.find("add column items.added") == std::string::npos);
      // A real difference still shows, and only it.
      REQUIRE(db.apply_sql("ALTER TABLE items DROP COLUMN note;\n", output) == 0);
      Run drifted = schemactl(diff + mig.string() + " --schema " + b.string());
      CHECK_MESSAGE(drifted.status == 3, drifted.output);
      CHECK(drifted.output.find("add column items.note") != std::string::npos);
      CHECK(drifted.output.find("add column items.added") == std::string::npos);
      // Outside git the state is unknown: compared with the registry, saying why.
      Run unknown = schemactl(diff + loose.string() + " --schema " + b.string());
      CHECK_MESSAGE(unknown.status == 3, unknown.output);
      CHECK(unknown.output.find("the state before them is unknown") != std::string::npos);
      CHECK(unknown.output.find("add column items.added") != std::string::npos);
    }
    {
      // baseline at the older version: checked against its recorded state, then up goes on.
      FreshDatabase db(server, "older_baseline");
      install(db, a.schemas.at(d));
      Run ok = migrate("baseline 20250101_000000", db, mig);
      REQUIRE_MESSAGE(ok.status == 0, ok.output);
      CHECK(history(db).size() == 1);
      Run up = migrate("up", db, mig);
      CHECK_MESSAGE(up.status == 0, up.output);
      CHECK(history(db).size() == 2);
      CHECK(
          schemactl("diff --url '" + url_text(db.url()) + "' --migrations " + mig.string() + " --schema " + b.string())
              .status == 0);
    }
    {
      // ... and a database that differs from it is refused, nothing recorded.
      FreshDatabase db(server, "older_drifted");
      install(db, a.schemas.at(d));
      REQUIRE(db.apply_sql("ALTER TABLE items DROP COLUMN note;\n", output) == 0);
      Run refused = migrate("baseline 20250101_000000", db, mig);
      CHECK(refused.status == 1);
      CHECK(refused.output.find("differs from the state at that version") != std::string::npos);
      CHECK(!has_table(db, apply::History::kTable));
      Run not_found = migrate("baseline 20250101_000000", db, loose);
      CHECK(not_found.status == 1);
      CHECK(not_found.output.find("is not recorded") != std::string::npos);
      CHECK(not_found.output.find("in git has the hash") != std::string::npos);
    }
  });
}

TEST_CASE("migrate baseline: a matching database is recorded, a drifted one refused unless --force - up goes on") {
  TempDir tmp;
  write_registry(tmp.path / "a");
  write_registry(tmp.path / "b", true);
  const fs::path mig = tmp.path / "migrations";
  new_migration(tmp.path / "a", mig, "first", "20250101_000000");
  // The same first migration, then a second one on top.
  const fs::path later = tmp.path / "later";
  fs::copy(mig, later, fs::copy_options::recursive);
  new_migration(tmp.path / "b", later, "second", "20250102_000000");
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    Compiled a = compile_at(tmp.path / "a");
    const auto& s = a.schemas.at(d);
    std::string output;
    {
      // A version older than the latest: its state is not recorded, so it cannot be checked.
      FreshDatabase db(server, "baseline_old");
      install(db, s);
      Run old = migrate("baseline 20250101_000000", db, later);
      CHECK(old.status == 1);
      CHECK(old.output.find("is not recorded") != std::string::npos);
      CHECK(!has_table(db, apply::History::kTable));
      Run forced = migrate("baseline 20250101_000000 --force", db, later);
      REQUIRE_MESSAGE(forced.status == 0, forced.output);
      Run up = migrate("up", db, later);
      CHECK_MESSAGE(up.status == 0, up.output);
      Run diff = schemactl("diff --url '" + url_text(db.url()) + "' --migrations " + later.string() + " --schema " +
                           (tmp.path / "b").string());
      CHECK_MESSAGE(diff.status == 0, diff.output);
    }
    {
      // Wrong versions: refused before anything is written.
      FreshDatabase db(server, "baseline_bad");
      install(db, s);
      Run none = migrate("baseline 20240101_000000", db, mig);
      CHECK(none.status == 1);
      CHECK(none.output.find("no migration has version 20240101_000000") != std::string::npos);
      CHECK(!has_table(db, apply::History::kTable));
    }
    {
      FreshDatabase db(server, "baseline_match");
      install(db, s);
      Run ok = migrate("baseline 20250101_000000", db, mig);
      REQUIRE_MESSAGE(ok.status == 0, ok.output);
      auto rows = history(db);
      REQUIRE(rows.size() == 1);
      migrate::Directory dir(mig, d);
      CHECK(rows[0].version == "20250101_000000");
      CHECK(rows[0].checksum == apply::checksum_of(dir.list().at(0)));
      CHECK(rows[0].state == apply::RowState::applied);
      CHECK(migrate("status --exit-code", db, mig).status == 0);
      // Again: the history has rows now.
      Run again = migrate("baseline 20250101_000000", db, mig);
      CHECK(again.status == 1);
      CHECK(again.output.find("already has rows") != std::string::npos);
      // A later migration applies on top.
      Run up = migrate("up", db, later);
      CHECK_MESSAGE(up.status == 0, up.output);
      CHECK(history(db).size() == 2);
      Run diff = schemactl("diff --url '" + url_text(db.url()) + "' --migrations " + later.string() + " --schema " +
                           (tmp.path / "b").string());
      CHECK_MESSAGE(diff.status == 0, diff.output);
    }
    {
      FreshDatabase db(server, "baseline_drift");
      install(db, s);
      REQUIRE(db.apply_sql(
                  d == DialectId::postgres ? "DROP INDEX idx_items_name;\n" : "DROP INDEX idx_items_name ON items;\n",
                  output) == 0);
      Run refused = migrate("baseline 20250101_000000", db, mig);
      CHECK(refused.status == 1);
      CHECK(refused.output.find("create index idx_items_name on items") != std::string::npos);
      CHECK(refused.output.find("differs from the state") != std::string::npos);
      CHECK(history(db).empty());
      Run forced = migrate("baseline 20250101_000000 --force", db, mig);
      CHECK_MESSAGE(forced.status == 0, forced.output);
      CHECK(history(db).size() == 1);
    }
  });
}

}  // namespace schemactl::test

// migrations/: the committed history is what the tool generates, and a damaged directory is named.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "file_tree.hpp"
#include "migrate/directory.hpp"
#include "migrate/legacy_text.hpp"
#include "migrate/lineage.hpp"
#include "migrate/new_migration.hpp"
#include "migrate/sum.hpp"
#include "output/fileset.hpp"
#include "schema/json.hpp"
#include "test_support.hpp"
#include "util/text.hpp"

namespace schemactl::test {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = SCHEMACTL_SOURCE_DIR;

Compiled compile_dir(const fs::path& dir) {
  return compile_registry(registry::read_registry_dir(dir));
}

migrate::NewResult new_migration(const fs::path& registry, const fs::path& root, const std::string& name,
                                 const std::string& version, bool write = true) {
  migrate::NewOptions o;
  o.name = name;
  o.version = version;
  migrate::NewResult r = migrate::plan_new_migration(compile_dir(registry), root, o);
  if (write) migrate::write_new_migration(r, root);
  return r;
}

// The seed 000 history in a scratch directory.
void write_history(const fs::path& root) {
  new_migration(kSource / "tests/registries/companion_baseline", root, "baseline", "20251018_142000");
  new_migration(kSource / "schema", root, "add_moment_session_fields", "20251018_142555");
}

std::string read(const fs::path& p) {
  std::string s;
  REQUIRE_MESSAGE(read_file(p, s), "cannot read " << p);
  return s;
}

void append(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::app);
  out << text;
}

}  // namespace

// The shipped files were planned before migrations recorded their lineage: their headers carry the
// registry's hash where new files carry `-- schemactl:after / parent / snapshot`; and before function
// bodies were written exactly between their quotes: `AS $function$` is followed by a line break the
// body does not have. Databases recorded their checksums, so they stay as they are; everything else
// is what the tool plans today.
TEST_CASE("migrate: the committed migrations/ is what the registries of the seed 000 history generate") {
  TempDir tmp;
  write_history(tmp.path);
  for (const char* dialect : {"postgres", "tidb"}) {
    for (const auto& entry : fs::directory_iterator(kSource / "migrations" / dialect)) {
      CAPTURE(entry.path());
      std::string name = entry.path().filename().string();
      if (name == migrate::Directory::kSum) continue;  // follows from the files' bytes; verified below
      std::string shipped = read(entry.path()), now = read(tmp.path / dialect / name);
      if (name == migrate::Directory::kSnapshot)
        CHECK(shipped == now);
      else
        CHECK(migrate::without_lineage_lines(migrate::unframed_function_bodies(shipped)) ==
              migrate::without_lineage_lines(now));
      // Every shipped header line the tool no longer writes is the old registry hash, nothing else.
      if (name != migrate::Directory::kSnapshot) CHECK(shipped.find("-- registry sha256: ") != std::string::npos);
    }
    CHECK(migrate::verify_sum(kSource / "migrations",
                              dialect == std::string("postgres") ? DialectId::postgres : DialectId::tidb)
              .empty());
    CHECK(std::distance(fs::directory_iterator(tmp.path / dialect), fs::directory_iterator()) ==
          std::distance(fs::directory_iterator(kSource / "migrations" / dialect), fs::directory_iterator()));
  }
}

TEST_CASE("migrate: seed 000's change, as planned for each dialect") {
  TempDir tmp;
  new_migration(kSource / "tests/registries/companion_baseline", tmp.path, "baseline", "20251018_142000");
  auto r = new_migration(kSource / "schema", tmp.path, "add_moment_session_fields", "20251018_142555", false);
  auto pg = r.plans.at(DialectId::postgres).up_statements();
  std::vector<std::string> want_pg = {
      "ALTER TABLE public.moments ADD COLUMN IF NOT EXISTS speakers JSONB;",
      "COMMENT ON COLUMN public.moments.speakers IS 'JSON array of speaker entries with text, identifier, timestamp, "
      "emotion';",
      "ALTER TABLE public.moments ADD COLUMN IF NOT EXISTS key_emotions TEXT[];",
      "COMMENT ON COLUMN public.moments.key_emotions IS 'JSON array of key emotional context tags';",
      "ALTER TABLE public.sessions ADD COLUMN IF NOT EXISTS moment_id UUID;",
      "COMMENT ON COLUMN public.sessions.moment_id IS 'Optional reference to a Moment entity ID (no foreign key), set "
      "from the X-Moment-Id header.';",
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_moments_speakers_gin ON public.moments USING gin (speakers);",
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_moments_key_emotions_gin ON public.moments USING gin "
      "(key_emotions);",
      "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_sessions_moment_id ON public.sessions (moment_id);"};
  CHECK(pg == want_pg);
  auto tidb = r.plans.at(DialectId::tidb).up_statements();
  std::vector<std::string> want_tidb = {
      "ALTER TABLE moments ADD COLUMN IF NOT EXISTS speakers TEXT COMMENT 'JSON array of speaker entries with text, "
      "identifier, timestamp, emotion';",
      "ALTER TABLE moments ADD COLUMN IF NOT EXISTS key_emotions TEXT COMMENT 'JSON array of key emotional context "
      "tags';",
      "ALTER TABLE sessions ADD COLUMN IF NOT EXISTS moment_id VARCHAR(255) COMMENT 'Optional reference to a Moment "
      "entity ID (no foreign key), set from the X-Moment-Id header.';",
      "CREATE INDEX IF NOT EXISTS idx_sessions_moment_id ON sessions (moment_id);"};
  CHECK(tidb == want_tidb);
  // Seed 000's rollback, in reverse order.
  auto down = r.plans.at(DialectId::tidb).down_statements();
  REQUIRE(down.size() == 4);
  CHECK(down[0] == "DROP INDEX IF EXISTS idx_sessions_moment_id ON sessions;");
  CHECK(down[1] == "ALTER TABLE sessions DROP COLUMN IF EXISTS moment_id;");
  CHECK(down[3] == "ALTER TABLE moments DROP COLUMN IF EXISTS speakers;");
  CHECK(r.plans.at(DialectId::postgres).reversible());
  CHECK_FALSE(r.plans.at(DialectId::postgres).destructive());
}

TEST_CASE("migrate: nothing to do writes nothing") {
  TempDir tmp;
  write_history(tmp.path);
  auto r = new_migration(kSource / "schema", tmp.path, "again", "20251019_000000", false);
  CHECK(r.nothing_to_do);
  CHECK(r.files.empty());
}

TEST_CASE("migrate: --empty writes a blank pair that takes part in ordering and the sum file") {
  TempDir tmp;
  write_history(tmp.path);
  migrate::NewOptions o;
  o.name = "Copy legacy chat messages!";
  o.version = "20251020_000000";
  o.empty = true;
  auto r = migrate::plan_new_migration(compile_dir(kSource / "schema"), tmp.path, o);
  migrate::write_new_migration(r, tmp.path);
  migrate::Directory dir(tmp.path, DialectId::postgres);
  auto list = dir.list();
  REQUIRE(list.size() == 3);
  CHECK(list.back().id() == "20251020_000000_copy_legacy_chat_messages");
  CHECK(migrate::verify_sum(dir).empty());
}

TEST_CASE("migrate: a version that is not after the latest migration is refused") {
  TempDir tmp;
  write_history(tmp.path);
  migrate::NewOptions o;
  o.name = "x";
  o.version = "20251018_142555";
  o.empty = true;
  CHECK_THROWS_WITH(
      migrate::plan_new_migration(compile_dir(kSource / "schema"), tmp.path, o),
      doctest::Contains("is not after the latest postgres migration 20251018_142555_add_moment_session_fields"));
}

TEST_CASE("migrate: damaged directories are named") {
  TempDir tmp;
  write_history(tmp.path);
  migrate::Directory dir(tmp.path, DialectId::postgres);
  const fs::path pg = tmp.path / "postgres";
  REQUIRE(migrate::verify_sum(dir).empty());

  SUBCASE("an edited migration") {
    append(pg / "20251018_142000_baseline.up.sql", "-- sneaky\n");
    auto problems = migrate::verify_sum(dir);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message == "edited: " + (pg / "20251018_142000_baseline.up.sql").string());
    CHECK(problems[0].kind == migrate::SumProblem::Kind::edited);
    CHECK(problems[0].file == pg / "20251018_142000_baseline.up.sql");
  }
  SUBCASE("a deleted migration") {
    fs::remove(pg / "20251018_142555_add_moment_session_fields.down.sql");
    CHECK_THROWS_WITH(dir.list(), doctest::Contains("20251018_142555_add_moment_session_fields.down.sql is missing"));
    auto problems = migrate::verify_sum(dir);
    REQUIRE(problems.size() == 2);
    const fs::path down = pg / "20251018_142555_add_moment_session_fields.down.sql";
    CHECK(problems[0].kind == migrate::SumProblem::Kind::layout);
    CHECK(problems[0].file == down);
    CHECK(problems[0].message == down.string() + " is missing (its up file exists)");
    CHECK(problems[1].kind == migrate::SumProblem::Kind::deleted);
    CHECK(problems[1].message == "deleted: " + down.string());
    // For `status`: listed with the missing path empty, the problem recorded.
    std::vector<std::string> listed;
    auto migrations = dir.list(&listed);
    REQUIRE(migrations.size() == 2);
    CHECK(migrations[1].down_path.empty());
    CHECK(listed == std::vector<std::string>{"migrations: " + down.string() + " is missing (its up file exists)"});
  }
  SUBCASE("an inserted migration") {
    std::ofstream(pg / "20251018_142100_sneaky.up.sql") << "SELECT 1;\n";
    std::ofstream(pg / "20251018_142100_sneaky.down.sql") << "SELECT 1;\n";
    auto problems = migrate::verify_sum(dir);
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].message.find("added: ") == 0);
    CHECK(problems[0].kind == migrate::SumProblem::Kind::added);
    CHECK(problems[1].file == pg / "20251018_142100_sneaky.up.sql");
  }
  SUBCASE("two migrations with the same version") {
    std::ofstream(pg / "20251018_142000_other.up.sql") << "SELECT 1;\n";
    std::ofstream(pg / "20251018_142000_other.down.sql") << "SELECT 1;\n";
    CHECK_THROWS_WITH(dir.list(), doctest::Contains("two migrations have version 20251018_142000"));
  }
  SUBCASE("a corrupted snapshot") {
    std::ofstream(pg / "snapshot.json") << "{ \"format\": 1, \"dialect\": ";
    CHECK_THROWS_WITH(dir.snapshot(), doctest::Contains("snapshot.json is not valid JSON"));
    CHECK_THROWS_WITH(new_migration(kSource / "schema", tmp.path, "x", "20251020_000000"),
                      doctest::Contains("does not match its schemactl.sum"));
  }
  SUBCASE("a snapshot of the wrong shape") {
    std::ofstream(pg / "snapshot.json")
        << "{ \"format\": 1, \"dialect\": \"postgres\", \"tables\": [ { \"name\": 5 } ] }";
    CHECK_THROWS_WITH(dir.snapshot(), doctest::Contains("snapshot.json"));
  }
  SUBCASE("a stray file") {
    std::ofstream(pg / "notes.txt") << "hi\n";
    CHECK_THROWS_WITH(dir.list(), doctest::Contains("unexpected file"));
  }
  SUBCASE("a missing snapshot") {
    fs::remove(pg / "snapshot.json");
    CHECK_THROWS_WITH(dir.snapshot(), doctest::Contains("snapshot.json is missing"));
  }
}

TEST_CASE("migrate: a destructive change is refused without --allow-destructive, and nothing is written") {
  TempDir tmp;
  write_history(tmp.path);
  auto before = migrate::Directory(tmp.path, DialectId::postgres).list().size();
  // The baseline registry lacks moments.speakers & co: going back to it drops them.
  CHECK_THROWS_WITH(new_migration(kSource / "tests/registries/companion_baseline", tmp.path, "undo", "20251020_000000"),
                    doctest::Contains("drops column moments.speakers and its values"));
  CHECK(migrate::Directory(tmp.path, DialectId::postgres).list().size() == before);
  migrate::NewOptions o;
  o.name = "undo";
  o.version = "20251020_000000";
  o.allow_destructive = true;
  auto r = migrate::plan_new_migration(compile_dir(kSource / "tests/registries/companion_baseline"), tmp.path, o);
  CHECK(r.plans.at(DialectId::postgres).destructive());
  bool says_so = false;
  for (const auto& [path, content] : r.files)
    if (path == "postgres/20251020_000000_undo.up.sql") says_so = content.find("-- DESTRUCTIVE") != std::string::npos;
  CHECK(says_so);
}

TEST_CASE("migrate: migration names are slugged") {
  CHECK(migrate::slug("Add Moment fields!") == "add_moment_fields");
  CHECK(migrate::slug("  x--y  ") == "x_y");
  CHECK_THROWS(migrate::slug("!!!"));
}

}  // namespace schemactl::test

namespace schemactl::test {
TEST_CASE("migrate: snapshots read back into the schema they were written from") {
  for (const char* dir :
       {"schema", "tests/registries/coverage", "tests/registries/vectors", "tests/registries/mumble"}) {
    Compiled c = compile_dir(kSource / dir);
    for (const auto& [dialect, schema] : c.schemas) {
      CAPTURE(dir);
      CAPTURE(dialect_name(dialect));
      std::string text = schema::to_snapshot_text(schema);
      schema::Schema back = schema::schema_from_json(nlohmann::json::parse(text));
      CHECK(schema::to_snapshot_text(back) == text);
      CHECK(diff::diff(back, schema).empty());
      CHECK(diff::diff(schema, back).empty());
    }
  }
}

TEST_CASE("migrate: a column's ON UPDATE is kept in snapshots - one written before there was one reads as none") {
  Compiled c = compile_dir(kSource / "tests/registries/coverage");
  const schema::Schema& tidb = c.schemas.at(DialectId::tidb);
  const schema::Column* col = tidb.table("products")->column("local_time");
  REQUIRE(col);
  CHECK(col->on_update == "CURRENT_TIMESTAMP(6)");
  CHECK(c.schemas.at(DialectId::postgres).table("products")->column("local_time")->on_update.empty());
  std::string text = schema::to_snapshot_text(tidb);
  const std::string field = ",\"on_update\":\"CURRENT_TIMESTAMP(6)\"";
  REQUIRE(text.find(field) != std::string::npos);
  schema::Schema back = schema::schema_from_json(nlohmann::json::parse(text));
  CHECK(back.table("products")->column("local_time")->on_update == "CURRENT_TIMESTAMP(6)");
  // An older snapshot has no such field: the column has no ON UPDATE, and the differ sees only that.
  std::string old = text;
  old.erase(old.find(field), field.size());
  schema::Schema before = schema::schema_from_json(nlohmann::json::parse(old));
  CHECK(before.table("products")->column("local_time")->on_update.empty());
  auto changes = diff::diff(before, tidb);
  REQUIRE(changes.size() == 1);
  const auto* alter = std::get_if<diff::AlterColumn>(&changes.front());
  REQUIRE(alter);
  CHECK(alter->table == "products");
  CHECK(alter->from.on_update.empty());
  CHECK(alter->to.on_update == "CURRENT_TIMESTAMP(6)");
  CHECK(alter->from.type == alter->to.type);
  CHECK(alter->from.default_sql == alter->to.default_sql);
}
}  // namespace schemactl::test

namespace schemactl::test {
namespace {
migrate::NewResult new_empty(const fs::path& root, const std::string& name, const std::string& version = "") {
  migrate::NewOptions o;
  o.name = name;
  o.version = version;
  o.empty = true;
  auto r = migrate::plan_new_migration(compile_dir(kSource / "schema"), root, o);
  migrate::write_new_migration(r, root);
  return r;
}
}  // namespace

TEST_CASE("migrate: versions one second later, across days and leap days") {
  CHECK(migrate::version_after("20251018_142555") == "20251018_142556");
  CHECK(migrate::version_after("20251231_235959") == "20260101_000000");
  CHECK(migrate::version_after("20240228_235959") == "20240229_000000");
  CHECK(migrate::version_after("20250228_235959") == "20250301_000000");
}

TEST_CASE("migrate: without --version, migrate new takes the next free second after the latest migration") {
  TempDir tmp;
  write_history(tmp.path);
  // Twice in a row (within one second, on any machine fast enough): both are written, in order.
  auto first = new_empty(tmp.path, "first");
  auto second = new_empty(tmp.path, "second");
  CHECK(first.id.substr(0, 15) < second.id.substr(0, 15));
  // A latest migration in the future (a clock behind, or many in one second): the second after it.
  new_empty(tmp.path, "future", "20991231_235959");
  CHECK(new_empty(tmp.path, "next").id == "21000101_000000_next");
  CHECK(new_empty(tmp.path, "after").id == "21000101_000001_after");
  auto list = migrate::Directory(tmp.path, DialectId::tidb).list();
  REQUIRE(list.size() == 7);
  CHECK(list.back().id() == "21000101_000001_after");
  for (DialectId d : kAllDialects) CHECK(migrate::verify_sum(tmp.path, d).empty());
}

TEST_CASE("migrate: migrate hash accepts a hand-filled --empty migration, and only what is on disk") {
  TempDir tmp;
  write_history(tmp.path);
  auto r = new_empty(tmp.path, "backfill", "20251020_000000");
  CHECK(migrate::rehash(tmp.path).empty());  // nothing changed yet
  for (const char* d : {"postgres", "tidb"}) {
    append(tmp.path / d / "20251020_000000_backfill.up.sql", "UPDATE moments SET key_emotions = NULL;\n");
    append(tmp.path / d / "20251020_000000_backfill.down.sql", "SELECT 1;\n");
  }
  auto problems = migrate::verify_sum(tmp.path, DialectId::postgres);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].kind == migrate::SumProblem::Kind::edited);
  CHECK_THROWS_WITH(new_empty(tmp.path, "later", "20251021_000000"),
                    doctest::Contains("does not match its schemactl.sum"));

  auto changes = migrate::rehash(tmp.path);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].path == "postgres/schemactl.sum");
  CHECK(changes[1].path == "tidb/schemactl.sum");
  write_staged(tmp.path, changes);
  for (DialectId d : kAllDialects) CHECK(migrate::verify_sum(tmp.path, d).empty());
  const std::string sum = read(tmp.path / "postgres/schemactl.sum");
  CHECK(sum.find("20251020_000000_backfill.up.sql " +
                 sha256_hex(read(tmp.path / "postgres/20251020_000000_backfill.up.sql"))) != std::string::npos);
  CHECK(migrate::rehash(tmp.path).empty());
  // A later migration builds on it, and a later edit is caught again.
  auto later = new_empty(tmp.path, "later", "20251021_000000");
  CHECK(migrate::Directory(tmp.path, DialectId::postgres).list().size() == 4);
  append(tmp.path / "tidb/20251020_000000_backfill.up.sql", "-- again\n");
  CHECK(migrate::verify_sum(tmp.path, DialectId::tidb).size() == 1);
  CHECK(migrate::verify_sum(tmp.path, DialectId::postgres).empty());
}

TEST_CASE("migrate: migrate hash refuses a directory whose layout is broken") {
  TempDir tmp;
  write_history(tmp.path);
  fs::remove(tmp.path / "postgres/20251018_142555_add_moment_session_fields.down.sql");
  CHECK_THROWS_WITH(migrate::rehash(tmp.path),
                    doctest::Contains("20251018_142555_add_moment_session_fields.down.sql is missing"));
  std::ofstream(tmp.path / "tidb/snapshot.json") << "{";
  fs::remove(tmp.path / "postgres/20251018_142555_add_moment_session_fields.up.sql");
  CHECK_THROWS_WITH(migrate::rehash(tmp.path), doctest::Contains("snapshot.json is not valid JSON"));
}
}  // namespace schemactl::test

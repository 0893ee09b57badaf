// The team workflow without a database or git: lineage markers, forks after a merge, moving a blank
// migration (`migrate rebase`), `migrate rm`, which objects two change lists share, and the
// repeat-until-zero marker. With git branches and real servers: tests/integration/workflow_test.cpp.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "apply/splitter.hpp"
#include "diff/objects.hpp"
#include "file_tree.hpp"
#include "migrate/directory.hpp"
#include "migrate/lineage.hpp"
#include "migrate/new_migration.hpp"
#include "migrate/rebase.hpp"
#include "migrate/remove.hpp"
#include "migrate/sum.hpp"
#include "output/fileset.hpp"
#include "test_support.hpp"
#include "util/text.hpp"

namespace schemactl::test {
namespace {

namespace fs = std::filesystem;
const fs::path kSource = SCHEMACTL_SOURCE_DIR;

Compiled compiled(const fs::path& dir) {
  return compile_registry(registry::read_registry_dir(dir));
}

migrate::NewResult plan(const fs::path& registry, const fs::path& root, const std::string& name,
                        const std::string& version, bool empty = false) {
  migrate::NewOptions o;
  o.name = name;
  o.version = version;
  o.empty = empty;
  auto r = migrate::plan_new_migration(compiled(registry), root, o);
  migrate::write_new_migration(r, root);
  return r;
}

void write_history(const fs::path& root) {
  plan(kSource / "tests/registries/companion_baseline", root, "baseline", "20251018_142000");
  plan(kSource / "schema", root, "add_moment_session_fields", "20251018_142555");
}

std::string read(const fs::path& p) {
  std::string s;
  REQUIRE_MESSAGE(read_file(p, s), "cannot read " << p);
  return s;
}

migrate::Lineage lineage_of(const fs::path& up) {
  return migrate::read_lineage(read(up));
}

// Branch a's and branch b's blank migrations, each made from the same history, in one directory as
// a merge leaves them (b's files added to a's; a's snapshot and sum).
// (`b_version`: the version branch b's migration got.)
void merged_blank_pair(const fs::path& a, const std::string& b_version = "20251101_000005") {
  TempDir b;
  write_history(a);
  write_history(b.path);
  plan(kSource / "schema", a, "backfill_a", "20251101_000000", true);
  plan(kSource / "schema", b.path, "backfill_b", b_version, true);
  for (const char* d : {"postgres", "tidb"})
    for (const char* half : {".up.sql", ".down.sql"}) {
      std::string f = b_version + "_backfill_b" + half;
      fs::copy_file(b.path / d / f, a / d / f);
    }
}

}  // namespace

TEST_CASE("lineage: each planned migration records the snapshot it was planned from and the one it leaves") {
  TempDir tmp;
  plan(kSource / "tests/registries/companion_baseline", tmp.path, "baseline", "20251018_142000");
  const std::string after_baseline = sha256_hex(read(tmp.path / "postgres/snapshot.json"));
  plan(kSource / "schema", tmp.path, "add_moment_session_fields", "20251018_142555");
  const std::string after_second = sha256_hex(read(tmp.path / "postgres/snapshot.json"));
  CHECK(after_baseline != after_second);
  auto first = lineage_of(tmp.path / "postgres/20251018_142000_baseline.up.sql");
  auto second = lineage_of(tmp.path / "postgres/20251018_142555_add_moment_session_fields.up.sql");
  CHECK(first.recorded());
  CHECK(first.snapshot == after_baseline);
  CHECK(second.parent == after_baseline);
  CHECK(second.snapshot == after_second);
  // A blank migration leaves the state as it found it.
  plan(kSource / "schema", tmp.path, "backfill", "20251020_000000", true);
  auto blank = lineage_of(tmp.path / "postgres/20251020_000000_backfill.up.sql");
  CHECK(blank.parent == after_second);
  CHECK(blank.snapshot == after_second);
  // The markers are read from the header only, and only as 64 hex digits.
  CHECK_FALSE(migrate::read_lineage("SELECT 1;\n-- schemactl:parent " + after_second + "\n").recorded());
  CHECK(migrate::read_lineage("-- schemactl:parent xyz\n-- schemactl:snapshot xyz\n").parent.empty());
  // No hash of the rest of the registry anywhere in a new file: a branch's migration does not change
  // when another branch changes the registry.
  CHECK(read(tmp.path / "postgres/20251018_142555_add_moment_session_fields.up.sql").find("registry sha256") ==
        std::string::npos);
}

TEST_CASE("lineage: two migrations planned from one snapshot are a fork naming both - a linear history has none") {
  TempDir tmp;
  write_history(tmp.path);
  migrate::Directory dir(tmp.path, DialectId::postgres);
  CHECK(migrate::find_forks(migrate::read_lineages(dir.list())).empty());
  CHECK(migrate::chain_breaks(migrate::read_lineages(dir.list())).empty());
  TempDir merged;
  merged_blank_pair(merged.path);
  for (DialectId d : kAllDialects) {
    auto entries = migrate::read_lineages(migrate::Directory(merged.path, d).list());
    auto forks = migrate::find_forks(entries);
    REQUIRE(forks.size() == 1);
    CHECK(forks[0].first.id() == "20251101_000000_backfill_a");
    CHECK(forks[0].later.id() == "20251101_000005_backfill_b");
    CHECK(migrate::chain_breaks(entries).empty());  // the fork is the one thing to say
  }
}

TEST_CASE("rebase: a blank migration moves after the other with its statements, lineage, snapshot and sum fixed") {
  TempDir tmp;
  merged_blank_pair(tmp.path);
  for (const char* d : {"postgres", "tidb"}) {
    std::ofstream(tmp.path / d / "20251101_000005_backfill_b.up.sql", std::ios::app) << "UPDATE moments SET x = 1;\n";
  }
  const std::string snapshot_before = read(tmp.path / "postgres/snapshot.json");
  CHECK_THROWS_WITH(
      migrate::plan_rebase([] { return compiled(kSource / "schema"); }, tmp.path, {"20251101_000000"}),
      doctest::Contains("is the later one: rebase that one (`schemactl migrate rebase 20251101_000005`)"));
  auto r = migrate::plan_rebase([] { return compiled(kSource / "schema"); }, tmp.path, {"20251101_000005"});
  CHECK(r.from_id == "20251101_000005_backfill_b");
  CHECK(r.onto_id == "20251101_000000_backfill_a");
  CHECK(r.to_id > "20251101_000005_backfill_b");
  write_staged(tmp.path, r.changes);
  for (DialectId d : kAllDialects) {
    migrate::Directory dir(tmp.path, d);
    CHECK(migrate::verify_sum(dir).empty());
    auto entries = migrate::read_lineages(dir.list());
    REQUIRE(entries.size() == 4);
    CHECK(migrate::find_forks(entries).empty());
    CHECK(migrate::chain_breaks(entries).empty());
    CHECK(entries.back().migration.id() == r.to_id);
    CHECK(entries.back().lineage.parent == entries[2].lineage.snapshot);
    std::string up = read(entries.back().migration.up_path);
    CHECK(up.find("UPDATE moments SET x = 1;\n") != std::string::npos);
    CHECK(starts_with(up, "-- schemactl migration " + r.to_id + ": up"));
    CHECK_FALSE(fs::exists(dir.path() / "20251101_000005_backfill_b.up.sql"));
  }
  CHECK(read(tmp.path / "postgres/snapshot.json") == snapshot_before);
  // Nothing left to rebase.
  CHECK_THROWS_WITH(
      migrate::plan_rebase([] { return compiled(kSource / "schema"); }, tmp.path, {r.to_id.substr(0, 15)}),
      doctest::Contains("nothing to rebase"));
}

// Found by the adversary: two branches whose `migrate new` ran in the same second (or both bumped
// past the same latest migration) give two migrations with one version; rebase then stopped with
// "two migrations have version ...".
TEST_CASE("rebase: two branches' migrations with the same version: named by VERSION_NAME, one is re-planned") {
  TempDir a;
  merged_blank_pair(a.path, "20251101_000000");
  auto rebase = [&](const std::string& target) {
    return migrate::plan_rebase([] { return compiled(kSource / "schema"); }, a.path, {target});
  };
  const std::string ambiguous = "2 migrations have version 20251101_000000 in " + (a.path / "postgres").string() +
                                " (20251101_000000_backfill_a, 20251101_000000_backfill_b): name the one to "
                                "re-plan, e.g. `schemactl migrate rebase 20251101_000000_backfill_b`";
  CHECK_THROWS_WITH(rebase("20251101_000000"), doctest::Contains(ambiguous.c_str()));
  CHECK_THROWS_WITH(rebase("20251101_000000_nope"), doctest::Contains("no migration 20251101_000000_nope in"));
  CHECK_THROWS_WITH(rebase("20251101_000000_"), doctest::Contains("is neither a version"));
  auto r = rebase("20251101_000000_backfill_b");
  CHECK(r.from_id == "20251101_000000_backfill_b");
  CHECK(r.onto_id == "20251101_000000_backfill_a");
  write_staged(a.path, r.changes);
  for (DialectId d : kAllDialects) {
    migrate::Directory dir(a.path, d);
    CHECK(dir.scan().problems.empty());
    CHECK(migrate::verify_sum(dir).empty());
    auto entries = migrate::read_lineages(dir.list());
    REQUIRE(entries.size() == 4);
    CHECK(migrate::find_forks(entries).empty());
    CHECK(migrate::chain_breaks(entries).empty());
    CHECK(entries.back().migration.id() == r.to_id);
    CHECK(entries.back().migration.version > "20251101_000000");
  }
}

TEST_CASE("rebase: refuses a migration written before lineage markers, and a state it cannot find") {
  TempDir tmp;
  write_history(tmp.path);
  // The shipped files have no markers.
  for (const char* d : {"postgres", "tidb"})
    fs::copy_file(kSource / "migrations" / d / "20251018_142555_add_moment_session_fields.up.sql",
                  tmp.path / d / "20251018_142555_add_moment_session_fields.up.sql",
                  fs::copy_options::overwrite_existing);
  CHECK_THROWS_WITH(migrate::plan_rebase([] { return compiled(kSource / "schema"); }, tmp.path, {"20251018_142555"}),
                    doctest::Contains("has no `-- schemactl:parent` marker"));
  TempDir merged;
  merged_blank_pair(merged.path);
  // snapshot.json is another state than backfill_a leaves, and there is no git repository around it.
  std::ofstream(merged.path / "postgres/snapshot.json", std::ios::app) << "\n";
  CHECK_THROWS_WITH(migrate::plan_rebase([] { return compiled(kSource / "schema"); }, merged.path, {"20251101_000005"}),
                    doctest::Contains("cannot find the state 20251101_000000_backfill_a leaves"));
}

TEST_CASE("rm: the latest migration goes, snapshot.json and the sum are as before it - not a middle one") {
  TempDir tmp;
  write_history(tmp.path);
  auto before = file_tree(tmp.path);
  plan(kSource / "schema", tmp.path, "backfill", "20251020_000000", true);
  plan(kSource / "schema", tmp.path, "backfill_two", "20251020_000001", true);
  CHECK_THROWS_WITH(migrate::plan_remove(tmp.path, "20251020_000000"),
                    doctest::Contains("20251020_000000_backfill is not the latest migration "
                                      "(20251020_000001_backfill_two came after it"));
  CHECK_THROWS_WITH(migrate::plan_remove(tmp.path, "20251020_000009"), doctest::Contains("no migration with version"));
  write_staged(tmp.path, migrate::plan_remove(tmp.path, "20251020_000001").changes);
  write_staged(tmp.path, migrate::plan_remove(tmp.path, "20251020_000000").changes);
  CHECK(file_tree(tmp.path) == before);
  // A directory that does not match its sum is not touched.
  std::ofstream(tmp.path / "tidb/20251018_142555_add_moment_session_fields.up.sql", std::ios::app) << "-- x\n";
  CHECK_THROWS_WITH(migrate::plan_remove(tmp.path, "20251018_142555"), doctest::Contains("does not match its"));
}

TEST_CASE("rm: removing the only migration leaves no recorded state") {
  TempDir tmp;
  plan(kSource / "tests/registries/companion_baseline", tmp.path, "baseline", "20251018_142000");
  write_staged(tmp.path, migrate::plan_remove(tmp.path, "20251018_142000").changes);
  for (const char* d : {"postgres", "tidb"}) CHECK(fs::is_empty(tmp.path / d));
  // ... and planning again gives the same files.
  plan(kSource / "tests/registries/companion_baseline", tmp.path, "baseline", "20251018_142000");
  CHECK(migrate::verify_sum(tmp.path, DialectId::postgres).empty());
}

TEST_CASE("objects: two change lists overlap where both change one object and leave it differently") {
  schema::Column x{"x", "TEXT", true, "", false, "", "", "", ""};
  schema::Column x2{"x", "BIGINT", true, "", false, "", "", "", ""};
  schema::Column y{"y", "TEXT", true, "", false, "", "", "", ""};
  std::vector<diff::Change> a = {diff::AddColumn{"moments", x}};
  std::vector<diff::Change> b_same = {diff::AddColumn{"moments", x}};
  std::vector<diff::Change> b_other = {diff::AddColumn{"moments", y}};
  std::vector<diff::Change> b_differs = {diff::AddColumn{"moments", x2}};
  // The same column added the same way on both sides: the results agree on it.
  CHECK(diff::incompatible_overlaps(a, b_same, {}).empty());
  CHECK(
      diff::incompatible_overlaps(a, b_other, {diff::DropColumn{"moments", x}, diff::AddColumn{"moments", y}}).empty());
  auto o = diff::incompatible_overlaps(a, b_differs, {diff::AlterColumn{"moments", x, x2}});
  REQUIRE(o.size() == 1);
  CHECK(o[0].object.describe() == "column moments.x");
  // Dropping a table overlaps anything done to its columns.
  schema::Table t;
  t.name = "moments";
  auto d = diff::incompatible_overlaps({diff::DropTable{t}}, b_other, {diff::CreateTable{t}});
  REQUIRE(d.size() == 1);
  CHECK(d[0].object.describe() == "column moments.y");
}

TEST_CASE("splitter: the repeat-until-zero marker tags the statement after it, on both dialects") {
  for (DialectId d : kAllDialects) {
    CAPTURE(dialect_name(d));
    auto s = apply::split_statements(
        "UPDATE a SET x = 1;\n-- schemactl:repeat-until-zero\nUPDATE b SET y = 1 WHERE y IS NULL LIMIT 10;\n"
        "-- schemactl:repeat-until-zero max-batches=50\nDELETE FROM c WHERE z LIMIT 5;\nSELECT 1;\n",
        d);
    REQUIRE(s.size() == 4);
    CHECK_FALSE(s[0].repeat_until_zero);
    CHECK(s[1].repeat_until_zero);
    CHECK(s[1].max_batches == 0);
    CHECK(s[2].repeat_until_zero);
    CHECK(s[2].max_batches == 50);
    CHECK_FALSE(s[3].repeat_until_zero);
    CHECK_THROWS_WITH(
        apply::split_statements("SELECT 1;\n-- schemactl:repeat-until-zero max=5\nUPDATE t SET x=1;\n", d),
        doctest::Contains("line 2: `-- schemactl:repeat-until-zero max=5`: the marker takes only"));
    CHECK_THROWS_WITH(apply::split_statements("-- schemactl:repeat-until-zero max-batches=0\nUPDATE t SET x=1;\n", d),
                      doctest::Contains("line 1"));
    // A comment that only starts like the marker is an ordinary comment.
    CHECK_FALSE(
        apply::split_statements("-- schemactl:repeat-until-zeros\nUPDATE t SET x=1;\n", d)[0].repeat_until_zero);
  }
}

}  // namespace schemactl::test

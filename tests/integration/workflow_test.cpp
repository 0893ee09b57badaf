// The team workflow end to end, as two developers and a CI job would run it: two real git branches
// that each change the registry and run `migrate new`, merged; `migrate check` names the two
// migrations planned from one snapshot; `migrate rebase` re-plans the later one; `migrate up` on the
// real servers applies both. Also `migrate rm` (refused once a database applied it), the README's
// hand-written data migration (`--empty` -> edit -> `migrate hash` -> `migrate check`) and batched
// data changes (`-- schemactl:repeat-until-zero`), killed with -9 mid-run and resumed.
#include <doctest/doctest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_support.hpp"
#include "migrate/directory.hpp"
#include "output/fileset.hpp"
#include "util/text.hpp"

namespace schemactl::test {
namespace {

const fs::path kSource = SCHEMACTL_SOURCE_DIR;

Run tool(const fs::path& dir, const std::string& args) {
  return in(dir, std::string(SCHEMACTL_BINARY) + " " + args);
}

std::string read(const fs::path& p) {
  std::string s;
  REQUIRE_MESSAGE(read_file(p, s), "cannot read " << p);
  return s;
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// The first occurrence of `what` in `file` replaced by `with`.
void replace_first(const fs::path& file, const std::string& what, const std::string& with) {
  std::string text = read(file);
  auto at = text.find(what);
  REQUIRE_MESSAGE(at != std::string::npos, what << " not in " << file);
  text.replace(at, what.size(), with);
  write(file, text);
}

// A repository holding the shipped registry, templates, generated/ and migrations/ on `main`.
void make_repo(const fs::path& repo) {
  for (const char* d : {"schema", "templates", "generated", "migrations"})
    fs::copy(kSource / d, repo / d, fs::copy_options::recursive);
  REQUIRE(git(repo, "init -q -b main .").status == 0);
  REQUIRE(git(repo, "add -A").status == 0);
  REQUIRE(git(repo, "commit -q -m registry").status == 0);
}

// On a new branch from main: edit the registry, generate, plan the migration, commit.
void branch(const fs::path& repo, const std::string& name, const std::string& file, const std::string& before,
            const std::string& line, const std::string& version) {
  REQUIRE(git(repo, "checkout -q -b " + name + " main").status == 0);
  replace_first(repo / "schema" / file, before, line);
  Run gen = tool(repo, "generate");
  REQUIRE_MESSAGE(gen.status == 0, gen.output);
  Run mig = tool(repo, "migrate new " + name + " --version " + version);
  REQUIRE_MESSAGE(mig.status == 0, mig.output);
  REQUIRE(git(repo, "add -A").status == 0);
  REQUIRE(git(repo, "commit -q -m " + name).status == 0);
}

// Merges `other` into the checked-out branch; for every conflicted file under migrations/ takes
// `side` (--ours / --theirs), as the README tells a team to; other conflicts are left to the caller.
Run merge(const fs::path& repo, const std::string& other, const std::string& side) {
  Run m = git(repo, "merge -q --no-edit " + other);
  Run conflicted = git(repo, "diff --name-only --diff-filter=U");
  std::istringstream names(conflicted.output);
  std::string f;
  while (std::getline(names, f))
    if (starts_with(f, "migrations/")) {
      REQUIRE(git(repo, "checkout " + side + " -- " + f).status == 0);
      REQUIRE(git(repo, "add " + f).status == 0);
    }
  return m;
}

std::string column_count(const FreshDatabase& db, const std::string& table, const std::string& column) {
  return scalar(db, db.url().dialect == DialectId::postgres
                        ? "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND "
                          "table_name = '" +
                              table + "' AND column_name = '" + column + "'"
                        : "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND "
                          "TABLE_NAME = '" +
                              table + "' AND COLUMN_NAME = '" + column + "'")
      .value_or("?");
}

}  // namespace

TEST_CASE("workflow: two branches that each ran migrate new, merged: check names both, rebase, up applies both") {
  TempDir tmp;
  const fs::path repo = tmp.path;
  make_repo(repo);
  branch(repo, "add_nickname", "persona.yaml", "      description: text\n",
         "      nickname: string(40)\n      description: text\n", "20260101_000000");
  branch(repo, "add_mood", "moment.yaml", "    columns:\n      id:\n",
         "    columns:\n      mood: string(20)\n      id:\n", "20260101_000005");
  REQUIRE(git(repo, "checkout -q add_nickname").status == 0);
  const std::string a_commit = trim(git(repo, "rev-parse HEAD").output);
  merge(repo, "add_mood", "--ours");
  // Only migrations/ conflicted: the generated files hold nothing registry-wide, so they merged.
  Run left = git(repo, "diff --name-only --diff-filter=U");
  CHECK(left.output.empty());
  REQUIRE(git(repo, "add -A").status == 0);
  REQUIRE(git(repo, "commit -q --no-edit").status == 0);
  Run gen = tool(repo, "generate --check");
  CHECK_MESSAGE(gen.status == 0, gen.output);

  Run check = tool(repo, "migrate check");
  INFO(check.output);
  CHECK(check.status == 3);
  for (const char* d : {"postgres", "tidb"})
    CHECK(check.output.find(std::string(d) + ": two migrations were planned from the same snapshot") !=
          std::string::npos);
  CHECK(check.output.find("20260101_000000_add_nickname and 20260101_000005_add_mood") != std::string::npos);
  CHECK(check.output.find("`schemactl migrate rebase 20260101_000005`") != std::string::npos);
  // Nothing else is reported for a dialect with a fork (the rebase fixes the sum and snapshot).
  CHECK(check.output.find("edited") == std::string::npos);

  Run earlier = tool(repo, "migrate rebase 20260101_000000");
  CHECK(earlier.status == 1);
  CHECK(earlier.output.find("rebase that one (`schemactl migrate rebase 20260101_000005`)") != std::string::npos);
  Run rebase = tool(repo, "migrate rebase 20260101_000005");
  INFO(rebase.output);
  REQUIRE(rebase.status == 0);
  CHECK(rebase.output.find("re-planned 20260101_000005_add_mood on top of 20260101_000000_add_nickname") !=
        std::string::npos);
  Run again = tool(repo, "migrate check");
  CHECK_MESSAGE(again.status == 0, again.output);
  auto list = schemactl::migrate::Directory(repo / "migrations", DialectId::postgres).list();
  REQUIRE(list.size() == 4);
  CHECK(list[2].id() == "20260101_000000_add_nickname");
  CHECK(list[3].name == "add_mood");
  CHECK(list[3].version > "20260101_000005");
  CHECK_FALSE(fs::exists(repo / "migrations/postgres/20260101_000005_add_mood.up.sql"));
  CHECK(read(list[3].up_path).find("-- schemactl:after 20260101_000000_add_nickname\n") != std::string::npos);
  REQUIRE(git(repo, "add -A").status == 0);
  REQUIRE(git(repo, "commit -q -m rebase").status == 0);

  each_dialect([&](const db::DatabaseUrl& server, DialectId) {
    FreshDatabase db(server, "workflow_merge");
    create_contents(db);
    Run up = migrate("up", db, repo / "migrations");
    CHECK_MESSAGE(up.status == 0, up.output);
    CHECK(history(db).size() == 4);
    CHECK(column_count(db, "personas", "nickname") == "1");
    CHECK(column_count(db, "moments", "mood") == "1");
    // The latest cannot be removed while this database has it; without --url it can.
    std::string id = list[3].id();
    Run rm = tool(repo, "migrate rm " + list[3].version + " --url '" + url_text(db.url()) + "'");
    CHECK(rm.status == 1);
    CHECK(rm.output.find("has " + id + " in its history (state applied)") != std::string::npos);
    if (db.url().password.size() >= 8) CHECK(rm.output.find(db.url().password) == std::string::npos);
    CHECK(fs::exists(list[3].up_path));
  });

  // Removing it puts snapshot.json and the sum back to what the merged branch a had.
  Run rm = tool(repo, "migrate rm " + list[3].version);
  CHECK_MESSAGE(rm.status == 0, rm.output);
  Run after_rm = tool(repo, "migrate check");
  CHECK(after_rm.status == 3);  // the registry still has the mood column: no migration captures it
  CHECK(after_rm.output.find("add column moments.mood") != std::string::npos);
  CHECK(after_rm.output.find("edited") == std::string::npos);
  Run shown = git(repo, "show " + a_commit + ":migrations/postgres/snapshot.json");
  CHECK(shown.output == read(repo / "migrations/postgres/snapshot.json"));
}

TEST_CASE("workflow: two branches that change one column differently: rebase refuses and names it") {
  TempDir tmp;
  const fs::path repo = tmp.path;
  make_repo(repo);
  branch(repo, "nickname_text", "persona.yaml", "      description: text\n",
         "      nickname: string(40)\n      description: text\n", "20260101_000000");
  branch(repo, "nickname_int", "persona.yaml", "      description: text\n",
         "      nickname: int\n      description: text\n", "20260101_000005");
  REQUIRE(git(repo, "checkout -q nickname_text").status == 0);
  Run m = merge(repo, "nickname_int", "--theirs");
  CHECK(m.status != 0);  // persona.yaml conflicts too: the team keeps branch b's registry
  REQUIRE(git(repo, "checkout --theirs -- schema generated").status == 0);
  REQUIRE(git(repo, "add -A").status == 0);
  REQUIRE(git(repo, "commit -q --no-edit").status == 0);
  Run check = tool(repo, "migrate check");
  CHECK(check.status == 3);
  CHECK(check.output.find("20260101_000000_nickname_text and 20260101_000005_nickname_int") != std::string::npos);
  const std::string before = read(repo / "migrations/postgres/schemactl.sum");
  Run rebase = tool(repo, "migrate rebase 20260101_000005");
  INFO(rebase.output);
  CHECK(rebase.status == 1);
  CHECK(rebase.output.find("change the same object differently") != std::string::npos);
  CHECK(rebase.output.find("column personas.nickname: the other branch: add column personas.nickname; "
                           "20260101_000005_nickname_int: add column personas.nickname") != std::string::npos);
  CHECK(read(repo / "migrations/postgres/schemactl.sum") == before);  // nothing written
  CHECK(fs::exists(repo / "migrations/tidb/20260101_000005_nickname_int.up.sql"));
}

namespace {

// `items` with `rows` rows (id 1..rows, flag NULL), filled by the server itself.
void create_items(const FreshDatabase& db, int rows) {
  auto conn = db.connect();
  if (db.url().dialect == DialectId::postgres) {
    conn->execute("CREATE TABLE items (id INT PRIMARY KEY, flag INT)");
    conn->execute("INSERT INTO items (id) SELECT g FROM generate_series(1, " + std::to_string(rows) + ") g");
  } else {
    conn->execute("CREATE TABLE items (id INT PRIMARY KEY, flag INT) ENGINE=InnoDB");
    conn->execute("SET SESSION max_recursive_iterations = 100000000");
    conn->execute("INSERT INTO items (id) WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
                  std::to_string(rows) + ") SELECT i FROM n");
  }
}

// A batch of `batch` rows of `items` still NULL, set to 1, taking some 50 ms so that a test can kill
// the run in the middle (MariaDB evaluates SLEEP per row). The dialect's own form of a limited UPDATE.
std::string batched_update(DialectId d, int batch) {
  if (d == DialectId::postgres)
    return "UPDATE items SET flag = 1 WHERE id IN (SELECT id FROM items WHERE flag IS NULL ORDER BY id LIMIT " +
           std::to_string(batch) + ") AND (SELECT pg_sleep(0.05)) IS NOT NULL";
  return "UPDATE items SET flag = 1 WHERE flag IS NULL AND SLEEP(0.00005) = 0 ORDER BY id LIMIT " +
         std::to_string(batch);
}

std::string count_of(const FreshDatabase& db, const std::string& where) {
  return scalar(db, "SELECT COUNT(*) FROM items WHERE " + where).value_or("?");
}

}  // namespace

TEST_CASE("workflow: a repeat-until-zero UPDATE runs in batches, each its own transaction, and resumes after kill -9") {
  each_dialect([](const db::DatabaseUrl& server, DialectId d) {
    FreshDatabase db(server, "workflow_batches");
    const int rows = 20000, batch = 400;  // 50 batches
    create_items(db, rows);
    TempDir mig;
    write_migration(mig.path, d, "20260201_000000_backfill",
                    "-- schemactl:repeat-until-zero\n" + batched_update(d, batch) + ";\n",
                    "UPDATE items SET flag = NULL;\n");
    Run plan = migrate("plan", db, mig.path);
    CHECK(plan.status == 0);
    CHECK(plan.output.find("-- schemactl:repeat-until-zero (repeated until it changes 0 rows, each batch its own "
                           "transaction, at most 100000 batches)") != std::string::npos);
    Background run("up", db, mig.path);
    // The history table first (the query below fails without it), then five batches.
    REQUIRE(wait_for_row(db, d == DialectId::postgres
                                 ? "SELECT 1 FROM pg_tables WHERE tablename = 'schemactl_migrations'"
                                 : "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                                   "DATABASE() AND TABLE_NAME = 'schemactl_migrations'"));
    REQUIRE(wait_for_row(db, "SELECT 1 FROM schemactl_migrations WHERE batches_done >= 5"));
    run.signal(SIGKILL);
    run.wait();
    // What was committed is exactly what the history says: each batch commits with its progress.
    auto h = history(db);
    REQUIRE(h.size() == 1);
    CHECK(h[0].state == apply::RowState::partial);
    CHECK(h[0].statements_applied == 0);
    CHECK(h[0].batches_done >= 5);
    CHECK(h[0].batches_done < rows / batch);
    CHECK(std::to_string(h[0].rows_done) == count_of(db, "flag = 1"));
    CHECK(h[0].rows_done == h[0].batches_done * batch);
    Run status = migrate("status", db, mig.path);
    CHECK(status.output.find("(repeat-until-zero) has committed " + std::to_string(h[0].batches_done) + " batch(es)") !=
          std::string::npos);
    Run up = migrate("up", db, mig.path, "--lock-timeout 60");
    INFO(up.output);
    REQUIRE(up.status == 0);
    CHECK(up.output.find("resuming after " + std::to_string(h[0].batches_done) + " batch(es)") != std::string::npos);
    // 50 batches of 400 and the one that found nothing left.
    CHECK(up.output.find("repeated until 0 rows: 51 batch(es), 20000 row(s) changed") != std::string::npos);
    CHECK(count_of(db, "flag = 1") == "20000");
    h = history(db);
    CHECK(h[0].state == apply::RowState::applied);
    CHECK(h[0].batches_done == 0);
  });
}

TEST_CASE("workflow: a repeat-until-zero statement that never reaches 0 rows stops at its bound") {
  each_dialect([](const db::DatabaseUrl& server, DialectId d) {
    FreshDatabase db(server, "workflow_bound");
    create_items(db, 100);
    // A marker on a statement that is not a data change is refused before anything runs.
    TempDir bad;
    write_migration(bad.path, d, "20260201_000000_bad", "-- schemactl:repeat-until-zero\nCREATE TABLE t (id INT);\n",
                    "SELECT 1;\n");
    Run refused = migrate("plan", db, bad.path);
    CHECK(refused.status == 1);
    CHECK(refused.output.find("20260201_000000_bad.up.sql:2: 'CREATE TABLE t (id INT)' follows") != std::string::npos);
    TempDir mig;
    write_migration(mig.path, d, "20260201_000000_endless",
                    "-- schemactl:repeat-until-zero max-batches=5\nUPDATE items SET flag = COALESCE(flag, 0) + 1 "
                    "WHERE id <= 10;\n",
                    "SELECT 1;\n");
    Run up = migrate("up", db, mig.path);
    INFO(up.output);
    CHECK(up.status == 1);
    CHECK(up.output.find("still changed rows after 5 batches (50 rows)") != std::string::npos);
    CHECK(up.output.find("max-batches=N") != std::string::npos);
    CHECK(count_of(db, "flag = 5") == "10");  // five batches committed, no more
    auto h = history(db);
    REQUIRE(h.size() == 1);
    CHECK(h[0].state == apply::RowState::partial);
    CHECK(h[0].batches_done == 5);
  });
}

namespace {

// The SQL block that follows `<!-- example: NAME -->` in README.md.
std::string readme_example(const std::string& name) {
  std::string text = read(kSource / "README.md");
  auto at = text.find("<!-- example: " + name + " -->\n```sql\n");
  REQUIRE_MESSAGE(at != std::string::npos, "README.md has no example " << name);
  at = text.find("```sql\n", at) + 7;
  return text.substr(at, text.find("```\n", at) - at);
}

void create_topics(const FreshDatabase& db) {
  auto conn = db.connect();
  if (db.url().dialect == DialectId::postgres) {
    conn->execute(
        "CREATE TABLE topics (id UUID PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL, last_crawl_at TIMESTAMPTZ, "
        "total_contents INT NOT NULL, last_summary TEXT)");
    conn->execute(
        "INSERT INTO topics SELECT gen_random_uuid(), now() - interval '10 days', CASE WHEN g % 2 = 0 THEN now() "
        "END, CASE WHEN g <= 2400 THEN g ELSE 0 END, NULL FROM generate_series(1, 2500) g");
  } else {
    conn->execute(
        "CREATE TABLE topics (id VARCHAR(255) PRIMARY KEY, created_at TIMESTAMP(6) NOT NULL, last_crawl_at "
        "TIMESTAMP(6) NULL, total_contents INT NOT NULL, last_summary TEXT)");
    conn->execute("SET SESSION max_recursive_iterations = 100000");
    conn->execute(
        "INSERT INTO topics WITH RECURSIVE n (g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM n WHERE g < 2500) SELECT "
        "UUID(), NOW(6) - INTERVAL 10 DAY, CASE WHEN g % 2 = 0 THEN NOW(6) END, CASE WHEN g <= 2400 THEN g ELSE 0 "
        "END, NULL FROM n");
  }
}

}  // namespace

TEST_CASE("workflow: the README's data migration: --empty, edit, migrate hash, migrate check, up and down") {
  TempDir tmp;
  const fs::path repo = tmp.path;
  make_repo(repo);
  Run blank = tool(repo, "migrate new period_0 --empty");
  REQUIRE_MESSAGE(blank.status == 0, blank.output);
  auto list = schemactl::migrate::Directory(repo / "migrations", DialectId::postgres).list();
  REQUIRE(list.size() == 3);
  const std::string id = list.back().id();
  for (const char* d : {"postgres", "tidb"}) {
    std::ofstream(repo / "migrations" / d / (id + ".up.sql"), std::ios::app) << readme_example(d + std::string(" up"));
    std::ofstream(repo / "migrations" / d / (id + ".down.sql"), std::ios::app)
        << readme_example(d + std::string(" down"));
  }
  Run edited = tool(repo, "migrate check");
  CHECK(edited.status == 3);
  CHECK(edited.output.find("edited: migrations/postgres/" + id + ".up.sql") != std::string::npos);
  Run hash = tool(repo, "migrate hash");
  CHECK_MESSAGE(hash.status == 0, hash.output);
  Run check = tool(repo, "migrate check");
  CHECK_MESSAGE(check.status == 0, check.output);
  // A later `migrate new` builds on it.
  Run nothing = tool(repo, "migrate new again");
  CHECK(nothing.status == 0);
  CHECK(nothing.output.find("nothing to do") != std::string::npos);

  each_dialect([&](const db::DatabaseUrl& server, DialectId) {
    FreshDatabase db(server, "workflow_period0");
    create_contents(db);
    create_topics(db);
    Run up = migrate("up", db, repo / "migrations");
    INFO(up.output);
    REQUIRE(up.status == 0);
    // 2400 topics with content: three batches of 1000 or fewer, then one that finds none left.
    CHECK(up.output.find("repeated until 0 rows: 4 batch(es), 2400 row(s) changed") != std::string::npos);
    CHECK(scalar(db, "SELECT COUNT(*) FROM analysis_periods WHERE period_number = 0") ==
          std::optional<std::string>("2400"));
    CHECK(scalar(db, "SELECT COUNT(DISTINCT entity_id) FROM analysis_periods") == std::optional<std::string>("2400"));
    Run down = migrate("down", db, repo / "migrations");
    CHECK_MESSAGE(down.status == 0, down.output);
    CHECK(scalar(db, "SELECT COUNT(*) FROM analysis_periods") == std::optional<std::string>("0"));
  });
}

}  // namespace schemactl::test

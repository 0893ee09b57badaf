// What `migrate plan` shows: statements whole, the files' step comments in markdown, and for a
// destructive step what it loses.
#include <doctest/doctest.h>

#include "cli_support.hpp"
#include "util/text.hpp"

namespace schemactl::test {
namespace {

const fs::path kShipped = fs::path(SCHEMACTL_SOURCE_DIR) / "migrations";

// The line after `comment` in `text`, past the "-- locks ..." lines the plan adds ("" if absent).
std::string statement_after(const std::string& text, const std::string& comment) {
  std::size_t at = text.find("\n" + comment + "\n");
  if (at == std::string::npos) return "";
  at += comment.size() + 2;
  while (text.compare(at, 9, "-- locks ") == 0) at = text.find('\n', at) + 1;
  return text.substr(at, text.find('\n', at) - at);
}

}  // namespace

TEST_CASE("plan: a long statement is shown whole, line by line, in text output") {
  each_dialect([](const db::DatabaseUrl& server, DialectId d) {
    FreshDatabase db(server, "plan_long");
    TempDir dir;
    // One statement of about 400 characters over three lines, its last column at the very end.
    std::string columns;
    for (int i = 0; i < 24; ++i) columns += ", column_number_" + std::to_string(i) + " INT";
    std::string create = "CREATE TABLE wide_table (\n  id INT PRIMARY KEY" + columns + ",\n  the_last_column INT\n)";
    REQUIRE(create.size() > 400);
    write_migration(dir.path, d, "20300101_000000_wide", "-- a wide table\n" + create + ";\n",
                    "DROP TABLE wide_table;\n");
    Run plan = migrate("plan", db, dir.path);
    INFO(plan.output);
    REQUIRE(plan.status == 0);
    CHECK(plan.output.find("    1. CREATE TABLE wide_table (\n       ") != std::string::npos);
    CHECK(plan.output.find("id INT PRIMARY KEY" + columns + ",\n") != std::string::npos);
    CHECK(plan.output.find("       the_last_column INT\n       )\n") != std::string::npos);
    CHECK(plan.output.find("...") == std::string::npos);
    // What was planned is what runs: the server creates the last column.
    REQUIRE(migrate("up", db, dir.path).status == 0);
    std::string schema = d == DialectId::postgres ? "current_schema()" : "DATABASE()";
    CHECK(scalar(db, "SELECT count(*) FROM information_schema.columns WHERE table_schema = " + schema +
                         " AND table_name = 'wide_table' AND column_name = 'the_last_column'") == "1");
  });
}

TEST_CASE("plan: markdown keeps the files' step comments - a down plan lists what each step loses") {
  each_dialect([](const db::DatabaseUrl& server, DialectId) {
    FreshDatabase db(server, "plan_comments");
    create_contents(db);
    Run md = migrate("plan", db, kShipped, "--format markdown");
    INFO(md.output);
    REQUIRE(md.status == 0);
    // The step comments of the shipped up file, each right above its statement ...
    CHECK(starts_with(statement_after(md.output, "-- add column moments.speakers"), "ALTER TABLE "));
    CHECK(statement_after(md.output, "-- add column moments.speakers").find("speakers") != std::string::npos);
    CHECK(statement_after(md.output, "-- add column sessions.moment_id").find("moment_id") != std::string::npos);
    // ... and neither the file's header nor the applier's markers.
    CHECK(md.output.find("-- schemactl migration") == std::string::npos);
    CHECK(md.output.find("-- schemactl:outside-transaction") == std::string::npos);
    Run json = migrate("plan", db, kShipped, "--format json");
    CHECK(json.output.find("\"-- add column moments.key_emotions\"") != std::string::npos);

    REQUIRE(migrate("up", db, kShipped).status == 0);
    Run down = migrate("plan", db, kShipped, "--down");
    INFO(down.output);
    REQUIRE(down.status == 0);
    // One line per step of the down file's header, naming the column whose values are lost.
    for (const char* column : {"moments.speakers", "moments.key_emotions", "sessions.moment_id"})
      CHECK(down.output.find(std::string("! LOSES DATA: add column ") + column + ": dropping " + column + " loses") !=
            std::string::npos);
    CHECK(down.output.find("lists what it cannot bring back") == std::string::npos);
  });
}

}  // namespace schemactl::test

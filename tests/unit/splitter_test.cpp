// The statement splitter, table-driven: each row is a script and the statements it must give.
#include "apply/splitter.hpp"

#include <doctest/doctest.h>

namespace schemactl::test {

namespace {
struct SplitCase {
  const char* name;
  DialectId dialect;
  std::string script;
  std::vector<std::string> statements;
};
}  // namespace

TEST_CASE("splitter: statements, quotes, escapes, bodies and comments") {
  const DialectId pg = DialectId::postgres, my = DialectId::tidb;
  const std::vector<SplitCase> cases = {
      {"two statements", pg, "SELECT 1; SELECT 2;", {"SELECT 1", "SELECT 2"}},
      {"last statement without a semicolon", pg, "SELECT 1;\nSELECT 2\n", {"SELECT 1", "SELECT 2"}},
      {"empty statements and blank space are skipped", pg, " ;;\n\n SELECT 1 ;; ", {"SELECT 1"}},
      {"semicolon in a string", pg, "INSERT INTO t VALUES ('a;b');", {"INSERT INTO t VALUES ('a;b')"}},
      {"doubled quote in a string", pg, "SELECT 'it''s; here';", {"SELECT 'it''s; here'"}},
      {"Postgres backslash is literal in a standard string",
       pg,
       "SELECT 'a\\'; SELECT 2;",
       {"SELECT 'a\\'", "SELECT 2"}},
      {"Postgres E-string backslash escape", pg, "SELECT E'a\\'; b'; SELECT 2;", {"SELECT E'a\\'; b'", "SELECT 2"}},
      {"MySQL backslash escape", my, "SELECT 'a\\'; b'; SELECT 2;", {"SELECT 'a\\'; b'", "SELECT 2"}},
      {"MySQL double-quoted string with escape",
       my,
       "SELECT \"x\\\";y\"; SELECT 2;",
       {"SELECT \"x\\\";y\"", "SELECT 2"}},
      {"quoted identifier with a semicolon", pg, "SELECT 1 AS \"a;b\";", {"SELECT 1 AS \"a;b\""}},
      {"MySQL backquoted name", my, "SELECT `a;b` FROM t;", {"SELECT `a;b` FROM t"}},
      {"dollar-quoted body",
       pg,
       "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;",
       {"CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql"}},
      {"tagged dollar quote containing $$",
       pg,
       "DO $body$ BEGIN PERFORM '$$;'; END $body$; SELECT 1;",
       {"DO $body$ BEGIN PERFORM '$$;'; END $body$", "SELECT 1"}},
      {"positional parameter is not a dollar quote",
       pg,
       "PREPARE p AS SELECT $1; SELECT 2;",
       {"PREPARE p AS SELECT $1", "SELECT 2"}},
      {"line comment with a semicolon", pg, "SELECT 1 -- not here; no\n; SELECT 2;", {"SELECT 1", "SELECT 2"}},
      {"MySQL hash comment", my, "SELECT 1 # ; comment\n; SELECT 2;", {"SELECT 1", "SELECT 2"}},
      {"a hash is not a comment in Postgres", pg, "SELECT 5 # 3;", {"SELECT 5 # 3"}},
      {"block comment with a semicolon", pg, "SELECT /* ; */ 1;", {"SELECT /* ; */ 1"}},
      {"nested block comments in Postgres", pg, "SELECT /* a /* b; */ c; */ 1;", {"SELECT /* a /* b; */ c; */ 1"}},
      {"TiDB executable comment is kept",
       my,
       "CREATE TABLE t (id INT, PRIMARY KEY (id) /*T![clustered_index] CLUSTERED */);",
       {"CREATE TABLE t (id INT, PRIMARY KEY (id) /*T![clustered_index] CLUSTERED */)"}},
      {"a script of comments only", pg, "-- nothing\n/* here */\n", {}},
      {"multi-line string", pg, "INSERT INTO t VALUES ('line1;\nline2');", {"INSERT INTO t VALUES ('line1;\nline2')"}},
  };
  for (const auto& c : cases) {
    SUBCASE(c.name) {
      std::vector<std::string> got;
      for (const auto& s : apply::split_statements(c.script, c.dialect)) got.push_back(s.sql);
      CHECK(got == c.statements);
    }
  }
}

TEST_CASE("splitter: start lines and the outside-transaction marker") {
  auto s = apply::split_statements(
      "-- header\nSET lock_timeout = '5s';\n\n-- step\n-- schemactl:outside-transaction\nCREATE INDEX CONCURRENTLY i "
      "ON t (c);\n"
      "SELECT\n  1;\n",
      DialectId::postgres);
  REQUIRE(s.size() == 3);
  CHECK(s[0].line == 2);
  CHECK_FALSE(s[0].outside_transaction);
  CHECK(s[1].line == 6);
  CHECK(s[1].outside_transaction);
  CHECK(s[2].line == 7);
  CHECK_FALSE(s[2].outside_transaction);
}

TEST_CASE("splitter: unterminated quotes, bodies and comments are errors naming the line") {
  CHECK_THROWS_WITH(apply::split_statements("SELECT 1;\nSELECT 'abc;\n", DialectId::postgres),
                    doctest::Contains("a string starting on line 2 is never closed"));
  CHECK_THROWS_WITH(apply::split_statements("DO $x$ BEGIN\n", DialectId::postgres),
                    doctest::Contains("$x$ quoted body starting on line 1"));
  CHECK_THROWS_WITH(apply::split_statements("\n\n/* open", DialectId::tidb),
                    doctest::Contains("a /* comment starting on line 3"));
  CHECK_THROWS_WITH(apply::split_statements("SELECT `x;", DialectId::tidb), doctest::Contains("backquoted name"));
}

TEST_CASE("splitter: every committed migration and install script splits cleanly") {
  for (const char* dialect : {"postgres", "tidb"}) {
    DialectId d = *parse_dialect(dialect);
    std::string path = std::string(SCHEMACTL_SOURCE_DIR) + "/generated/" + dialect + "/install.sql";
    std::string text;
    {
      FILE* f = std::fopen(path.c_str(), "rb");
      REQUIRE(f);
      char buf[65536];
      while (std::size_t n = std::fread(buf, 1, sizeof buf, f)) text.append(buf, n);
      std::fclose(f);
    }
    auto statements = apply::split_statements(text, d);
    CHECK(statements.size() > 13);  // at least one per table of the shipped registry
    for (const auto& s : statements) {
      bool inside_body = s.sql.find('$') != std::string::npos;  // DO blocks and functions hold ';'
      CHECK((s.sql.find(";\n") == std::string::npos || inside_body));
    }
  }
}

}  // namespace schemactl::test

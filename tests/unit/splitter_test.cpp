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
      // Regressions found by fuzzing against PostgreSQL's own scanner (fuzz/splitter_fuzz.cpp).
      {"a dollar inside a word is not a dollar quote", pg, "SELECT a$b$c; SELECT 2;", {"SELECT a$b$c", "SELECT 2"}},
      {"a nested comment alone is no statement", pg, "/* a /* b */ c */; SELECT 1;", {"SELECT 1"}},
      {"leading comments are not part of the statement", pg, "/* lead */ -- more\n SELECT 1;", {"SELECT 1"}},
      {"a comment between semicolons is no statement",
       pg,
       "SELECT 1; /* x */ ; -- y\n; SELECT 2",
       {"SELECT 1", "SELECT 2"}},
      {"U& strings and escapes", pg, "SELECT U&'a;' UESCAPE '!'; SELECT 2;", {"SELECT U&'a;' UESCAPE '!'", "SELECT 2"}},
      {"a word ending in E before a quote is not an E-string",
       pg,
       "SELECT 'x' FROM tE'a\\'; SELECT 2;",
       {"SELECT 'x' FROM tE'a\\'", "SELECT 2"}},
      {"psql keeps a semicolon inside parentheses",
       pg,
       "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); SELECT 3;",
       {"CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2))", "SELECT 3"}},
      {"SQL-standard function body",
       pg,
       "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 "
       "END; END; SELECT 4;",
       {"CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 "
        "END; END",
        "SELECT 4"}},
      {"a transaction BEGIN is not a body", pg, "BEGIN; SELECT 1; END;", {"BEGIN", "SELECT 1", "END"}},
      {"MySQL: -- without a blank is not a comment", my, "SELECT a--1; SELECT 2;", {"SELECT a--1", "SELECT 2"}},
      {"MySQL: -- at the end of a line is a comment", my, "SELECT 1 --\n; SELECT 2", {"SELECT 1", "SELECT 2"}},
      {"MySQL: -- before a tab is a comment", my, "SELECT 1 --\t; x\n; SELECT 2", {"SELECT 1", "SELECT 2"}},
      {"MySQL: a comment alone is no statement", my, "/* x */; # y\n; SELECT 1;", {"SELECT 1"}},
      {"MySQL: block comments do not nest",
       my,
       "SELECT /* a /* b */ 1; SELECT 2;",
       {"SELECT /* a /* b */ 1", "SELECT 2"}},
      {"MySQL: a -- before a comment is not a comment",
       my,
       "SELECT 1 --/* c */ 2; SELECT 3",
       {"SELECT 1 --/* c */ 2", "SELECT 3"}},
      {"MySQL: an executable comment alone is a statement",
       my,
       "/*!40101 SET NAMES utf8mb4 */; SELECT 1;",
       {"/*!40101 SET NAMES utf8mb4 */", "SELECT 1"}},
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
  CHECK(s[1].offset == 77);
}

TEST_CASE("splitter: start lines after multi-line strings, bodies and comments") {
  for (DialectId d : {DialectId::postgres, DialectId::tidb}) {
    CAPTURE(dialect_name(d));
    auto s = apply::split_statements("SELECT 'a\nb';\n/* c\nd */ SELECT 2;\n\nSELECT 3", d);
    REQUIRE(s.size() == 3);
    CHECK(s[0].line == 1);
    CHECK(s[1].line == 4);
    CHECK(s[2].line == 6);
  }
}

TEST_CASE("splitter: unterminated quotes, bodies and comments are errors naming the line") {
  CHECK_THROWS_WITH(apply::split_statements("SELECT 1;\nSELECT 'abc;\n", DialectId::postgres),
                    doctest::Contains("a string starting on line 2 is never closed"));
  CHECK_THROWS_WITH(apply::split_statements("DO $x$ BEGIN\n", DialectId::postgres),
                    doctest::Contains("$x$ quoted body starting on line 1"));
  CHECK_THROWS_WITH(apply::split_statements("\n\n/* open", DialectId::tidb),
                    doctest::Contains("a /* comment starting on line 3"));
  CHECK_THROWS_WITH(apply::split_statements("SELECT `x;", DialectId::tidb), doctest::Contains("backquoted name"));
  CHECK_THROWS_WITH(apply::split_statements("SELECT 1;\nSELECT \"x;", DialectId::postgres),
                    doctest::Contains("a quoted name starting on line 2"));
  CHECK_THROWS_WITH(apply::split_statements("SELECT 1;\n\n/* a /* b */", DialectId::postgres),
                    doctest::Contains("a /* comment starting on line 3"));
  CHECK_THROWS_WITH(apply::split_statements(std::string("SELECT 1;\0DROP TABLE t;", 24), DialectId::postgres),
                    doctest::Contains("NUL byte"));
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

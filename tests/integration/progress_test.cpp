// Progress is drawn on stderr only when it is a terminal (a pty from `script`), never with --quiet,
// never into a pipe or a file.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "cli_support.hpp"

namespace schemactl::test {
namespace {

const fs::path kSource = SCHEMACTL_SOURCE_DIR;

// `args` run with stdin, stdout and stderr on a pseudo-terminal; everything it wrote there.
Run on_terminal(const std::string& args) {
  Run r;
  r.status =
      run_command("script -qec '" + std::string(SCHEMACTL_BINARY) + " " + args + "' /dev/null </dev/null", r.output);
  return r;
}

}  // namespace

TEST_CASE("progress: generate draws it on a terminal, and not with --quiet or into a file") {
  TempDir tmp;
  std::string generate = "generate --schema " + (kSource / "schema").string() + " --out " + (tmp.path / "out").string();
  Run tty = on_terminal(generate);
  INFO(tty.output);
  REQUIRE(tty.status == 0);
  // The shipped registry has six entities: the line ends at 6/6, then is erased.
  CHECK(tty.output.find("generate: C++ headers: 6/6 entities") != std::string::npos);
  CHECK(tty.output.find("\r\033[K") != std::string::npos);
  CHECK(tty.output.find("generated ") != std::string::npos);

  for (const std::string& quiet : {generate + " --quiet", "-q " + generate}) {
    Run q = on_terminal(quiet);
    CAPTURE(quiet);
    CHECK(q.status == 0);
    CHECK(q.output.find("entities") == std::string::npos);
    CHECK(q.output.find('\r' + std::string("\033[K")) == std::string::npos);
    CHECK(q.output.find("generated ") != std::string::npos);
  }

  // Not a terminal: stderr into a file stays empty.
  fs::path err = tmp.path / "stderr";
  std::string ignored;
  REQUIRE(run_command("(" + std::string(SCHEMACTL_BINARY) + " " + generate + " 2>" + err.string() + ")", ignored) == 0);
  CHECK(fs::file_size(err) == 0);
}

TEST_CASE("progress: migrate up draws statements on a terminal only") {
  each_dialect([](const db::DatabaseUrl& server, DialectId d) {
    TempDir dir;
    write_migration(dir.path, d, "20300101_000000_three",
                    "CREATE TABLE a (id INT);\nCREATE TABLE b (id INT);\n"
                    "CREATE TABLE c (id INT);\n",
                    "DROP TABLE c;\nDROP TABLE b;\nDROP TABLE a;\n");
    {
      FreshDatabase db(server, "progress_tty");
      Run tty = on_terminal("migrate up --url " + url_text(db.url()) + " --migrations " + dir.path.string());
      INFO(tty.output);
      REQUIRE(tty.status == 0);
      CHECK(tty.output.find("migrate up 20300101_000000_three: 3/3 statements") != std::string::npos);
    }
    {
      FreshDatabase db(server, "progress_pipe");
      Run pipe = migrate("up", db, dir.path);
      INFO(pipe.output);
      REQUIRE(pipe.status == 0);
      CHECK(pipe.output.find("ran 3 statement(s)") != std::string::npos);  // the report
      CHECK(pipe.output.find("3/3") == std::string::npos);
      CHECK(pipe.output.find('\r') == std::string::npos);
    }
  });
}

TEST_CASE("progress: a repeat-until-zero statement shows its batches in the progress line, never with --quiet") {
  each_dialect([](const db::DatabaseUrl& server, DialectId d) {
    TempDir dir;
    const std::string batch = d == DialectId::postgres
                                  ? "UPDATE t SET x = 1 WHERE id IN (SELECT id FROM t WHERE x = 0 LIMIT 2)"
                                  : "UPDATE t SET x = 1 WHERE x = 0 LIMIT 2";
    write_migration(dir.path, d, "20300101_000000_batches",
                    "CREATE TABLE t (id INT PRIMARY KEY, x INT NOT NULL);\n"
                    "INSERT INTO t VALUES (1, 0), (2, 0), (3, 0), (4, 0), (5, 0);\n"
                    "-- schemactl:repeat-until-zero\n" +
                        batch + ";\n",
                    "DROP TABLE t;\n");
    for (bool quiet : {false, true}) {
      FreshDatabase db(server, quiet ? "progress_batches_q" : "progress_batches");
      Run tty = on_terminal(std::string(quiet ? "-q " : "") + "migrate up --url " + url_text(db.url()) +
                            " --migrations " + dir.path.string());
      INFO(tty.output);
      REQUIRE(tty.status == 0);
      // 5 rows, 2 a batch: batches of 2, 2, 1 and a last one of 0.
      CHECK((tty.output.find("line 4: batch 4, 5 row(s)") != std::string::npos) == !quiet);
      CHECK(tty.output.find("repeated until 0 rows: 4 batch(es), 5 row(s) changed") != std::string::npos);
    }
  });
}

TEST_CASE("progress: inspect draws its stages on a terminal only") {
  each_dialect([](const db::DatabaseUrl& server, DialectId) {
    FreshDatabase db(server, "progress_inspect");
    std::string ignored;
    REQUIRE(db.apply_sql("CREATE TABLE things (id INT PRIMARY KEY);\n", ignored) == 0);
    TempDir tmp;
    Run tty = on_terminal("inspect --url " + url_text(db.url()) + " --out " + (tmp.path / "a").string());
    INFO(tty.output);
    REQUIRE(tty.status == 0);
    CHECK(tty.output.find(": 3/3 stages") != std::string::npos);
    CHECK(tty.output.find("\r\033[K") != std::string::npos);
    Run quiet = on_terminal("inspect -q --url " + url_text(db.url()) + " --out " + (tmp.path / "b").string());
    INFO(quiet.output);
    REQUIRE(quiet.status == 0);
    CHECK(quiet.output.find("stages") == std::string::npos);
    fs::path err = tmp.path / "stderr";
    REQUIRE(run_command("(" + std::string(SCHEMACTL_BINARY) + " inspect --url " + url_text(db.url()) + " --out " +
                            (tmp.path / "c").string() + " 2>" + err.string() + ")",
                        ignored) == 0);
    std::ifstream in(err);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str().find("stages") == std::string::npos);
  });
}

}  // namespace schemactl::test

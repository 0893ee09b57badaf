// `--error-format json` (or a command's `--format json`): an error is one JSON object on stderr with
// its kind, message, exit code and, where known, file/line/column, statement and version.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "output/fileset.hpp"

namespace schemactl::test {
namespace {

struct Streams {
  int status;
  std::string out, err;
};

// The binary with stdout and stderr kept apart.
Streams run_apart(const TempDir& tmp, const std::string& args) {
  fs::path out = tmp.path / "stdout", err = tmp.path / "stderr";
  std::string ignored;
  Streams s;
  s.status = run_command(
      "(" + std::string(SCHEMACTL_BINARY) + " " + args + " >" + out.string() + " 2>" + err.string() + ")", ignored);
  auto slurp = [](const fs::path& p) {
    std::string text;
    read_file(p, text);
    return text;
  };
  s.out = slurp(out);
  s.err = slurp(err);
  return s;
}

// stderr is exactly one line holding one JSON object, whose exit_code is the process's.
nlohmann::json one_object(const Streams& s) {
  INFO("stderr: " << s.err);
  REQUIRE(!s.err.empty());
  CHECK(s.err.back() == '\n');
  CHECK(s.err.find('\n') == s.err.size() - 1);
  nlohmann::json j = nlohmann::json::parse(s.err);
  REQUIRE(j.is_object());
  CHECK(j.at("exit_code").get<int>() == s.status);
  return j;
}

}  // namespace

TEST_CASE("error json: a registry error lists every diagnostic with file, line and column") {
  TempDir tmp;
  fs::create_directories(tmp.path / "schema");
  std::ofstream(tmp.path / "schema" / "registry.yaml") << "registry: broken\n";
  std::ofstream(tmp.path / "schema" / "x.yaml") << "entity: X\ntables:\n  t:\n    columns:\n"
                                                   "      id: { type: uuid, primary_key: true }\n"
                                                   "      price: { type: decimal(12,2) }\n"
                                                   "      kind: jsonn\n";
  std::string schema = (tmp.path / "schema").string();
  for (const std::string& args :
       {"validate --schema " + schema + " --error-format json",
        "--error-format json generate --schema " + schema + " --out " + (tmp.path / "out").string()}) {
    CAPTURE(args);
    Streams s = run_apart(tmp, args);
    CHECK(s.status == 1);
    CHECK(s.out.empty());
    nlohmann::json j = one_object(s);
    CHECK(j.at("kind") == "registry");
    CHECK(j.at("message") == "2 errors; nothing was written");
    auto d = j.at("diagnostics");
    REQUIRE(d.size() == 2);
    CHECK(d[0].at("file") == schema + "/x.yaml");
    CHECK(d[0].at("line") == 6);
    CHECK(d[0].at("column") == 22);
    CHECK(d[0].at("path") == "t.price");
    CHECK(d[0].at("message").get<std::string>().find("quote the value: type: \"decimal(12,2)\"") != std::string::npos);
    CHECK(d[1].at("line") == 7);
    CHECK(d[1].at("column") == 13);
    CHECK(d[1].at("message").get<std::string>().find("unknown type 'jsonn'") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(tmp.path / "out"));
  // Without the flag: the text form, unchanged.
  Streams text = run_apart(tmp, "validate --schema " + schema);
  CHECK(text.status == 1);
  CHECK(text.err.find(schema + "/x.yaml:6:22: t.price: 'decimal(12' was cut at a comma") == 0);
  CHECK(text.err.find("2 errors; nothing was written\n") != std::string::npos);
}

TEST_CASE("error json: usage errors, before or after the subcommand, and from a command's own checks") {
  TempDir tmp;
  for (const char* args :
       {"--error-format json generate --no-such-flag", "generate --no-such-flag --error-format json",
        "migrate up --format json --lock-timeout 0", "migrate status --error-format=json --url ''"}) {
    CAPTURE(args);
    Streams s = run_apart(tmp, std::string(args) + " </dev/null");
    CHECK(s.status == 2);
    nlohmann::json j = one_object(s);
    CHECK(j.at("kind") == "usage");
    CHECK(!j.at("message").get<std::string>().empty());
  }
  Streams bad = run_apart(tmp, "validate --error-format xml");
  CHECK(bad.status == 2);
  CHECK(bad.err.find("xml") != std::string::npos);
  // --help and --version are not errors.
  Streams help = run_apart(tmp, "--error-format json --help");
  CHECK(help.status == 0);
  CHECK(help.out.find("--error-format") != std::string::npos);
}

TEST_CASE("error json: a failing migration names its version, file, line and statement - no password") {
  each_dialect([](const db::DatabaseUrl& server, DialectId d) {
    FreshDatabase db(server, "error_json");
    TempDir dir;
    write_migration(dir.path, d, "20300101_000000_broken",
                    "CREATE TABLE fine (id INT);\n\nSELECT no_such_column FROM fine;\n", "DROP TABLE fine;\n");
    for (const char* flag : {"--format json", "--error-format json"}) {
      CAPTURE(flag);
      fs::path err = dir.path / "stderr";
      std::string out;
      int status = run_command("(" + std::string(SCHEMACTL_BINARY) + " migrate up --url '" + url_text(db.url()) +
                                   "' --migrations " + dir.path.string() + " " + flag + " 2>" + err.string() + ")",
                               out);
      CHECK(status == 1);
      std::string text;
      read_file(err, text);
      INFO(text);
      CHECK(text.find(db.url().password) == std::string::npos);
      nlohmann::json j = nlohmann::json::parse(text);
      CHECK(j.at("kind") == "migration");
      CHECK(j.at("exit_code") == 1);
      CHECK(j.at("version") == "20300101_000000");
      CHECK(j.at("file") == (dir.path / dialect_name(d) / "20300101_000000_broken.up.sql").string());
      CHECK(j.at("line") == 3);
      CHECK(j.at("statement") == "SELECT no_such_column FROM fine");
      CHECK(j.at("message").get<std::string>().find("no_such_column") != std::string::npos);
    }
  });
}

TEST_CASE("error json: a refused connection is kind database, without the password") {
  each_dialect([](const db::DatabaseUrl& server, DialectId) {
    TempDir tmp;
    db::DatabaseUrl wrong = server;
    wrong.password = "not-the-password-Zq9";
    Streams s = run_apart(tmp, "migrate status --error-format json --url '" + url_text(wrong) + "'");
    CHECK(s.status == 1);
    nlohmann::json j = one_object(s);
    CHECK(j.at("kind") == "database");
    CHECK(s.err.find("not-the-password-Zq9") == std::string::npos);
  });
}

}  // namespace schemactl::test

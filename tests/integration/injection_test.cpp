// Hostile registry text on real servers whose sessions read literals the other way round
// (Postgres with standard_conforming_strings = off, MariaDB with NO_BACKSLASH_ESCAPES): install.sql
// run by psql / mariadb and `schemactl migrate up` must store every comment, enum value, default
// and reference row byte for byte as the registry says, and run nothing that the text holds.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "cli_support.hpp"
#include "util/text.hpp"

namespace schemactl::test {
namespace {

// Each of these ends a literal, a dollar-quoted body or a comment when quoted carelessly.
const std::string kTableDesc = R"(harmless\'; DROP TABLE victim; --)";
const std::string kColumnDesc = R"(ends in a backslash \)";
const std::string kDefault = R"(C:\dir\'; DROP TABLE victim; -- */ /* $$)";
const std::string kFunctionDesc = R"(it's $$ a \' function; DROP TABLE victim; --)";
const std::vector<std::string> kMoods = {"plain",
                                         "it's",
                                         R"(back\slash)",
                                         "$$",
                                         "a$$; DROP TABLE victim; --",
                                         "*/ -- /*",
                                         "SELECT",
                                         "MixedCase",
                                         R"(\'; DROP TABLE victim; --)"};
const std::vector<std::pair<std::string, std::string>> kRows = {
    {"k1", R"(x\'; DROP TABLE victim; --)"},  {"k2", R"($$; DROP TABLE victim; $$)"}, {"k3", R"(tab\there \\ two)"},
    {"k4", "quote ' and \" and ` backquote"}, {"k5", R"($schemactl$ $function$ ;)"},
};
const std::string kFunctionBody =
    "BEGIN\n  -- $$ $function$ $schemactl$ */ ; DROP TABLE victim;\n  RETURN 'it''s $$';\nEND;\n";
// 63 bytes: Postgres' longest name.
const std::string kLongColumn = "a_column_whose_name_is_exactly_sixty_three_bytes_long_abcdefghi";

// The enum value of reference row i.
const std::string& row_mood(std::size_t i) {
  return kMoods[(i * 2) % kMoods.size()];
}

std::string yaml_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

void write_registry(const fs::path& dir) {
  fs::create_directories(dir);
  std::ofstream(dir / "registry.yaml") << "registry: hostile\n";
  std::string moods;
  for (const auto& m : kMoods) moods += (moods.empty() ? "" : ", ") + yaml_quote(m);
  std::string rows;
  for (std::size_t i = 0; i < kRows.size(); ++i)
    rows += "        - { key: " + kRows[i].first + ", value: " + yaml_quote(kRows[i].second) +
            ", mood: " + yaml_quote(row_mood(i)) + " }\n";
  std::ofstream(dir / "hostile.yaml") << "entity: Hostile\n"
                                      << "enums:\n  hostile_mood:\n    values: [" << moods << "]\n"
                                      << "    description: " << yaml_quote(kTableDesc) << "\n"
                                      << "tables:\n"
                                      << "  Hostile_Things:\n"
                                      << "    description: " << yaml_quote(kTableDesc) << "\n"
                                      << "    columns:\n"
                                      << "      id: { type: int, primary_key: true }\n"
                                      << "      select: { type: text, description: " << yaml_quote(kColumnDesc)
                                      << " }\n"
                                      << "      " << kLongColumn
                                      << ": { type: string(200), default: " << yaml_quote(kDefault) << " }\n"
                                      << "      mood: { type: enum(hostile_mood), default: " << yaml_quote(kMoods[4])
                                      << " }\n"
                                      << "  settings:\n"
                                      << "    columns:\n"
                                      << "      key: { type: string(50), primary_key: true }\n"
                                      << "      value: { type: string(200), nullable: false }\n"
                                      << "      mood: { type: enum(hostile_mood) }\n"
                                      << "    rows:\n      values:\n"
                                      << rows << "functions:\n"
                                      << "  hostile_fn:\n"
                                      << "    dialects: [postgres]\n"
                                      << "    description: " << yaml_quote(kFunctionDesc) << "\n"
                                      << "    returns: text\n"
                                      << "    body: |\n";
  std::ofstream(dir / "hostile.yaml", std::ios::app) << [&] {
    std::string indented;
    std::size_t start = 0;
    while (start < kFunctionBody.size()) {
      auto nl = kFunctionBody.find('\n', start);
      indented += "      " + kFunctionBody.substr(start, nl - start + 1);
      start = nl + 1;
    }
    return indented;
  }();
}

std::string one(db::Connection& conn, const std::string& sql, const std::vector<std::string>& params = {}) {
  auto rows = conn.query(sql, params);
  REQUIRE_MESSAGE(rows.size() == 1, sql);
  return rows.at(0).at(0).value_or("<NULL>");
}

// What the catalog holds, read back with parameters (never by building SQL from the text).
void expect_stored(const db::DatabaseUrl& url) {
  auto conn = db::connect(url);
  bool pg = url.dialect == DialectId::postgres;
  CHECK(
      one(*conn, pg ? "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'victim'"
                    : "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = "
                      "'victim'") == "1");
  conn->execute(pg ? "INSERT INTO \"Hostile_Things\" (id) VALUES (1)" : "INSERT INTO Hostile_Things (id) VALUES (1)");
  std::string q = pg ? "\"" : "`";
  CHECK(one(*conn, "SELECT " + kLongColumn + " FROM " + q + "Hostile_Things" + q) == kDefault);
  CHECK(one(*conn, "SELECT mood FROM " + q + "Hostile_Things" + q) == kMoods[4]);
  auto rows = conn->query("SELECT " + q + "key" + q + ", value, mood FROM settings ORDER BY 1");
  REQUIRE(rows.size() == kRows.size());
  for (std::size_t i = 0; i < kRows.size(); ++i) {
    CHECK(rows[i][0].value_or("") == kRows[i].first);
    CHECK(rows[i][1].value_or("") == kRows[i].second);
    CHECK(rows[i][2].value_or("") == row_mood(i));
  }
  if (pg) {
    CHECK(one(*conn, "SELECT obj_description('public.\"Hostile_Things\"'::regclass, 'pg_class')") == kTableDesc);
    CHECK(one(*conn, "SELECT col_description('public.\"Hostile_Things\"'::regclass, 2)") == kColumnDesc);
    auto labels = conn->query(
        "SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = "
        "'hostile_mood' ORDER BY e.enumsortorder");
    std::vector<std::string> got;
    for (const auto& r : labels) got.push_back(r[0].value_or(""));
    CHECK(got == kMoods);
    CHECK(one(*conn, "SELECT obj_description('public.hostile_mood'::regtype, 'pg_type')") == kTableDesc);
    CHECK(one(*conn, "SELECT prosrc FROM pg_proc WHERE proname = 'hostile_fn'") == kFunctionBody);
    CHECK(one(*conn, "SELECT obj_description('public.hostile_fn'::regproc, 'pg_proc')") == kFunctionDesc);
    CHECK(one(*conn, "SELECT public.hostile_fn()") == "it's $$");
  } else {
    CHECK(one(*conn,
              "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = "
              "'Hostile_Things'") == kTableDesc);
    CHECK(one(*conn,
              "SELECT COLUMN_COMMENT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME "
              "= 'Hostile_Things' AND COLUMN_NAME = 'select'") == kColumnDesc);
  }
}

// A session setting of the server that reads literals the other way round, for the clients and
// for `schemactl`; undone when the object goes away.
class HostileSessions {
 public:
  HostileSessions(const db::DatabaseUrl& server, const FreshDatabase& db) : server_(server), url_(db.url()) {
    auto admin = db::connect(server_);
    if (server_.dialect == DialectId::postgres) {
      // Per database: every new session on it starts with the setting off.
      admin->execute("ALTER DATABASE " + url_.database + " SET standard_conforming_strings = off");
    } else {
      // MariaDB has no per-database or per-user sql_mode. init_connect runs for every session of a
      // user without SUPER (the test user has it, so other tests are untouched): a user of our own,
      // and a guard on its name in case another test makes one.
      user_ = "schemactl_nbe_" + std::to_string(::getpid());
      admin->execute("CREATE USER '" + user_ + "'@'%' IDENTIFIED BY 'nbe-pw'");
      admin->execute("GRANT ALL ON " + url_.database + ".* TO '" + user_ + "'@'%'");
      admin->execute(
          "SET GLOBAL init_connect = 'SET SESSION sql_mode = IF(CURRENT_USER() LIKE ''schemactl_nbe_%'', "
          "CONCAT(@@SESSION.sql_mode, '',NO_BACKSLASH_ESCAPES''), @@SESSION.sql_mode)'");
      url_.user = user_;
      url_.password = "nbe-pw";
    }
  }
  ~HostileSessions() {
    try {
      if (!user_.empty()) {
        auto admin = db::connect(server_);
        admin->execute("SET GLOBAL init_connect = ''");
        admin->execute("DROP USER IF EXISTS '" + user_ + "'@'%'");
      }
    } catch (const std::exception& e) {
      MESSAGE("could not undo the hostile session setting: " << e.what());
    }
  }
  // The URL whose sessions start hostile.
  const db::DatabaseUrl& url() const { return url_; }

 private:
  db::DatabaseUrl server_;
  db::DatabaseUrl url_;
  std::string user_;
};

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// psql / mariadb as `url`'s user, as a user would run them.
std::string client(const db::DatabaseUrl& u, const std::string& args) {
  if (u.dialect == DialectId::postgres)
    return "PGPASSWORD=" + shell_quote(u.password) + " psql -X -q -v ON_ERROR_STOP=1 -h " + shell_quote(u.host) +
           " -p " + std::to_string(u.port) + " -U " + shell_quote(u.user) + " -d " + shell_quote(u.database) + " " +
           args;
  return "MYSQL_PWD=" + shell_quote(u.password) + " mariadb --protocol=TCP -h " + shell_quote(u.host) + " -P " +
         std::to_string(u.port) + " -u " + shell_quote(u.user) + " " + shell_quote(u.database) + " " + args;
}

// The client's own view of the setting: proof that the sessions really start hostile.
std::string client_setting(const db::DatabaseUrl& u) {
  std::string out;
  run_command(client(u, u.dialect == DialectId::postgres ? "-At -c 'SHOW standard_conforming_strings'"
                                                         : "-N -e 'SELECT @@SESSION.sql_mode'"),
              out);
  return trim(out);
}

void create_victim(const db::DatabaseUrl& url) {
  db::connect(url)->execute("CREATE TABLE victim (id INT)");
}

}  // namespace

TEST_CASE("injection: hostile registry text through install.sql and migrate up, on hostile sessions") {
  TempDir tmp;
  write_registry(tmp.path / "schema");
  Run gen = schemactl("generate --schema " + (tmp.path / "schema").string() + " --out " + (tmp.path / "out").string());
  INFO(gen.output);
  REQUIRE(gen.status == 0);
  Run made = schemactl("migrate new hostile --version 20260101_000000 --schema " + (tmp.path / "schema").string() +
                       " --migrations " + (tmp.path / "migrations").string());
  INFO(made.output);
  REQUIRE(made.status == 0);

  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    auto check_hostile = [&](const db::DatabaseUrl& url) {
      std::string setting = client_setting(url);
      INFO("session setting: " << setting);
      REQUIRE(
          (d == DialectId::postgres ? setting == "off" : setting.find("NO_BACKSLASH_ESCAPES") != std::string::npos));
    };
    {  // install.sql with the dialect's client
      FreshDatabase db(server, "inject_install");
      create_victim(db.url());
      HostileSessions hostile(server, db);
      check_hostile(hostile.url());
      std::string output;
      fs::path install = tmp.path / "out" / dialect_name(d) / "install.sql";
      int rc =
          run_command(client(hostile.url(), (d == DialectId::postgres ? "-f " : "< ") + shell_quote(install)), output);
      INFO(output);
      REQUIRE(rc == 0);
      CHECK(output.find("ERROR") == std::string::npos);
      expect_stored(db.url());
    }
    {  // schemactl migrate up
      FreshDatabase db(server, "inject_up");
      create_victim(db.url());
      HostileSessions hostile(server, db);
      check_hostile(hostile.url());
      Run up = schemactl("migrate up --url '" + url_text(hostile.url()) + "' --migrations " +
                         (tmp.path / "migrations").string());
      INFO(up.output);
      REQUIRE(up.status == 0);
      expect_stored(db.url());
    }
  });
}

}  // namespace schemactl::test

namespace schemactl::test {

TEST_CASE("injection: a charset that is not a name never reaches a migration") {
  TempDir tmp;
  fs::create_directories(tmp.path / "schema");
  std::ofstream(tmp.path / "schema" / "registry.yaml")
      << "registry: hostile\ntidb:\n  charset: \"utf8mb4; DROP TABLE victim; --\"\n";
  std::ofstream(tmp.path / "schema" / "x.yaml")
      << "entity: X\ntables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n";
  Run made = schemactl("migrate new hostile --schema " + (tmp.path / "schema").string() + " --migrations " +
                       (tmp.path / "migrations").string());
  INFO(made.output);
  CHECK(made.status == 1);
  CHECK(made.output.find("registry.yaml:3:12: tidb.charset: 'utf8mb4; DROP TABLE victim; --' is not a charset name") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(tmp.path / "migrations" / "tidb" / "snapshot.json"));
}

}  // namespace schemactl::test

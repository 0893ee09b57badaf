// `schemactl inspect` on real servers: a registry installed, read back as a registry, validated
// and installed again on a fresh database gives the same catalog (both servers' catalogs are the
// oracle); databases schemactl did not create (the seed documents' own SQL) likewise through
// `generate`; and bad input ends with a clear message, a non-zero exit and nothing written.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sstream>

#include "apply/splitter.hpp"
#include "cli_support.hpp"
#include "dialect/dialect.hpp"
#include "lower/compile.hpp"
#include "random_registry.hpp"
#include "util/text.hpp"

namespace schemactl::test {
namespace {

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The catalog without the database's own name (MariaDB spells view bodies with it).
std::string catalog_of(const FreshDatabase& db) {
  std::string text = catalog(db);
  std::string q = "`" + db.url().database + "`.";
  for (auto pos = text.find(q); pos != std::string::npos; pos = text.find(q)) text.erase(pos, q.size());
  return text;
}

void install(const FreshDatabase& db, const schema::Schema& s) {
  std::string output;
  if (std::string fixture = external_fixture(s); !fixture.empty())
    REQUIRE_MESSAGE(db.apply_sql(fixture, output) == 0, output);
  REQUIRE_MESSAGE(db.apply_sql(dialect_for(s.dialect).render_install(s), output) == 0, output);
}

Run inspect(const FreshDatabase& db, const fs::path& out, const std::string& extra = "") {
  return schemactl("inspect --url '" + url_text(db.url()) + "' --out '" + out.string() + "' " + extra);
}

// Every file of a registry directory but registry.yaml (which names the database it came from).
std::map<std::string, std::string> entity_files(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename() != "registry.yaml") out[e.path().filename().string()] = read_text(e.path());
  return out;
}

// install(R) -> inspect -> R' -> validate(R') -> install(R') on a fresh database: same catalog; and
// R' read back from that database is R' again, byte for byte.
void round_trip(const std::string& label, const std::vector<registry::SourceFile>& files, DialectId d,
                const db::DatabaseUrl& server) {
  CAPTURE(label);
  Compiled original = compile_registry(files);
  FreshDatabase first(server, "insp_" + label + "_1");
  install(first, original.schemas.at(d));
  TempDir dir;
  fs::path r1 = dir.path / "r1", r2 = dir.path / "r2";
  Run r = inspect(first, r1);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  CHECK(r.output.find(first.url().password) == std::string::npos);
  Run v = schemactl("validate --schema '" + r1.string() + "'");
  REQUIRE_MESSAGE(v.status == 0, v.output);
  Compiled again = compile_registry(registry::read_registry_dir(r1));
  FreshDatabase second(server, "insp_" + label + "_2");
  install(second, again.schemas.at(d));
  CHECK(catalog_of(first) == catalog_of(second));
  r = inspect(second, r2);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  auto a = entity_files(r1), b = entity_files(r2);
  CHECK(a.size() == b.size());
  for (const auto& [name, text] : a) {
    CAPTURE(name);
    CHECK(b[name] == text);
  }
}

std::vector<registry::SourceFile> registry_files(const std::string& dir) {
  return registry::read_registry_dir(std::string(SCHEMACTL_SOURCE_DIR) + "/" + dir);
}

}  // namespace

TEST_CASE("inspect: the shipped and test registries round-trip through inspect on both servers") {
  each_dialect([](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    for (const char* dir :
         {"schema", "tests/registries/mumble", "tests/registries/nirva", "tests/registries/coverage"}) {
      std::string label = std::string(dir) == "schema" ? "shipped" : fs::path(dir).filename().string();
      round_trip(label, registry_files(dir), d, server);
    }
  });
}

TEST_CASE("inspect: random registries round-trip through inspect on both servers") {
  int count = 3;
  if (const char* n = std::getenv("SCHEMACTL_RANDOM_INSPECT")) count = std::atoi(n);
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    for (int i = 0; i < count; ++i) {
      std::seed_seq seq{20261202u, static_cast<unsigned>(i)};
      std::mt19937 rng(seq);
      rr::Options options;
      round_trip("random" + std::to_string(i), rr::render(rr::random_model(rng, options)), d, server);
    }
  });
}

namespace {

// The ```sql blocks of a design document, statement by statement, in document order.
std::vector<std::string> seed_statements(const std::string& file) {
  std::string text = read_text("/work/shared/seeds/" + file);
  std::vector<std::string> out;
  static const std::regex block("```sql\\n([\\s\\S]*?)```");
  for (std::sregex_iterator it(text.begin(), text.end(), block), end; it != end; ++it) {
    std::string sql = (*it)[1].str();
    // Blocks indented inside a list item.
    for (const auto& s : apply::split_statements(sql, DialectId::postgres)) out.push_back(s.sql);
  }
  return out;
}

}  // namespace

TEST_CASE("inspect: databases built by the seed documents' own SQL are reproduced by generate") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  // The documents whose SQL creates tables: Mumble-AI (002) and Nirva (003). (p8fs (000) and
  // Crosshot (004) show only ALTERs, indexes, views and functions on tables their SQL never creates;
  // Project 2501 (001) has no SQL.)
  for (std::string seed : {"002_e04379d4d06a8908.txt", "003_6195bd0efc8a658a.txt"}) {
    CAPTURE(seed);
    auto statements = seed_statements(seed);
    REQUIRE(statements.size() > 5);
    FreshDatabase original(*server, "insp_seed");
    // The documents show their SQL in pieces (an ALTER before the CREATE it needs, a statement
    // repeated): run every statement, twice over, and keep what the server accepts.
    int accepted = 0;
    for (int pass = 0; pass < 2; ++pass)
      for (const auto& s : statements) {
        std::string output;
        if (original.apply_sql(s + ";\n", output) == 0) ++accepted;
      }
    CAPTURE(accepted);
    REQUIRE(accepted >= 5);
    TempDir dir;
    fs::path reg = dir.path / "registry", gen = dir.path / "generated";
    Run r = inspect(original, reg);
    REQUIRE_MESSAGE(r.status == 0, r.output);
    Run v = schemactl("validate --schema '" + reg.string() + "'");
    REQUIRE_MESSAGE(v.status == 0, v.output);
    Run g = schemactl("generate --schema '" + reg.string() + "' --out '" + gen.string() + "'");
    REQUIRE_MESSAGE(g.status == 0, g.output);
    FreshDatabase copy(*server, "insp_seed_copy");
    std::string output;
    REQUIRE_MESSAGE(copy.apply_file((gen / "postgres" / "install.sql").string(), output) == 0, output);
    std::string want = catalog_of(original), got = catalog_of(copy);
    CHECK(want.find("table ") != std::string::npos);
    CHECK(got == want);
  }
}

TEST_CASE("inspect: a MySQL-family database made by hand is reproduced by generate") {
  auto server = server_url(DialectId::tidb);
  if (!server) return;
  FreshDatabase original(*server, "insp_hand");
  std::string output;
  REQUIRE_MESSAGE(original.apply_sql(R"(
CREATE TABLE accounts (
  id INT AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(200) NOT NULL,
  kind ENUM('free', 'paid', 'it''s') NOT NULL DEFAULT 'free',
  created DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  note TEXT,
  score DECIMAL(8,2) DEFAULT 1.50,
  flags INT UNSIGNED NOT NULL DEFAULT 0,
  CONSTRAINT accounts_email_uniq UNIQUE (email),
  CONSTRAINT positive_score CHECK (score >= 0)
) COMMENT = 'people';
CREATE TABLE posts (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  account_id INT NOT NULL COMMENT 'who wrote it',
  title VARCHAR(300) NOT NULL,
  body LONGTEXT,
  meta JSON,
  CONSTRAINT fk_posts_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE
);
CREATE INDEX posts_title_prefix ON posts (title(40), id DESC);
CREATE VIEW paid_accounts AS SELECT id, email FROM accounts WHERE kind = 'paid';
)",
                                     output) == 0,
                  output);
  TempDir dir;
  fs::path reg = dir.path / "registry", gen = dir.path / "generated";
  Run r = inspect(original, reg);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  REQUIRE(schemactl("validate --schema '" + reg.string() + "'").status == 0);
  Run g = schemactl("generate --schema '" + reg.string() + "' --out '" + gen.string() + "'");
  REQUIRE_MESSAGE(g.status == 0, g.output);
  FreshDatabase copy(*server, "insp_hand_copy");
  REQUIRE_MESSAGE(copy.apply_file((gen / "tidb" / "install.sql").string(), output) == 0, output);
  CHECK(catalog_of(copy) == catalog_of(original));
}

TEST_CASE("inspect: --tables, --entity and --format json") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  Compiled mumble = compile_registry(registry_files("tests/registries/mumble"));
  FreshDatabase db(*server, "insp_select");
  install(db, mumble.schemas.at(DialectId::postgres));
  TempDir dir;
  // entity_mentions points at conversation_history, which is outside the selection: external.
  Run r = inspect(db, dir.path / "some", "--tables 'entity_*'");
  REQUIRE_MESSAGE(r.status == 0, r.output);
  auto files = entity_files(dir.path / "some");
  CHECK(files.size() == 3);
  CHECK(files.count("objects.yaml"));  // the view entity_summary
  REQUIRE(files.count("conversation_history.yaml"));
  CHECK(files["conversation_history.yaml"].find("external: true") != std::string::npos);
  CHECK(files["conversation_history.yaml"].find("indexes:") == std::string::npos);
  CHECK(files.count("entity_mentions.yaml"));
  CHECK(schemactl("validate --schema '" + (dir.path / "some").string() + "'").status == 0);
  // One entity for the conversation tables, one file per other table.
  r = inspect(db, dir.path / "grouped", "--entity Conversation='conversation_*'");
  REQUIRE_MESSAGE(r.status == 0, r.output);
  files = entity_files(dir.path / "grouped");
  REQUIRE(files.count("conversation.yaml"));
  CHECK(files["conversation.yaml"].find("entity: Conversation\n") == 0);
  CHECK(files["conversation.yaml"].find("  conversation_sessions:") != std::string::npos);
  CHECK(files["conversation.yaml"].find("  conversation_history:") != std::string::npos);
  CHECK(!files.count("conversation_history.yaml"));
  CHECK(files.count("entity_mentions.yaml"));
  CHECK(schemactl("validate --schema '" + (dir.path / "grouped").string() + "'").status == 0);
  // JSON: one document on standard output, the same tables.
  fs::path json = dir.path / "registry.json";
  Run j = schemactl("inspect --format json --url '" + url_text(db.url()) + "' 2>/dev/null | tee '" + json.string() +
                    "' >/dev/null");
  CHECK(j.status == 0);
  auto doc = nlohmann::json::parse(read_text(json));
  CHECK(doc["files"]["registry.yaml"]["registry"].is_string());
  CHECK(doc["files"]["entity_mentions.yaml"]["tables"]["entity_mentions"]["columns"]["id"]["type"] == "serial");
}

TEST_CASE("inspect: bad input ends with a clear message, a non-zero exit and nothing written") {
  TempDir dir;
  fs::path out = dir.path / "out";
  SUBCASE("an unreachable server") {
    Run r = schemactl("inspect --url 'postgres://u:sekrit-pw@127.0.0.1:1/db?connect_timeout=2' --out '" + out.string() +
                      "'");
    CHECK(r.status == 1);
    CHECK(r.output.find("cannot connect") != std::string::npos);
    CHECK(r.output.find("sekrit-pw") == std::string::npos);
    CHECK(!fs::exists(out));
  }
  SUBCASE("a bad URL") {
    Run r = schemactl("inspect --url 'postgres://u:sekrit-pw@host:port/db' --out '" + out.string() + "'");
    CHECK(r.status != 0);
    CHECK(r.output.find("sekrit-pw") == std::string::npos);
    CHECK(!fs::exists(out));
    Run none = schemactl("inspect --url 'ftp://x/y'");
    CHECK(none.status != 0);
    CHECK(none.output.find("ftp") != std::string::npos);
  }
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    CAPTURE(dialect_name(d));
    FreshDatabase db(server, "insp_bad");
    std::string output;
    REQUIRE(db.apply_sql("CREATE TABLE t (id INT PRIMARY KEY, body TEXT);\n", output) == 0);
    fs::path target = dir.path / ("target_" + dialect_name(d));
    SUBCASE("a non-empty --out is refused without --force; --force replaces its registry files") {
      fs::create_directories(target);
      std::ofstream(target / "old.yaml") << "entity: Old\n";
      std::ofstream(target / "README") << "kept\n";
      Run r = inspect(db, target);
      CHECK(r.status == 1);
      CHECK(r.output.find("not empty") != std::string::npos);
      CHECK(read_text(target / "old.yaml") == "entity: Old\n");
      CHECK(!fs::exists(target / "t.yaml"));
      r = inspect(db, target, "--force");
      REQUIRE_MESSAGE(r.status == 0, r.output);
      CHECK(!fs::exists(target / "old.yaml"));
      CHECK(read_text(target / "README") == "kept\n");
      CHECK(fs::exists(target / "t.yaml"));
      CHECK(schemactl("validate --schema '" + target.string() + "'").status == 0);
    }
    SUBCASE("a table inspect cannot express") {
      std::string sql = d == DialectId::postgres ? "CREATE INDEX t_body_spgist ON t USING spgist (body);\n"
                                                 : "CREATE FULLTEXT INDEX t_body_fulltext ON t (body);\n";
      REQUIRE_MESSAGE(db.apply_sql(sql, output) == 0, output);
      Run r = inspect(db, target);
      CHECK(r.status == 1);
      CHECK(r.output.find(d == DialectId::postgres ? "t_body_spgist" : "t_body_fulltext") != std::string::npos);
      CHECK(r.output.find("cannot express") != std::string::npos);
      CHECK(!fs::exists(target));
    }
    SUBCASE("what is refused counts only in the tables --tables selects") {
      std::string sql =
          d == DialectId::postgres
              ? "CREATE UNLOGGED TABLE other (id INT PRIMARY KEY, n INT GENERATED ALWAYS AS (id) STORED);\n"
              : "CREATE TABLE other (id INT PRIMARY KEY, n INT AS (id) VIRTUAL);\n";
      REQUIRE_MESSAGE(db.apply_sql(sql, output) == 0, output);
      Run r = inspect(db, target);
      CHECK(r.status == 1);
      CHECK_MESSAGE(r.output.find("column other.n is generated") != std::string::npos, r.output);
      CHECK(r.output.find("cannot express") != std::string::npos);
      CHECK(!fs::exists(target));
      r = inspect(db, target, "--tables t");
      CHECK_MESSAGE(r.status == 0, r.output);
      CHECK(fs::exists(target / "t.yaml"));
      CHECK(!fs::exists(target / "other.yaml"));
    }
  });
}

}  // namespace schemactl::test

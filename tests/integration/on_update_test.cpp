// MySQL-family `ON UPDATE CURRENT_TIMESTAMP` (the registry's `tidb: { on_update: now }`), on the
// MariaDB test server: a database written by hand as p8fs's TiDB install.sql has it is adopted
// (inspect, validate, generate, install on a fresh database: the same catalog), a hand-removed ON
// UPDATE is drift that `diff --sql` repairs, and migrations add and remove it, up and down. Every
// oracle is the server's own information_schema (EXTRA included), queried here.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli_support.hpp"
#include "server_catalog.hpp"

namespace schemactl::test {
namespace {

// EXTRA of one column, as the server says it.
std::string extra_of(const FreshDatabase& db, const std::string& table, const std::string& column) {
  auto rows = db.connect()->query(
      "SELECT EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND "
      "COLUMN_NAME = ?",
      {table, column});
  REQUIRE(rows.size() == 1);
  return rows.at(0).at(0).value_or("");
}

// p8fs's TiDB install.sql, `moments` and `sessions` (reference/entities.md §1.6), as they stood
// before seed 000's migration; then seed 000's TiDB ALTER statements. Left out, because MariaDB
// 10.11 cannot hold them: the `embeddings` database's tables (VECTOR(384)) and their `SET TIFLASH
// REPLICA 1`; the `CREATE DATABASE public` / `embeddings` header (the test's own database stands in).
// install.sql as generated already has speakers, key_emotions (moments) and moment_id (sessions, as
// TEXT): seed 000's `ADD COLUMN IF NOT EXISTS` would then do nothing and its CREATE INDEX on a TEXT
// moment_id fails on MySQL-family servers (a key on TEXT needs a length), so the tables here are the
// state the seed's migration ran on, and the migration adds them.
const char* kP8fsTidb = R"SQL(
CREATE TABLE IF NOT EXISTS moments (
    id VARCHAR(255) NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    name TEXT NOT NULL,
    category TEXT,
    content TEXT NOT NULL,
    summary TEXT,
    ordinal BIGINT,
    uri TEXT,
    metadata TEXT,
    graph_paths TEXT,
    resource_timestamp TIMESTAMP,
    userid TEXT,
    resource_ends_timestamp TIMESTAMP,
    present_persons TEXT,
    location TEXT,
    background_sounds TEXT,
    moment_type TEXT,
    emotion_tags TEXT,
    topic_tags TEXT,
    images TEXT,
    tenant_id VARCHAR(36) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS sessions (
    id VARCHAR(255) NOT NULL,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    name TEXT,
    query TEXT NOT NULL,
    user_rating BIGINT,
    agent TEXT,
    parent_session_id TEXT,
    thread_id TEXT,
    channel_id TEXT,
    channel_type TEXT,
    session_type TEXT,
    metadata TEXT,
    session_completed_at TIMESTAMP,
    graph_paths TEXT,
    userid TEXT,
    tenant_id VARCHAR(36) NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- seed 000, TiDB
ALTER TABLE moments
    ADD COLUMN IF NOT EXISTS speakers TEXT COMMENT 'JSON array of speaker entries with text, identifier, timestamp, emotion',
    ADD COLUMN IF NOT EXISTS key_emotions TEXT COMMENT 'JSON array of key emotional context tags';

ALTER TABLE sessions
    ADD COLUMN IF NOT EXISTS moment_id VARCHAR(255);

CREATE INDEX idx_sessions_moment_id ON sessions (moment_id);
)SQL";

TEST_CASE("on update: p8fs's TiDB moments and sessions (ON UPDATE CURRENT_TIMESTAMP) adopted on MariaDB round-trip") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  FreshDatabase original(*server, "ou_p8fs");
  client_exec(original, kP8fsTidb);
  REQUIRE(extra_of(original, "moments", "updated_at").find("on update") != std::string::npos);
  std::string generated = adopt_round_trip(original, *server, "ou_p8fs");  // EXTRA is in the catalog compared
  // The Postgres side of the same registry: plain columns (PostgreSQL has no ON UPDATE).
  REQUIRE(contains(generated, "--- postgres/install.sql"));
  std::string pg = generated.substr(generated.find("--- postgres/install.sql"));
  pg = pg.substr(0, pg.find("\n--- ", 1));
  CHECK(contains(pg, "updated_at"));
  CHECK(!contains(pg, "ON UPDATE CURRENT_TIMESTAMP"));
}

const char* kRegistry = "registry: ou\n";
// `touched` and `edited` are where the registry says ON UPDATE (or not).
std::string notes_entity(bool on_update) {
  return std::string(R"Y(entity: Note
tables:
  notes:
    columns:
      id: { type: bigserial, primary_key: true }
      body: { type: text, nullable: false }
      created_at: { type: timestamptz, nullable: false, default: { expr: now } }
      touched:
        type: timestamptz
        nullable: false
        default: { expr: now }
        description: Last change
)Y") + (on_update ? "        tidb: { on_update: now }\n" : "") +
         "      edited: { type: timestamp, tidb: { type: \"DATETIME(3)\"" + (on_update ? ", on_update: now" : "") +
         " } }\n";
}

fs::path generate_into(const fs::path& schema, const fs::path& gen) {
  Run r = schemactl("generate --schema " + schema.string() + " --out " + gen.string());
  REQUIRE_MESSAGE(r.status == 0, r.output);
  return gen / "tidb" / "install.sql";
}

std::string catalog_of_install(const db::DatabaseUrl& server, const fs::path& install) {
  FreshDatabase db(server, "ou_fresh");
  std::string out;
  REQUIRE_MESSAGE(db.apply_file(install.string(), out) == 0, out);
  return server_catalog(db);
}

TEST_CASE("on update: a hand-removed ON UPDATE is drift (exit 3) and `diff --sql` repairs it") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  TempDir t;
  fs::path schema = t.path / "schema", mig = t.path / "migrations";
  put(schema / "registry.yaml", kRegistry);
  put(schema / "note.yaml", notes_entity(true));
  fs::create_directories(mig);
  fs::path install = generate_into(schema, t.path / "gen");
  const std::string expected = catalog_of_install(*server, install);
  FreshDatabase db(*server, "ou_drift");
  std::string out;
  REQUIRE_MESSAGE(db.apply_file(install.string(), out) == 0, out);
  REQUIRE(extra_of(db, "notes", "touched") == "on update current_timestamp(6)");
  REQUIRE(extra_of(db, "notes", "edited") == "on update current_timestamp(3)");
  std::string dirs = " --schema " + schema.string() + " --migrations " + mig.string() + " ";
  Run r = schemactl("diff --url " + url_of(db) + dirs);
  CHECK_MESSAGE(r.status == 0, r.output);
  // By hand: the same column without ON UPDATE.
  client_exec(
      db,
      "ALTER TABLE notes MODIFY touched TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) COMMENT 'Last change';\n");
  REQUIRE(extra_of(db, "notes", "touched") == "");
  fs::path repair = t.path / "repair.sql";
  r = schemactl("diff --url " + url_of(db) + dirs + "--sql " + repair.string());
  CHECK_MESSAGE(r.status == 3, r.output);
  CHECK_MESSAGE(r.output.find("notes.touched") != std::string::npos, r.output);
  CHECK_MESSAGE(r.output.find("notes.edited") == std::string::npos, r.output);
  REQUIRE_MESSAGE(fs::exists(repair), r.output);
  INFO("repair script:\n" << slurp(repair));
  CHECK_MESSAGE(db.apply_file(repair.string(), out) == 0, out);
  CHECK(extra_of(db, "notes", "touched") == "on update current_timestamp(6)");
  CHECK_SAME_CATALOG(expected, server_catalog(db));
  r = schemactl("diff --url " + url_of(db) + dirs);
  CHECK_MESSAGE(r.status == 0, r.output);
}

std::vector<std::string> up_files(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string n = e.path().filename().string();
    if (n.size() > 7 && n.substr(n.size() - 7) == ".up.sql") out.push_back(n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("on update: migrations add and remove ON UPDATE, up and down, on MariaDB") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  TempDir t;
  fs::path schema = t.path / "schema", mig = t.path / "migrations";
  std::string dirs = " --schema " + schema.string() + " --migrations " + mig.string() + " ";
  put(schema / "registry.yaml", kRegistry);
  put(schema / "note.yaml", notes_entity(false));
  fs::create_directories(mig);
  const std::string without = catalog_of_install(*server, generate_into(schema, t.path / "gen1"));
  Run r = schemactl("migrate new base" + dirs);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  put(schema / "note.yaml", notes_entity(true));
  const std::string with = catalog_of_install(*server, generate_into(schema, t.path / "gen2"));
  REQUIRE(with != without);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  r = schemactl("migrate new add_on_update" + dirs);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  put(schema / "note.yaml", notes_entity(false));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  r = schemactl("migrate new drop_on_update" + dirs);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  auto ups = up_files(mig / "tidb");
  REQUIRE(ups.size() == 3);
  INFO(all_files(mig / "tidb"));
  // Only the ON UPDATE changes: each MODIFY restates type, NOT NULL, default and comment.
  std::string add_up = slurp(mig / "tidb" / ups[1]);
  CHECK(add_up.find("MODIFY COLUMN touched TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE "
                    "CURRENT_TIMESTAMP(6) COMMENT 'Last change';") != std::string::npos);
  CHECK(add_up.find("MODIFY COLUMN edited DATETIME(3) ON UPDATE CURRENT_TIMESTAMP(3);") != std::string::npos);

  FreshDatabase db(*server, "ou_migrate");
  std::string v2 = ups[1].substr(0, 15);
  r = migrate("up --to " + v2, db, mig);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  CHECK(extra_of(db, "notes", "touched") == "on update current_timestamp(6)");
  CHECK_SAME_CATALOG(with, server_catalog(db));
  r = migrate("up", db, mig);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  CHECK(extra_of(db, "notes", "touched") == "");
  CHECK_SAME_CATALOG(without, server_catalog(db));
  r = migrate("down --steps 1", db, mig);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  CHECK(extra_of(db, "notes", "edited") == "on update current_timestamp(3)");
  CHECK_SAME_CATALOG(with, server_catalog(db));
  r = migrate("down --steps 1", db, mig);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  CHECK_SAME_CATALOG(without, server_catalog(db));
}

}  // namespace
}  // namespace schemactl::test

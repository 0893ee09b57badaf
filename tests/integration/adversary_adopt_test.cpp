// Adversarial tests of adopting an existing database (inspect, diff --url, migrate baseline), the
// team workflow (lineage markers, migrate check / rebase / rm), repeat-until-zero batches, the
// JSON error form and secrets. Written from the README and docs only; every oracle is the servers'
// own catalog (information_schema / pg_catalog), their errors or row contents, never the tool's
// output echoed back.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli_support.hpp"
#include "server_catalog.hpp"

namespace schemactl::test {
namespace {

Rows q(const FreshDatabase& db, const std::string& sql) {
  return db.connect()->query(sql);
}

// ---------------------------------------------------------------------------------------------
// Adopting hand-written databases

// 63 bytes, Postgres' limit.
const std::string kLong = "abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefgh";
// Text no literal form may break: quotes, backslashes, dollar quotes, comment ends, emoji.
const std::string kHostilePg = "E'it''s a \\\\ backslash, $$ dollar $x$, */ end /* open, -- dash, \\\\n, 🎉 emoji'";
const std::string kHostileValue = "it's a \\ backslash, $$ dollar $x$, */ end /* open, -- dash, \\n, 🎉 emoji";

// Found as a bug, fixed: see the MariaDB case below: `inspect` exits 1, "the name '<63 bytes>_pkey' is 68 bytes;
// postgres allows at most 63", although the live key has PostgreSQL's truncated, valid name.
TEST_CASE("adversary: a Postgres table with a 63-byte name (truncated serial, key and index names) round-trips") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  FreshDatabase db(*server, "adv_pg_long");
  client_exec(db, "CREATE TABLE " + kLong +
                      " (\n"
                      "  id bigserial PRIMARY KEY,\n"
                      "  " +
                      kLong.substr(0, 60) +
                      "_ab integer NOT NULL UNIQUE,\n"
                      "  label varchar(20)\n"
                      ");\n"
                      "CREATE INDEX ON " +
                      kLong +
                      " (label);\n"
                      "COMMENT ON TABLE " +
                      kLong + " IS 'long';\n");
  adopt_round_trip(db, *server, "adv_pg_long");
}

// Found as a bug, fixed: install.sql framed every body in line breaks (`AS $function$\n...\n$function$`),
// so a body written on one line came back with a different prosrc. The body is now written exactly.
TEST_CASE("adversary: Postgres function bodies keep their exact text through inspect and install") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  FreshDatabase db(*server, "adv_pg_fnbody");
  client_exec(
      db,
      "CREATE FUNCTION plus_two(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $f$ SELECT x + 2 $f$;\n"
      "CREATE FUNCTION times_two(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $f$\nSELECT x * 2\n$f$;\n"
      "CREATE FUNCTION one() RETURNS integer LANGUAGE sql IMMUTABLE AS $$SELECT 1$$;\n"
      "CREATE FUNCTION tagged() RETURNS text LANGUAGE sql IMMUTABLE AS $q$SELECT '$function$ ends $function'$q$;\n"
      "CREATE FUNCTION padded() RETURNS integer LANGUAGE plpgsql STABLE AS $q$\n\n  BEGIN   \n"
      "    RETURN 3;\t\n  END;\n\n$q$;\n"
      "COMMENT ON FUNCTION one() IS 'the ''one'' $$';\n");
  adopt_round_trip(db, *server, "adv_pg_fnbody");
}

// Quoted identifiers: mixed case and keywords for tables, columns, enums, views and functions.
TEST_CASE("adversary: a hand-written Postgres database with quoted, mixed-case and keyword names round-trips") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  FreshDatabase db(*server, "adv_pg_names");
  client_exec(db,
              "CREATE TYPE \"Mood\" AS ENUM ('happy', 'it''s', 'Sad');\n"
              "CREATE TABLE \"MixedCase\" (\n"
              "  \"dataId\" integer PRIMARY KEY,\n"
              "  \"select\" varchar(40) NOT NULL DEFAULT 'O''Brien \\ $$ */',\n"
              "  \"order\" \"Mood\" DEFAULT 'it''s',\n"
              "  \"User\" text,\n"
              "  CONSTRAINT \"CheckMe\" CHECK (length(\"select\") > 0)\n"
              ");\n"
              "CREATE TABLE \"table\" (\n"
              "  id bigserial PRIMARY KEY,\n"
              "  \"MixedId\" integer NOT NULL REFERENCES \"MixedCase\" (\"dataId\") ON DELETE CASCADE,\n"
              "  \"from\" date\n"
              ");\n"
              "CREATE INDEX \"Idx_Order\" ON \"MixedCase\" (\"order\", lower(\"select\"));\n"
              "CREATE UNIQUE INDEX ON \"table\" (\"MixedId\", \"from\" DESC NULLS LAST);\n"
              "CREATE VIEW \"HappyRows\" AS SELECT \"dataId\", \"select\" FROM \"MixedCase\" "
              "WHERE \"order\" = 'happy';\n"
              "CREATE FUNCTION \"CountRows\"(\"Min\" integer) RETURNS bigint LANGUAGE sql STABLE AS $f$\n"
              "SELECT count(*) FROM \"MixedCase\" WHERE \"dataId\" >= \"Min\"\n$f$;\n"
              "COMMENT ON TABLE \"MixedCase\" IS 'who''s -- there \\ 🎉';\n"
              "COMMENT ON COLUMN \"table\".\"from\" IS '*/ /*';\n"
              "COMMENT ON TYPE \"Mood\" IS 'feelings';\n");
  adopt_round_trip(db, *server, "adv_pg_names");
}

// Found as a bug, fixed: fails through the timestamp DEFAULT CURRENT_TIMESTAMP false drift (its focused case is below).
TEST_CASE("adversary: a hand-written MariaDB database with backquoted keyword names and hostile comments round-trips") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  FreshDatabase db(*server, "adv_my_names");
  client_exec(db,
              "CREATE TABLE `MixedCase` (\n"
              "  `dataId` int NOT NULL,\n"
              "  `key` varchar(40) NOT NULL DEFAULT 'O''Brien \\\\ $$ */' COMMENT 'who''s -- there \\\\ 🎉',\n"
              "  `return` enum('a','it''s','b\\\\c') DEFAULT 'it''s',\n"
              "  note text,\n"
              "  created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
              "  PRIMARY KEY (`dataId`),\n"
              "  KEY `Idx_Key` (`key`(10), created_at),\n"
              "  UNIQUE KEY `uq_note` (note(20)),\n"
              "  CONSTRAINT `chk_key` CHECK (`key` <> '')\n"
              ") ENGINE=InnoDB COMMENT='it''s a \\\\ backslash, $$ */ -- 🎉';\n"
              "CREATE TABLE `order` (\n"
              "  id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,\n"
              "  `dataId` int,\n"
              "  amount decimal(12,2) NOT NULL DEFAULT 0.00,\n"
              "  CONSTRAINT `fk_long_mixed` FOREIGN KEY (`dataId`) REFERENCES `MixedCase` (`dataId`) "
              "ON DELETE CASCADE ON UPDATE SET NULL\n"
              ") ENGINE=InnoDB;\n"
              "CREATE VIEW v_mixed AS SELECT `dataId`, `key` FROM `MixedCase` WHERE `return` = 'a';\n");
  adopt_round_trip(db, *server, "adv_my_names");
}

TEST_CASE("adversary: MariaDB column types without a logical type of their own round-trip") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  FreshDatabase db(*server, "adv_my_types");
  client_exec(db,
              "CREATE TABLE t (id int PRIMARY KEY, doc JSON NOT NULL, amount decimal(10,2) CHECK (amount >= 0),\n"
              "  u varchar(36) DEFAULT (UUID()), j json DEFAULT (JSON_OBJECT()), c char(3) NOT NULL DEFAULT 'abc',\n"
              "  b bit(1) DEFAULT b'1', y year DEFAULT 2024, f float DEFAULT 1.5, e set('x','y') DEFAULT 'x',\n"
              "  un int unsigned NOT NULL DEFAULT 7, big bigint unsigned, lt longtext, mt mediumtext, bl blob,\n"
              "  ts timestamp(6) NULL DEFAULT NULL, d date DEFAULT '2020-01-31', tm time(3),\n"
              "  KEY k_un_desc (un DESC), UNIQUE KEY uq_c_y (c, y)) ENGINE=InnoDB;\n");
  adopt_round_trip(db, *server, "adv_my_types");
}

TEST_CASE("adversary: Postgres column types without a logical type of their own round-trip") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  FreshDatabase db(*server, "adv_pg_types");
  client_exec(db,
              "CREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), ip inet, ts timestamp(3) DEFAULT now(),\n"
              "  ints integer[] NOT NULL DEFAULT '{}', n numeric, iv interval DEFAULT '1 day', raw bytea,\n"
              "  code char(2) DEFAULT 'xx', vc varchar, r real DEFAULT 0.5, sm smallint CHECK (sm > 0),\n"
              "  tz timetz, js json DEFAULT '[]', big bigint NOT NULL DEFAULT -1,\n"
              "  CONSTRAINT t_code_sm_key UNIQUE (code, sm));\n"
              "CREATE INDEX t_ts_desc ON t (ts DESC NULLS LAST) INCLUDE (code);\n"
              "CREATE INDEX t_ip_hash ON t USING hash (ip);\n"
              "CREATE INDEX t_ints_gin ON t USING gin (ints);\n"
              "CREATE MATERIALIZED VIEW mv_t AS SELECT code, count(*) AS n FROM t GROUP BY code;\n"
              "CREATE UNIQUE INDEX mv_t_code ON mv_t (code);\n"
              "COMMENT ON MATERIALIZED VIEW mv_t IS 'per code';\n");
  adopt_round_trip(db, *server, "adv_pg_types");
}

// "What it writes means the same database on the dialect it was read from ... What would change the
// database's meaning is refused instead": for each object, inspect either exits 1 naming it (and
// writes nothing), or what it writes rebuilds the same catalog.
void refused_or_faithful(const db::DatabaseUrl& server, const std::string& sql, const std::string& name) {
  CAPTURE(sql);
  FreshDatabase db(server, "adv_meaning");
  client_exec(db, sql);
  TempDir t;
  Run r = schemactl("inspect --url " + url_of(db) + " --out " + (t.path / "s").string());
  if (r.status == 1) {
    CHECK_MESSAGE(r.output.find(name) != std::string::npos, r.output);
    CHECK(all_files(t.path / "s") == "");
    return;
  }
  REQUIRE_MESSAGE(r.status == 0, r.output);
  adopt_round_trip(db, server, "adv_meaning");
}

// Found as a bug, fixed: `b int GENERATED ALWAYS AS (a * 2) STORED` is inspected (exit 0, no NOTE) as
// `postgres: { default: { sql: "(a * 2)" } }`; the generated install.sql then fails in psql:
// "ERROR: cannot use column reference in DEFAULT expression".
TEST_CASE("adversary: a Postgres generated column is refused or kept by inspect") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  refused_or_faithful(*server,
                      "CREATE TABLE g (id int PRIMARY KEY, a int, b int GENERATED ALWAYS AS (a * 2) STORED);\n", "g");
}

// Found as a bug, fixed: a partitioned table (PARTITION BY RANGE) and its partition are inspected (exit 0, no NOTE) as
// two independent plain tables: the copy has relkind 'r' and no partition bound.
TEST_CASE("adversary: a Postgres partitioned table is refused or kept by inspect") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  refused_or_faithful(*server,
                      "CREATE TABLE parted (id int, k int, PRIMARY KEY (id, k)) PARTITION BY RANGE (k);\n"
                      "CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (10);\n",
                      "parted");
}

// Found as a bug, fixed: `child (extra int) INHERITS (base)` is inspected (exit 0, no NOTE) as a standalone table.
TEST_CASE("adversary: Postgres table inheritance is refused or kept by inspect") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  refused_or_faithful(
      *server, "CREATE TABLE base (id int PRIMARY KEY);\nCREATE TABLE child (extra int) INHERITS (base);\n", "child");
}

// Found as a bug, fixed: an UNLOGGED table is inspected (exit 0, no NOTE) as an ordinary (logged) table.
TEST_CASE("adversary: a Postgres unlogged table is refused or kept by inspect") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  refused_or_faithful(*server, "CREATE UNLOGGED TABLE ul (id int PRIMARY KEY);\n", "ul");
}

// Found as a bug, fixed: `b int AS (a * 2) VIRTUAL` and `c int AS (a + 1) PERSISTENT` are inspected (exit 0, no NOTE)
// as plain `{ type: int }` columns.
TEST_CASE("adversary: MariaDB generated columns are refused or kept by inspect") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  refused_or_faithful(*server,
                      "CREATE TABLE g (id int PRIMARY KEY, a int, b int AS (a * 2) VIRTUAL, c int AS (a + 1) "
                      "PERSISTENT) ENGINE=InnoDB;\n",
                      "g");
}

// Found as a bug, fixed: `ts timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP` is inspected
// (exit 0, no NOTE) without the ON UPDATE; and `diff --url` against that registry then reports the
// column as drift (exit 3) (the same false drift as the focused timestamp case).
TEST_CASE("adversary: MariaDB ON UPDATE CURRENT_TIMESTAMP is refused or kept by inspect") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  refused_or_faithful(*server,
                      "CREATE TABLE u (id int PRIMARY KEY, ts timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE "
                      "CURRENT_TIMESTAMP) ENGINE=InnoDB;\n",
                      "ts");
}

// Found as a bug, fixed: `PARTITION BY HASH(id) PARTITIONS 2` is dropped by inspect (exit 0, no NOTE).
TEST_CASE("adversary: a MariaDB partitioned table is refused or kept by inspect") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  refused_or_faithful(*server,
                      "CREATE TABLE p (id int PRIMARY KEY) ENGINE=InnoDB PARTITION BY HASH(id) PARTITIONS 2;\n", "p");
}

// Found as a bug, fixed: `name text COLLATE "C"` is inspected as `{ type: text }` (exit 0, no NOTE): the copy's
// column has the database's default collation, so comparison and sort order change.
TEST_CASE("adversary: Postgres column and index collations are refused or kept by inspect") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  refused_or_faithful(*server,
                      "CREATE TABLE a (id int PRIMARY KEY, name text COLLATE \"C\");\n"
                      "CREATE INDEX a_name_c ON a (name COLLATE \"C\" text_pattern_ops);\n",
                      "a");
}

// Found as a bug, fixed: `REFERENCES a (id) DEFERRABLE INITIALLY DEFERRED` and `... MATCH FULL` are inspected as plain
// references (exit 0, no NOTE): when and how the key is checked changes.
TEST_CASE("adversary: Postgres deferrable and MATCH FULL foreign keys are refused or kept by inspect") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  refused_or_faithful(*server,
                      "CREATE TABLE a (id int PRIMARY KEY, k int, UNIQUE (id, k));\n"
                      "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id) DEFERRABLE INITIALLY DEFERRED,\n"
                      "  a2 int, k2 int, CONSTRAINT b_a2_fkey FOREIGN KEY (a2, k2) REFERENCES a (id, k) MATCH FULL);\n",
                      "b");
}

// README: "... functions, extensions and every comment are written".
// Found as a bug, fixed: COMMENT ON INDEX and COMMENT ON CONSTRAINT are not written (the copy has none).
TEST_CASE("adversary: Postgres comments on indexes and constraints are kept by inspect") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  refused_or_faithful(*server,
                      "CREATE TABLE a (id int PRIMARY KEY, code varchar(5),\n"
                      "  CONSTRAINT a_id_positive CHECK (id > 0));\n"
                      "CREATE INDEX a_code_lower ON a (lower(code));\n"
                      "COMMENT ON INDEX a_code_lower IS 'index comment';\n"
                      "COMMENT ON CONSTRAINT a_id_positive ON a IS 'check comment';\n"
                      "COMMENT ON CONSTRAINT a_pkey ON a IS 'key comment';\n",
                      "a");
}

// Found as a bug, fixed: `l varchar(10) CHARACTER SET latin1` and `ci varchar(10) COLLATE utf8mb4_general_ci` on a
// utf8mb4_bin table are inspected as `{ type: string(10) }` (exit 0, no NOTE).
TEST_CASE("adversary: MariaDB column character sets and collations are refused or kept by inspect") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  refused_or_faithful(*server,
                      "CREATE TABLE t (id int PRIMARY KEY, l varchar(10) CHARACTER SET latin1,\n"
                      "  ci varchar(10) COLLATE utf8mb4_general_ci) ENGINE=InnoDB;\n",
                      "t");
}

// README: "every comment are written". BUG: an index COMMENT is not written.
TEST_CASE("adversary: MariaDB index comments are kept by inspect") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  refused_or_faithful(
      *server,
      "CREATE TABLE t (id int PRIMARY KEY, l varchar(10), KEY k_l (l) COMMENT 'index comment') ENGINE=InnoDB;\n", "t");
}

// Found as a bug, fixed: `WITH (security_barrier)` and `WITH CASCADED CHECK OPTION` on views and a table's
// `WITH (fillfactor=70)` are dropped by inspect (exit 0, no NOTE): the copy's views accept rows
// they would refuse and leak through leaky functions.
TEST_CASE("adversary: Postgres view options and table storage parameters are refused or kept by inspect") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  refused_or_faithful(*server,
                      "CREATE TABLE a (id int PRIMARY KEY, n int) WITH (fillfactor=70);\n"
                      "CREATE VIEW v1 WITH (security_barrier) AS SELECT id FROM a WHERE n > 0;\n"
                      "CREATE VIEW v2 AS SELECT id, n FROM a WHERE n > 0 WITH CASCADED CHECK OPTION;\n",
                      "v2");
}

// Found as a bug, fixed: `SQL SECURITY INVOKER` and `WITH CASCADED CHECK OPTION` are dropped by inspect (exit 0, no
// NOTE): the copy's views run as DEFINER and accept rows outside the view.
TEST_CASE("adversary: MariaDB view security and check options are refused or kept by inspect") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  refused_or_faithful(*server,
                      "CREATE TABLE a (id int PRIMARY KEY, n int) ENGINE=InnoDB;\n"
                      "CREATE SQL SECURITY INVOKER VIEW v1 AS SELECT id FROM a WHERE n > 0;\n"
                      "CREATE VIEW v2 AS SELECT id, n FROM a WHERE n > 0 WITH CASCADED CHECK OPTION;\n",
                      "v2");
}

// The adoption path of the README: inspect, then `diff --url` against what inspect wrote must say
// "no drift" (exit 0), and install.sql of it must build the same columns.
void inspect_then_diff_clean(const FreshDatabase& db, const db::DatabaseUrl& server) {
  TempDir t;
  fs::path schema = t.path / "schema", mig = t.path / "migrations";
  fs::create_directories(mig);
  Run r = schemactl("inspect --url " + url_of(db) + " --out " + schema.string());
  REQUIRE_MESSAGE(r.status == 0, r.output);
  INFO(all_files(schema));
  r = schemactl("diff --url " + url_of(db) + " --schema " + schema.string() + " --migrations " + mig.string());
  CHECK_MESSAGE(r.status == 0, r.output);
  r = schemactl("generate --schema " + schema.string() + " --out " + (t.path / "gen").string());
  REQUIRE_MESSAGE(r.status == 0, r.output);
  FreshDatabase copy(server, "adv_clean_copy");
  std::string out;
  REQUIRE_MESSAGE(copy.apply_file((t.path / "gen" / dialect_name(db.url().dialect) / "install.sql").string(), out) == 0,
                  out);
  CHECK_SAME_CATALOG(server_catalog(db), server_catalog(copy));
}

// Found as a bug, fixed: `diff --url` right after `inspect` reports two false drifts:
//   alter column t.id: "changes t.id from integer to integer GENERATED ALWAYS AS IDENTITY"
//     (cannot be planned) -- inspect writes `serial` + `postgres: { type: ... IDENTITY }`, diff
//     reads the live column back as plain integer;
//   alter column t.a: ALTER TABLE public.t ALTER COLUMN a SET DEFAULT E'x\\y' -- the live
//     default is exactly 'x\y'::text (a backslash in a string default).
TEST_CASE("adversary: Postgres identity columns and string defaults with a backslash are not drift after inspect") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  FreshDatabase db(*server, "adv_pg_defaults");
  client_exec(db,
              "CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a text DEFAULT 'x\\y',\n"
              "  b timestamp DEFAULT now(), c timestamptz DEFAULT CURRENT_TIMESTAMP, d date DEFAULT CURRENT_DATE,\n"
              "  e varchar(10) DEFAULT 'it''s', f text DEFAULT E'tab\\there');\n"
              "CREATE TABLE u (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);\n");
  inspect_then_diff_clean(db, *server);
}

// Found as a bug, fixed: `diff --url` right after `inspect` reports
//   alter column t.created_at: ALTER TABLE t MODIFY COLUMN created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP;
//   alter column t.c3: ALTER TABLE t MODIFY COLUMN c3 datetime DEFAULT CURRENT_TIMESTAMP;
// which is exactly what the columns are (timestamp(3) ... CURRENT_TIMESTAMP(3) is not reported).
TEST_CASE("adversary: MariaDB timestamp/datetime DEFAULT CURRENT_TIMESTAMP is not drift after inspect") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  FreshDatabase db(*server, "adv_my_defaults");
  client_exec(db,
              "CREATE TABLE t (id int PRIMARY KEY, created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
              "  c2 timestamp NULL DEFAULT NULL, c3 datetime DEFAULT CURRENT_TIMESTAMP,\n"
              "  c4 timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB;\n");
  inspect_then_diff_clean(db, *server);
}

// Found as a bug, fixed: the registry's own primary-key name for a 63-byte table, `<table>_pkey`, is 68 bytes:
// `inspect` writes a registry that does not validate and refuses a database that PostgreSQL and
// MariaDB hold legally (63-byte names are what the registry accepts; PostgreSQL's own key name is
// truncated to 63 bytes and is a different, valid name that inspect could write).
TEST_CASE("adversary: a MariaDB table with a 63-byte name round-trips") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  FreshDatabase db(*server, "adv_my_long");
  client_exec(db, "CREATE TABLE `" + kLong +
                      "` (\n"
                      "  id bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,\n"
                      "  label varchar(20),\n"
                      "  KEY (label)\n"
                      ") ENGINE=InnoDB COMMENT='long';\n");
  adopt_round_trip(db, *server, "adv_my_long");
}

// Found as a bug, fixed: only the spgist / FULLTEXT index is named; the table "has space" (an identifier the
// registry does not accept) is reported only once the index is gone: not "every such object".
// "What would change the database's meaning is refused instead: an index method or type the
// registry has no word for (e.g. `spgist`, MySQL `FULLTEXT`), or ... an identifier the registry
// does not accept: `inspect` exits 1 naming every such object and writes nothing."
TEST_CASE("adversary: inspect refuses what the registry cannot express, naming each, writing nothing") {
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    FreshDatabase db(server, "adv_refuse");
    if (d == DialectId::postgres)
      client_exec(db,
                  "CREATE TABLE fine (id integer PRIMARY KEY, p point, body text);\n"
                  "CREATE INDEX fine_spg ON fine USING spgist (p);\n"
                  "CREATE TABLE \"has space\" (id integer PRIMARY KEY);\n");
    else
      client_exec(db,
                  "CREATE TABLE fine (id int PRIMARY KEY, body text, FULLTEXT KEY fine_ft (body)) ENGINE=InnoDB;\n"
                  "CREATE TABLE `has space` (id int PRIMARY KEY);\n");
    TempDir t;
    fs::path out = t.path / "schema";
    Run r = schemactl("inspect --url " + url_of(db) + " --out " + out.string());
    CHECK_MESSAGE(r.status == 1, r.output);
    CHECK_MESSAGE(r.output.find(d == DialectId::postgres ? "fine_spg" : "fine_ft") != std::string::npos, r.output);
    CHECK_MESSAGE(r.output.find("has space") != std::string::npos, r.output);
    CHECK(all_files(out) == "");
    Split s = schemactl_split("inspect --url " + url_of(db));
    CHECK(s.status == 1);
    CHECK(s.out == "");
  });
}

// ---------------------------------------------------------------------------------------------
// Drift of every kind, repaired by `diff --sql`

const char* kRegistry = "registry: adv\ndescription: adversary shop\n";
const char* kShop = R"Y(entity: Shop
enums:
  order_state:
    values: [new, paid, shipped]
    description: "State's \\ comment"
tables:
  customers:
    description: "Customers' table \\ of the shop."
    columns:
      id: { type: serial, primary_key: true }
      email: { type: string(120), nullable: false, unique: true }
      status: { type: string(20), nullable: false, default: active }
      note: { type: text, description: "free text" }
    indexes:
      - { columns: [status] }
  orders:
    columns:
      id: { type: bigserial, primary_key: true }
      customer_id:
        type: int
        nullable: false
        references: { table: customers, column: id, on_delete: cascade }
      state: { type: enum(order_state), nullable: false, default: new }
      total: { type: "decimal(12,2)", nullable: false, default: 0 }
    indexes:
      - { columns: [customer_id, state] }
views:
  v_paid:
    depends_on: [orders]
    sql:
      postgres: SELECT id, customer_id, total FROM orders WHERE state = 'paid'
      tidb: SELECT id, customer_id, total FROM orders WHERE state = 'paid'
)Y";

struct Project {
  TempDir t;
  fs::path schema = t.path / "schema", gen = t.path / "generated", mig = t.path / "migrations";
  explicit Project(const std::string& shop = kShop) {
    put(schema / "registry.yaml", kRegistry);
    put(schema / "shop.yaml", shop);
    Run r = schemactl("generate --schema " + schema.string() + " --out " + gen.string());
    REQUIRE_MESSAGE(r.status == 0, r.output);
    fs::create_directories(mig);
  }
  std::string install(DialectId d) const { return (gen / dialect_name(d) / "install.sql").string(); }
  std::string dirs() const { return " --schema " + schema.string() + " --migrations " + mig.string() + " "; }
};

void install_into(const FreshDatabase& db, const Project& p) {
  std::string out;
  REQUIRE_MESSAGE(db.apply_file(p.install(db.url().dialect), out) == 0, out);
}

struct Drift {
  const char* name;
  const char* pg;  // nullptr: not this dialect's case
  const char* my;
};

const Drift kDrifts[] = {
    {"dropped index", "DROP INDEX idx_customers_status", "DROP INDEX idx_customers_status ON customers"},
    {"altered default", "ALTER TABLE customers ALTER COLUMN status SET DEFAULT 'inactive'",
     "ALTER TABLE customers ALTER COLUMN status SET DEFAULT 'inactive'"},
    {"changed view body",
     "CREATE OR REPLACE VIEW v_paid AS SELECT id, customer_id, total FROM orders WHERE state = 'shipped'",
     "CREATE OR REPLACE VIEW v_paid AS SELECT id, customer_id, total FROM orders WHERE state = 'shipped'"},
    {"extra column", "ALTER TABLE customers ADD COLUMN extra integer", "ALTER TABLE customers ADD COLUMN extra int"},
    {"table comment changed", "COMMENT ON TABLE customers IS 'changed'", "ALTER TABLE customers COMMENT = 'changed'"},
    {"column comment dropped", "COMMENT ON COLUMN customers.note IS NULL",
     "ALTER TABLE customers MODIFY note text COMMENT ''"},
    {"nullability dropped", "ALTER TABLE orders ALTER COLUMN total DROP NOT NULL",
     "ALTER TABLE orders MODIFY total decimal(12,2) NULL DEFAULT 0.00"},
    {"extra table", "CREATE TABLE stray (id int PRIMARY KEY)", "CREATE TABLE stray (id int PRIMARY KEY)"},
    {"dropped view", "DROP VIEW v_paid", "DROP VIEW v_paid"},
    {"extra index", "CREATE INDEX stray_idx ON orders (total)", "CREATE INDEX stray_idx ON orders (total)"},
    // (On Postgres, narrowing back is refused: see kRefusedDrifts.)
    {"column type widened", nullptr, "ALTER TABLE customers MODIFY email varchar(200) NOT NULL"},
};

// Drift whose repair the planner refuses (PostgreSQL cannot drop an enum value in place, TiDB can
// only append ENUM values, narrowing a VARCHAR needs --allow-rewrite): `diff` reports it (exit 3)
// and the script, which says NOT PLANNED, must run and change nothing.
const Drift kRefusedDrifts[] = {
    {"enum value added", "ALTER TYPE order_state ADD VALUE 'refunded'",
     "ALTER TABLE orders MODIFY state ENUM('new','paid','shipped','refunded') NOT NULL DEFAULT 'new'"},
    {"column type widened", "ALTER TABLE customers ALTER COLUMN email TYPE varchar(200)", nullptr},
};

TEST_CASE("adversary: each kind of drift is found (exit 3) and `diff --sql` repairs it to a fresh install's catalog") {
  Project p;
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    FreshDatabase fresh(server, "adv_drift_fresh");
    install_into(fresh, p);
    const std::string expected = server_catalog(fresh);
    Run clean = schemactl("diff --url " + url_of(fresh) + p.dirs());
    CHECK_MESSAGE(clean.status == 0, clean.output);
    for (const Drift& k : kDrifts) {
      std::string kind = k.name;
      CAPTURE(kind);
      if (!(d == DialectId::postgres ? k.pg : k.my)) continue;
      FreshDatabase db(server, "adv_drift");
      install_into(db, p);
      client_exec(db, std::string(d == DialectId::postgres ? k.pg : k.my) + ";\n");
      REQUIRE(server_catalog(db) != expected);  // the drift is real
      fs::path repair = p.t.path / ("repair_" + std::string(dialect_name(d)) + ".sql");
      fs::remove(repair);
      Run r = schemactl("diff --url " + url_of(db) + p.dirs() + "--sql " + repair.string());
      CHECK_MESSAGE(r.status == 3, r.output);
      REQUIRE_MESSAGE(fs::exists(repair), r.output);
      std::string out;
      INFO("repair script:\n" << slurp(repair) << "\ndiff said:\n" << r.output);
      CHECK_MESSAGE(db.apply_file(repair.string(), out) == 0, out);
      CHECK_SAME_CATALOG(expected, server_catalog(db));
      Run again = schemactl("diff --url " + url_of(db) + p.dirs());
      CHECK_MESSAGE(again.status == 0, again.output);
    }
  });
}

TEST_CASE("adversary: drift whose repair is refused is reported, and its script runs and changes nothing") {
  Project p;
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    for (const Drift& k : kRefusedDrifts) {
      std::string kind = k.name;
      CAPTURE(kind);
      if (!(d == DialectId::postgres ? k.pg : k.my)) continue;
      FreshDatabase db(server, "adv_drift_refused");
      install_into(db, p);
      client_exec(db, std::string(d == DialectId::postgres ? k.pg : k.my) + ";\n");
      const std::string drifted = server_catalog(db);
      fs::path repair = p.t.path / ("refused_" + std::string(dialect_name(d)) + ".sql");
      fs::remove(repair);
      Run r = schemactl("diff --url " + url_of(db) + p.dirs() + "--sql " + repair.string());
      CHECK_MESSAGE(r.status == 3, r.output);
      REQUIRE_MESSAGE(fs::exists(repair), r.output);
      INFO("repair script:\n" << slurp(repair));
      std::string out;
      CHECK_MESSAGE(db.apply_file(repair.string(), out) == 0, out);
      CHECK_SAME_CATALOG(drifted, server_catalog(db));
      CHECK(slurp(repair).find("NOT PLANNED") != std::string::npos);
    }
  });
}

// Found as a bug, fixed: `diff --url` re-creates the expected view v_paid for comparison under the session's
// search_path (evil, public): its unqualified `orders` resolves to evil.orders, so diff reports
// "not checked: the query of view v_paid: ERROR: column "id" does not exist" plus a false
// "drop view v_paid" / "create view v_paid" (exit 3), and the --sql script (no SET search_path for
// public) fails in psql the same way: `ERROR: column "id" does not exist`.
// A hostile search_path as the database default: a schema ahead of public holding tables of the
// same names. inspect (default --pg-schema public) and diff must read public, whatever the session's
// search_path.
TEST_CASE("adversary: Postgres with a search_path default that puts a look-alike schema before public") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  Project p;
  FreshDatabase db(*server, "adv_pg_path");
  install_into(db, p);
  client_exec(db,
              "CREATE SCHEMA evil;\n"
              "CREATE TABLE evil.customers (id text PRIMARY KEY, nothing_like_it jsonb);\n"
              "CREATE TABLE evil.orders (x int);\n"
              "CREATE VIEW evil.v_paid AS SELECT 1 AS one;\n"
              "ALTER DATABASE " +
                  db.url().database + " SET search_path = evil, public;\n");
  Run r = schemactl("diff --url " + url_of(db) + p.dirs());
  CHECK_MESSAGE(r.status == 0, r.output);
  TempDir t;
  r = schemactl("inspect --url " + url_of(db) + " --out " + (t.path / "s").string());
  REQUIRE_MESSAGE(r.status == 0, r.output);
  std::string files = all_files(t.path / "s");
  CHECK_MESSAGE(files.find("nothing_like_it") == std::string::npos, files);
  CHECK_MESSAGE(files.find("email") != std::string::npos, files);
  // And a migration recorded there lands in public's objects (the repair of a dropped index).
  client_exec(db, "DROP INDEX public.idx_customers_status;\n");
  fs::path repair = t.path / "repair.sql";
  r = schemactl("diff --url " + url_of(db) + p.dirs() + "--sql " + repair.string());
  CHECK_MESSAGE(r.status == 3, r.output);
  std::string out;
  CHECK_MESSAGE(db.apply_file(repair.string(), out) == 0, out);
  CHECK(q(db, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname = 'idx_customers_status'")
            .at(0)
            .at(0) == std::optional<std::string>("1"));
  CHECK(q(db, "SELECT count(*) FROM pg_indexes WHERE schemaname = 'evil'").at(0).at(0) ==
        std::optional<std::string>("1"));  // only evil.customers' own key
}

// A monitoring user that may only read: `diff --url` in CI as the README suggests.
struct ReadOnlyUser {
  const FreshDatabase& db;
  std::string name = "adv_ro_" + std::to_string(::getpid());
  std::string password = "Ro-Pass-" + std::to_string(::getpid());
  explicit ReadOnlyUser(const FreshDatabase& d) : db(d) {
    auto c = db.connect();
    if (db.url().dialect == DialectId::postgres) {
      c->execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
      c->execute("GRANT USAGE ON SCHEMA public TO " + name);
      c->execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + name);
      c->execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
    } else {
      for (const char* host : {"%", "127.0.0.1", "localhost"}) {
        c->execute("CREATE USER '" + name + "'@'" + host + "' IDENTIFIED BY '" + password + "'");
        c->execute("GRANT SELECT, SHOW VIEW ON " + db.url().database + ".* TO '" + name + "'@'" + host + "'");
      }
    }
  }
  ~ReadOnlyUser() {
    try {
      auto c = db.connect();
      if (db.url().dialect == DialectId::postgres) {
        c->execute("DROP OWNED BY " + name);
        c->execute("DROP ROLE " + name);
      } else {
        for (const char* host : {"%", "127.0.0.1", "localhost"}) c->execute("DROP USER '" + name + "'@'" + host + "'");
      }
    } catch (...) {
    }
  }
  std::string url() const {
    db::DatabaseUrl u = db.url();
    u.user = name;
    u.password = password;
    return shq(url_text(u));
  }
};

// README (MySQL family): "it needs the CREATE VIEW privilege for that; without it the view is listed
// as not checked". Not checked is not drift: a clean database stays clean (exit 0), and a real
// drift is still found, with no repair for the view.
// Found as a bug, fixed (MariaDB): with SELECT and SHOW VIEW only, diff lists `not checked: the query of view v_paid:
// CREATE VIEW command denied ...` and also reports `drop view v_paid` + `create view v_paid`
// (DROP VIEW IF EXISTS v_paid; CREATE OR REPLACE VIEW v_paid ...) and exits 3 on a clean database.
TEST_CASE("adversary: diff --url as a read-only user: what it cannot check is not drift") {
  Project p;
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    FreshDatabase db(server, "adv_ro");
    install_into(db, p);
    ReadOnlyUser ro(db);
    Run r = schemactl("diff --url " + ro.url() + p.dirs());
    CHECK_MESSAGE(r.status == 0, r.output);
    CHECK(r.output.find(ro.password) == std::string::npos);
    client_exec(db, std::string(d == DialectId::postgres ? "DROP INDEX idx_customers_status"
                                                         : "DROP INDEX idx_customers_status ON customers") +
                        ";\n");
    TempDir t;
    fs::path repair = t.path / "repair.sql";
    r = schemactl("diff --url " + ro.url() + p.dirs() + "--sql " + repair.string());
    CHECK_MESSAGE(r.status == 3, r.output);
    INFO(slurp(repair));
    CHECK(slurp(repair).find("DROP VIEW") == std::string::npos);
    std::string out;
    CHECK_MESSAGE(db.apply_file(repair.string(), out) == 0, out);
    FreshDatabase fresh(server, "adv_ro_fresh");
    install_into(fresh, p);
    CHECK_SAME_CATALOG(server_catalog(fresh), server_catalog(db));
  });
}

// README: "Postgres: a value with a backslash is an E'...' string ..., so standard_conforming_strings
// does not matter; on TiDB/MySQL ... install.sql and schemactl's own sessions first take
// NO_BACKSLASH_ESCAPES out of sql_mode". The repair script is SQL written for `psql -f` / `mysql <`.
// Found as a bug, fixed: fails through the backslash-default false drift (see the focused Postgres defaults case):
// `diff --url` right after inspect says `ALTER COLUMN body SET DEFAULT E'a\\b'`.
TEST_CASE("adversary: Postgres with standard_conforming_strings=off as the database default") {
  auto server = server_url(DialectId::postgres);
  REQUIRE(server);
  FreshDatabase db(*server, "adv_pg_scs");
  client_exec(db, "ALTER DATABASE " + db.url().database + " SET standard_conforming_strings = off;\n");
  client_exec(db,
              "SET standard_conforming_strings = on;\n"
              "CREATE TABLE notes (id integer PRIMARY KEY, body text DEFAULT 'a\\b');\n"
              "COMMENT ON TABLE notes IS " +
                  kHostilePg +
                  ";\n"
                  "COMMENT ON COLUMN notes.body IS E'c:\\\\temp\\\\new';\n");
  const std::string want_table = kHostileValue;
  auto table_comment = [&] { return q(db, "SELECT obj_description('notes'::regclass, 'pg_class')").at(0).at(0); };
  auto column_comment = [&] { return q(db, "SELECT col_description('notes'::regclass, 2)").at(0).at(0); };
  auto default_text = [&] {
    return q(db,
             "SELECT column_default FROM information_schema.columns WHERE table_name = 'notes' AND "
             "column_name = 'body'")
        .at(0)
        .at(0);
  };
  const auto want_default = default_text();
  REQUIRE(table_comment() == want_table);
  REQUIRE(column_comment() == std::string("c:\\temp\\new"));

  TempDir t;
  fs::path schema = t.path / "schema", mig = t.path / "migrations";
  fs::create_directories(mig);
  Run r = schemactl("inspect --url " + url_of(db) + " --out " + schema.string());
  REQUIRE_MESSAGE(r.status == 0, r.output);
  INFO(all_files(schema));
  r = schemactl("diff --url " + url_of(db) + " --schema " + schema.string() + " --migrations " + mig.string());
  CHECK_MESSAGE(r.status == 0, r.output);

  // Drift the comments and the default, repair with psql (whose session has scs=off too).
  client_exec(db,
              "SET standard_conforming_strings = on;\nCOMMENT ON TABLE notes IS 'x';\nCOMMENT ON COLUMN notes.body IS "
              "'y';\nALTER TABLE notes ALTER COLUMN body SET DEFAULT 'z';\n");
  fs::path repair = t.path / "repair.sql";
  r = schemactl("diff --url " + url_of(db) + " --schema " + schema.string() + " --migrations " + mig.string() +
                " --sql " + repair.string());
  CHECK_MESSAGE(r.status == 3, r.output);
  INFO(slurp(repair));
  std::string out;
  CHECK_MESSAGE(db.apply_file(repair.string(), out) == 0, out);
  CHECK(table_comment() == want_table);
  CHECK(column_comment() == std::string("c:\\temp\\new"));
  CHECK(default_text() == want_default);

  // And install.sql of the inspected registry, run by psql on a database whose default is scs=off.
  r = schemactl("generate --schema " + schema.string() + " --out " + (t.path / "gen").string());
  REQUIRE_MESSAGE(r.status == 0, r.output);
  FreshDatabase copy(*server, "adv_pg_scs_copy");
  client_exec(copy, "ALTER DATABASE " + copy.url().database + " SET standard_conforming_strings = off;\n");
  REQUIRE_MESSAGE(copy.apply_file((t.path / "gen/postgres/install.sql").string(), out) == 0, out);
  CHECK_SAME_CATALOG(server_catalog(db), server_catalog(copy));
}

// Server-wide sql_mode, restored afterwards (these are this test's own servers).
struct GlobalSqlMode {
  const FreshDatabase& db;
  std::string old;
  GlobalSqlMode(const FreshDatabase& d, const std::string& mode) : db(d) {
    old = q(db, "SELECT @@GLOBAL.sql_mode").at(0).at(0).value_or("");
    db.connect()->execute("SET GLOBAL sql_mode = '" + mode + "'");
  }
  ~GlobalSqlMode() {
    try {
      db.connect()->execute("SET GLOBAL sql_mode = '" + old + "'");
    } catch (...) {
    }
  }
};

TEST_CASE("adversary: MariaDB with ANSI_QUOTES and NO_BACKSLASH_ESCAPES as the server's sql_mode") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  FreshDatabase db(*server, "adv_my_mode");
  // Built under the ordinary mode.
  client_exec(db,
              "CREATE TABLE `notes` (\n"
              "  id int NOT NULL PRIMARY KEY,\n"
              "  body varchar(50) DEFAULT 'a\\\\b \"q\"' COMMENT 'c:\\\\temp\\\\new',\n"
              "  `key` varchar(10) NOT NULL DEFAULT ''\n"
              ") COMMENT='it''s a \\\\ \"dq\" 🎉';\n"
              "CREATE VIEW v_notes AS SELECT id, `key`, 'lit\"eral' AS l FROM notes WHERE body <> 'x\\\\y';\n");
  const std::string before = server_catalog(db);
  TempDir t;
  fs::path schema = t.path / "schema", mig = t.path / "migrations";
  fs::create_directories(mig);
  GlobalSqlMode mode(db, "ANSI_QUOTES,NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES");
  Run r = schemactl("inspect --url " + url_of(db) + " --out " + schema.string());
  REQUIRE_MESSAGE(r.status == 0, r.output);
  INFO(all_files(schema));
  r = schemactl("diff --url " + url_of(db) + " --schema " + schema.string() + " --migrations " + mig.string());
  CHECK_MESSAGE(r.status == 0, r.output);
  // Drift, then the repair script through the mariadb client, whose session has the hostile mode.
  client_exec(db,
              "ALTER TABLE notes COMMENT = 'x';\nALTER TABLE notes MODIFY body varchar(50) DEFAULT 'z' COMMENT 'y';\n");
  fs::path repair = t.path / "repair.sql";
  r = schemactl("diff --url " + url_of(db) + " --schema " + schema.string() + " --migrations " + mig.string() +
                " --sql " + repair.string());
  CHECK_MESSAGE(r.status == 3, r.output);
  INFO(slurp(repair));
  std::string out;
  CHECK_MESSAGE(db.apply_file(repair.string(), out) == 0, out);
  CHECK_SAME_CATALOG(before, server_catalog(db));
  // install.sql of the inspected registry under the hostile mode.
  r = schemactl("generate --schema " + schema.string() + " --out " + (t.path / "gen").string());
  REQUIRE_MESSAGE(r.status == 0, r.output);
  FreshDatabase copy(*server, "adv_my_mode_copy");
  CHECK_MESSAGE(copy.apply_file((t.path / "gen/tidb/install.sql").string(), out) == 0, out);
  CHECK_SAME_CATALOG(before, server_catalog(copy));
}

// ---------------------------------------------------------------------------------------------
// migrate baseline

std::vector<std::string> ups(const fs::path& dir);

std::string sha256_of(const fs::path& p) {
  std::string out;
  REQUIRE(run_command("sha256sum " + shq(p.string()), out) == 0);
  return out.substr(0, 64);
}

std::string only_version(const fs::path& dir) {
  std::vector<std::string> v;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string n = e.path().filename().string();
    if (n.size() > 7 && n.substr(n.size() - 7) == ".up.sql") v.push_back(n.substr(0, 15));
  }
  std::sort(v.begin(), v.end());
  REQUIRE(!v.empty());
  return v.back();
}

int history_count(const FreshDatabase& db) {
  std::string sql = db.url().dialect == DialectId::postgres
                        ? "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schemactl_migrations' "
                          "AND table_schema = 'public'"
                        : "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
                          "TABLE_NAME = 'schemactl_migrations'";
  if (q(db, sql).at(0).at(0) == std::optional<std::string>("0")) return 0;
  return std::stoi(q(db, "SELECT COUNT(*) FROM schemactl_migrations").at(0).at(0).value());
}

TEST_CASE("adversary: migrate baseline records a matching database, refuses a drifted one, then up goes on") {
  Project p;
  Run r = schemactl("migrate new baseline" + p.dirs());
  REQUIRE_MESSAGE(r.status == 0, r.output);
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    fs::path dir = p.mig / dialect_name(d);
    std::string v = only_version(dir);
    fs::path up;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().filename().string().rfind(v, 0) == 0 && e.path().string().find(".up.sql") != std::string::npos)
        up = e.path();

    FreshDatabase drifted(server, "adv_base_drift");
    install_into(drifted, p);
    client_exec(drifted, std::string(d == DialectId::postgres ? "DROP INDEX idx_customers_status"
                                                              : "DROP INDEX idx_customers_status ON customers") +
                             ";\n");
    r = migrate("baseline " + v, drifted, p.mig);
    CHECK_MESSAGE(r.status == 1, r.output);
    CHECK(history_count(drifted) == 0);

    FreshDatabase db(server, "adv_base");
    install_into(db, p);
    r = migrate("baseline " + v, db, p.mig);
    REQUIRE_MESSAGE(r.status == 0, r.output);
    auto rows = q(db, "SELECT version, checksum, state FROM schemactl_migrations");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0][0] == std::optional<std::string>(v));
    CHECK(rows[0][1] == std::optional<std::string>(sha256_of(up)));
    CHECK(rows[0][2] == std::optional<std::string>("applied"));
    // A second baseline is refused and adds nothing.
    r = migrate("baseline " + v, db, p.mig);
    CHECK_MESSAGE(r.status == 1, r.output);
    CHECK(history_count(db) == 1);
    // Nothing pending: up changes nothing.
    const std::string cat = server_catalog(db);
    r = migrate("up", db, p.mig);
    CHECK_MESSAGE(r.status == 0, r.output);
    CHECK_SAME_CATALOG(cat, server_catalog(db));
  });
}

// "a VERSION older than the latest cannot be checked: it is refused unless --force, which records it
// unchecked ... `migrate up` then goes on from the migration after VERSION."
TEST_CASE("adversary: baseline at an older version needs --force, then up runs only the later migration") {
  Project p;
  Run r = schemactl("migrate new baseline" + p.dirs());
  REQUIRE_MESSAGE(r.status == 0, r.output);
  std::string shop2 = kShop;
  shop2.replace(shop2.find("    indexes:\n      - { columns: [status] }"), 0, "      nickname: { type: string(30) }\n");
  put(p.schema / "shop.yaml", shop2);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  r = schemactl("migrate new add_nickname" + p.dirs());
  REQUIRE_MESSAGE(r.status == 0, r.output);
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    auto versions = ups(p.mig / dialect_name(d));
    REQUIRE(versions.size() == 2);
    std::string v1 = versions[0].substr(0, 15);
    FreshDatabase db(server, "adv_base_old");
    install_into(db, p);  // gen/ still holds the first registry's install.sql
    r = migrate("baseline " + v1, db, p.mig);
    CHECK_MESSAGE(r.status == 1, r.output);
    CHECK(history_count(db) == 0);
    r = migrate("baseline " + v1 + " --force", db, p.mig);
    REQUIRE_MESSAGE(r.status == 0, r.output);
    CHECK(history_count(db) == 1);
    r = migrate("up", db, p.mig);
    CHECK_MESSAGE(r.status == 0, r.output);
    CHECK(history_count(db) == 2);
    CHECK(q(db, d == DialectId::postgres ? "SELECT count(*) FROM information_schema.columns WHERE column_name = "
                                           "'nickname' AND table_name = 'customers' AND table_schema = 'public'"
                                         : "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE COLUMN_NAME = "
                                           "'nickname' AND TABLE_NAME = 'customers' AND TABLE_SCHEMA = DATABASE()")
              .at(0)
              .at(0) == std::optional<std::string>("1"));
  });
}

TEST_CASE("adversary: two migrate baseline at once record the history once") {
  Project p;
  Run r = schemactl("migrate new baseline" + p.dirs());
  REQUIRE_MESSAGE(r.status == 0, r.output);
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    std::string v = only_version(p.mig / dialect_name(d));
    for (int round = 0; round < 3; ++round) {
      FreshDatabase db(server, "adv_base_race");
      install_into(db, p);
      Background a("baseline " + v, db, p.mig), b("baseline " + v, db, p.mig);
      Run ra = a.wait(), rb = b.wait();
      INFO(ra.output << "\n----\n" << rb.output);
      CHECK(((ra.status == 0) != (rb.status == 0)));
      CHECK(history_count(db) == 1);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// diff --url on the MySQL family: scratch views

TEST_CASE("adversary: concurrent diff runs on MariaDB never see each other's scratch view and leave none") {
  auto server = server_url(DialectId::tidb);
  REQUIRE(server);
  Project p;
  FreshDatabase db(*server, "adv_diff_race");
  install_into(db, p);
  // A scratch view left by a killed run (another connection id) is neither drift nor inspected.
  client_exec(db, "CREATE VIEW schemactl_drift_probe_999999 AS SELECT 1 AS x;\n");
  std::vector<std::thread> threads;
  std::vector<Run> results(6);
  for (std::size_t i = 0; i < results.size(); ++i)
    threads.emplace_back([&, i] { results[i] = schemactl("diff --url " + url_of(db) + p.dirs()); });
  for (auto& t : threads) t.join();
  for (const auto& r : results) CHECK_MESSAGE(r.status == 0, r.output);
  auto views = q(db,
                 "SELECT TABLE_NAME FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME "
                 "LIKE 'schemactl%'");
  CHECK(rows_text(views) == "schemactl_drift_probe_999999 | \n");
  Run ins = schemactl("inspect --url " + url_of(db));
  CHECK_MESSAGE(ins.status == 0, ins.output);
  CHECK(ins.output.find("schemactl_drift_probe") == std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Secrets and errors for machines

TEST_CASE("adversary: a password never appears in any output, for wrong passwords, bad URLs and odd spellings") {
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    std::string scheme = d == DialectId::postgres ? "postgres" : "mysql";
    std::string hp = server.host + ":" + std::to_string(server.port);
    TempDir t;
    fs::create_directories(t.path / "migrations");
    fs::create_directories(t.path / "schema");
    put(t.path / "schema/registry.yaml", kRegistry);
    put(t.path / "schema/shop.yaml", kShop);
    struct Case {
      std::string url;
      std::vector<std::string> secrets;
    };
    const std::vector<Case> cases = {
        {scheme + "://" + server.user + ":Wr0ng-Pw-991@" + hp + "/" + server.database, {"Wr0ng-Pw-991"}},
        {scheme + "://" + server.user + ":p%40ss%2Fw%3Frd%23X77@" + hp + "/" + server.database,
         {"p@ss/w?rd#X77", "p%40ss%2Fw%3Frd%23X77"}},
        {scheme + "://" + server.user + ":p@ss/w?rd#Y88@" + hp + "/" + server.database, {"p@ss/w?rd#Y88", "rd#Y88"}},
        {scheme + "://" + server.user + "@" + hp + "/" + server.database + "?password=Qx%26Zz-445&connect_timeout=3",
         {"Qx&Zz-445", "Qx%26Zz-445"}},
        {scheme + "://" + server.user + ":Bad-Port-Pw-1@" + server.host + ":99999/" + server.database,
         {"Bad-Port-Pw-1"}},
        {scheme + "://" + server.user + ":Typo-Opt-Pw-2@" + hp + "/" + server.database + "?sslmod=disable",
         {"Typo-Opt-Pw-2"}},
        {scheme + "://" + server.user + ":Pw-Ws-3 x@" + hp + "/" + server.database, {"Pw-Ws-3 x"}},
        {scheme + "://" + server.user + ":Pw-Nohost-4@/" + server.database, {"Pw-Nohost-4"}},
        {scheme + "://" + server.user + ":Pw-v6-5@[::1:" + std::to_string(server.port) + "/" + server.database,
         {"Pw-v6-5"}},
        // The right password, a database named like it: the server's error names the database.
        {scheme + "://" + server.user + ":" + server.password + "@" + hp + "/" + server.password, {server.password}},
        // The password is the database name ...
        {scheme + "://" + server.user + ":nosuchdb4242@" + hp + "/nosuchdb4242", {"nosuchdb4242"}},
    };
    const std::vector<std::string> commands = {
        "inspect --url URL",
        "inspect --url URL --format json",
        "diff --url URL --schema SCHEMA --migrations MIG",
        "diff --url URL --schema SCHEMA --migrations MIG --format json",
        "diff --url URL --schema SCHEMA --migrations MIG --format markdown",
        "migrate baseline 20200101_000000 --url URL --migrations MIG",
        "migrate status --url URL --migrations MIG --format json",
        "migrate rm 20200101_000000 --url URL --migrations MIG",
        "migrate plan --url URL --migrations MIG --format markdown --error-format json",
        "inspect --url URL --tables 'x[' --error-format json",
        "inspect --url URL --bogus-option",
    };
    for (const auto& c : cases) {
      for (const auto& cmd : commands) {
        std::string line =
            replace_all(replace_all(replace_all(cmd, "URL", shq(c.url)), "SCHEMA", (t.path / "schema").string()), "MIG",
                        (t.path / "migrations").string());
        for (const std::string& via_env : {std::string(""), std::string("env")}) {
          Split s = via_env.empty()
                        ? schemactl_split(line)
                        : schemactl_split(replace_all(line, "--url " + shq(c.url), ""), "DATABASE_URL=" + shq(c.url));
          CAPTURE(c.url);
          CAPTURE(line);
          CAPTURE(via_env);
          CHECK(s.status != 0);
          for (const auto& secret : c.secrets) {
            CHECK_MESSAGE(s.out.find(secret) == std::string::npos, "stdout: " << s.out);
            CHECK_MESSAGE(s.err.find(secret) == std::string::npos, "stderr: " << s.err);
          }
        }
      }
    }
  });
}

TEST_CASE("adversary: --error-format json is one JSON line on stderr with the real exit code, stdout empty") {
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    std::string scheme = d == DialectId::postgres ? "postgres" : "mysql";
    std::string hp = server.host + ":" + std::to_string(server.port);
    TempDir t;
    fs::create_directories(t.path / "migrations");
    put(t.path / "schema/registry.yaml", kRegistry);
    put(t.path / "schema/shop.yaml", kShop);
    put(t.path / "broken/registry.yaml", kRegistry);
    put(t.path / "broken/shop.yaml", "entity: Shop\ntables:\n  t:\n    columns:\n      id: { type: jsonn }\n");
    put(t.path / "full/x.yaml", "keep");
    std::string bad = shq(scheme + "://" + server.user + ":Wr0ng-Pw-3@" + hp + "/" + server.database);
    std::string good = shq(url_text(server));
    std::string S = (t.path / "schema").string(), M = (t.path / "migrations").string();
    struct Case {
      std::string args;
      int status;
      std::string kind;
    };
    const std::vector<Case> cases = {
        {"inspect --url " + bad, 1, "database"},
        {"diff --url " + bad + " --schema " + S + " --migrations " + M, 1, "database"},
        {"migrate baseline 20200101_000000 --url " + bad + " --migrations " + M, 1, ""},
        {"inspect --url " + good + " --out " + (t.path / "full").string(), 1, ""},
        {"inspect --url 'nosuch://x@y/z'", 2, "usage"},
        {"diff --url " + good + " --schema " + S + " --migrations " + M + " --dialect " +
             (d == DialectId::postgres ? "tidb" : "postgres"),
         2, "usage"},
        {"diff --url " + good + " --schema " + (t.path / "broken").string() + " --migrations " + M, 1, "registry"},
        {"migrate baseline 20200101_000000 --url " + good + " --migrations " + M, 1, ""},
        {"migrate rm 20200101_000000 --migrations " + M, 1, ""},
        {"migrate rebase 20200101_000000 --schema " + S + " --migrations " + M, 1, ""},
        {"inspect --url " + good + " --format xml", 2, "usage"},
    };
    for (const auto& c : cases) {
      for (const std::string& where : {std::string("end"), std::string("start")}) {
        std::string args = where == "end" ? c.args + " --error-format json" : "--error-format json " + c.args;
        Split s = schemactl_split(args);
        CAPTURE(args);
        CAPTURE(s.err);
        CHECK(s.status == c.status);
        CHECK_MESSAGE(s.out.empty(), s.out);
        REQUIRE(!s.err.empty());
        CHECK(s.err.back() == '\n');
        CHECK(std::count(s.err.begin(), s.err.end(), '\n') == 1);
        nlohmann::json j;
        try {
          j = nlohmann::json::parse(s.err);
        } catch (const std::exception& e) {
          FAIL("stderr is not JSON: " << e.what());
        }
        CHECK(j.value("exit_code", -1) == s.status);
        CHECK(j.contains("message"));
        if (!c.kind.empty()) CHECK(j.value("kind", "") == c.kind);
        CHECK(s.err.find("Wr0ng-Pw-3") == std::string::npos);
        CHECK(s.err.find(server.password) == std::string::npos);
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// repeat-until-zero: kill -9 in the middle, resume; two runs at once

std::string batch_up(DialectId d) {
  // Each row gets n = n + 1 exactly once if no batch is lost or run twice; a pause in each batch
  // (0.2 s) keeps one in flight long enough to be killed in it.
  if (d == DialectId::postgres)
    return "-- schemactl:repeat-until-zero\n"
           "UPDATE items SET n = n + 1, done = true WHERE id IN (SELECT id FROM items WHERE NOT done ORDER BY id "
           "LIMIT 20) AND (SELECT true FROM pg_sleep(0.2));\n";
  return "-- schemactl:repeat-until-zero\n"
         "UPDATE items SET n = n + 1, done = 1 WHERE NOT done AND SLEEP(0.01) = 0 ORDER BY id LIMIT 20;\n";
}

std::string batch_down(DialectId d) {
  if (d == DialectId::postgres)
    return "-- schemactl:repeat-until-zero\n"
           "UPDATE items SET n = n - 1, done = false WHERE id IN (SELECT id FROM items WHERE done ORDER BY id "
           "LIMIT 20);\n";
  return "-- schemactl:repeat-until-zero\nUPDATE items SET n = n - 1, done = 0 WHERE done ORDER BY id LIMIT 20;\n";
}

void seed_items(const FreshDatabase& db, int count) {
  auto conn = db.connect();
  conn->execute(db.url().dialect == DialectId::postgres
                    ? "CREATE TABLE items (id integer PRIMARY KEY, n integer NOT NULL DEFAULT 0, done boolean NOT "
                      "NULL DEFAULT false)"
                    : "CREATE TABLE items (id int PRIMARY KEY, n int NOT NULL DEFAULT 0, done boolean NOT NULL "
                      "DEFAULT 0) ENGINE=InnoDB");
  conn->execute(db.url().dialect == DialectId::postgres
                    ? "INSERT INTO items (id) SELECT g FROM generate_series(1, " + std::to_string(count) + ") g"
                    : "INSERT INTO items (id) SELECT seq FROM seq_1_to_" + std::to_string(count));
}

TEST_CASE("adversary: repeat-until-zero killed with -9 mid-batch resumes - no row is changed twice or missed") {
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    TempDir t;
    write_migration(t.path, d, "20260101_000000_backfill", batch_up(d), batch_down(d));
    FreshDatabase db(server, "adv_batches");
    seed_items(db, 600);
    for (int kill = 0; kill < 3; ++kill) {
      Background bg("up", db, t.path);
      // Wait until some more batches have committed, then kill -9 inside the next one.
      std::string threshold = std::to_string(60 + kill * 140);
      bool progressed = wait_for_row(db, "SELECT 1 FROM items WHERE done HAVING COUNT(*) >= " + threshold, 60);
      bg.signal(SIGKILL);
      Run r = bg.wait();
      INFO(r.output);
      REQUIRE(progressed);
      // "a batch commits with its progress, so none is lost or counted twice": in one snapshot, the
      // rows the history records as done are the rows the committed batches changed.
      auto both = q(db, "SELECT (SELECT rows_done FROM schemactl_migrations), (SELECT COUNT(*) FROM items WHERE done)");
      CHECK(both.at(0).at(0) == both.at(0).at(1));
      CHECK(both.at(0).at(1) != std::optional<std::string>("0"));
    }
    Run r = migrate("up", db, t.path);
    INFO(r.output);
    CHECK(r.status == 0);
    CHECK(q(db, "SELECT COUNT(*) FROM items WHERE n <> 1 OR NOT done").at(0).at(0) == std::optional<std::string>("0"));
    auto state = q(db, "SELECT state FROM schemactl_migrations");
    REQUIRE(state.size() == 1);
    CHECK(state[0][0] == std::optional<std::string>("applied"));

    r = migrate("status --exit-code", db, t.path);
    CHECK_MESSAGE(r.status == 0, r.output);
    // And back down: every row undone once.
    r = migrate("down --steps 1", db, t.path);
    CHECK_MESSAGE(r.status == 0, r.output);
    CHECK(q(db, "SELECT COUNT(*) FROM items WHERE n <> 0 OR done").at(0).at(0) == std::optional<std::string>("0"));
  });
}

TEST_CASE("adversary: two `migrate up` at once on a repeat-until-zero migration apply it once") {
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    TempDir t;
    write_migration(t.path, d, "20260101_000000_backfill", batch_up(d), batch_down(d));
    FreshDatabase db(server, "adv_batches_race");
    seed_items(db, 200);
    Background a("up", db, t.path), b("up", db, t.path);
    Run ra = a.wait(), rb = b.wait();
    INFO(ra.output << "\n----\n" << rb.output);
    CHECK(ra.status == 0);
    CHECK(rb.status == 0);
    CHECK(q(db, "SELECT COUNT(*) FROM items WHERE n <> 1 OR NOT done").at(0).at(0) == std::optional<std::string>("0"));
    CHECK(history_count(db) == 1);
  });
}

TEST_CASE("adversary: repeat-until-zero on a statement that is not a data change is refused before anything runs") {
  each_dialect([&](const db::DatabaseUrl& server, DialectId d) {
    TempDir t;
    write_migration(t.path, d, "20260101_000000_bad",
                    "CREATE TABLE marker_t (id int PRIMARY KEY);\n-- schemactl:repeat-until-zero\nCREATE TABLE "
                    "never_t (id int PRIMARY KEY);\n",
                    "DROP TABLE never_t;\nDROP TABLE marker_t;\n");
    FreshDatabase db(server, "adv_batches_bad");
    Run r = migrate("up", db, t.path);
    INFO(r.output);
    CHECK(r.status == 1);
    CHECK_FALSE(has_table(db, "never_t"));
  });
}

// ---------------------------------------------------------------------------------------------
// The team workflow: fork detection, rebase, rm

int git(const fs::path& repo, const std::string& args, std::string& out) {
  return run_command(
      "cd " + shq(repo.string()) + " && git -c user.name=t -c user.email=t@t -c commit.gpgsign=false " + args, out);
}

void git_ok(const fs::path& repo, const std::string& args) {
  std::string out;
  INFO("git " << args);
  REQUIRE_MESSAGE(git(repo, args, out) == 0, out);
}

const char* kBranchA = R"(
  gifts:
    columns:
      id: { type: serial, primary_key: true }
      label: { type: string(40), nullable: false }
)";

std::vector<std::string> ups(const fs::path& dir) {
  std::vector<std::string> v;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string n = e.path().filename().string();
    if (n.size() > 7 && n.substr(n.size() - 7) == ".up.sql") v.push_back(n);
  }
  std::sort(v.begin(), v.end());
  return v;
}

TEST_CASE("adversary: two branches' migrations are a fork - rebase re-plans - the history builds the merged registry") {
  TempDir t;
  fs::path repo = t.path / "repo";
  fs::create_directories(repo);
  git_ok(repo, "init -q -b main .");
  put(repo / "schema/registry.yaml", kRegistry);
  put(repo / "schema/shop.yaml", kShop);
  std::string dirs = " --schema schema --migrations migrations ";
  auto in_repo = [&](const std::string& args) {
    Run r;
    r.status = run_command("cd " + shq(repo.string()) + " && " + SCHEMACTL_BINARY + " " + args, r.output);
    return r;
  };
  Run r = in_repo("generate --schema schema --out generated");
  REQUIRE_MESSAGE(r.status == 0, r.output);
  r = in_repo("migrate new base --version 20260101_000000" + dirs);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  git_ok(repo, "add -A && git -c user.name=t -c user.email=t@t commit -q -m base");

  // Branch a: a new table. Branch b: a new column on customers. Neither touches the other's lines.
  git_ok(repo, "checkout -q -b a");
  put(repo / "schema/shop.yaml",
      std::string(kShop).replace(std::string(kShop).find("views:"), 0, std::string(kBranchA).substr(1)));
  r = in_repo("generate --schema schema --out generated");
  REQUIRE_MESSAGE(r.status == 0, r.output);
  r = in_repo("migrate new add_gifts --version 20260101_000001" + dirs);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  git_ok(repo, "add -A && git -c user.name=t -c user.email=t@t commit -q -m a");
  git_ok(repo, "checkout -q main && git checkout -q -b b");
  std::string shop_b = kShop;
  // (appended: ADD COLUMN puts it last, as install.sql must then too)
  shop_b.replace(shop_b.find("    indexes:\n      - { columns: [status] }"), 0,
                 "      nickname: { type: string(30) }\n");
  put(repo / "schema/shop.yaml", shop_b);
  r = in_repo("generate --schema schema --out generated");
  REQUIRE_MESSAGE(r.status == 0, r.output);
  // A later version than a's, given: two `migrate new` on two branches within one second would get
  // one version (a case of its own, in the workflow tests).
  r = in_repo("migrate new add_nickname --version 20260101_000002" + dirs);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  git_ok(repo, "add -A && git -c user.name=t -c user.email=t@t commit -q -m b");

  // Merge b into a; take a's side of migrations/ as the README says.
  git_ok(repo, "checkout -q a");
  std::string out;
  git(repo, "merge -q --no-edit b", out);
  git_ok(repo, "checkout --ours -- migrations/");
  // The merged registry: both changes (resolve shop.yaml by writing both).
  std::string merged = shop_b;
  merged.replace(merged.find("views:"), 0, std::string(kBranchA).substr(1));
  put(repo / "schema/shop.yaml", merged);
  r = in_repo("generate --schema schema --out generated");
  REQUIRE_MESSAGE(r.status == 0, r.output);
  // `git checkout --ours` leaves b's new files (added only by b) in place.
  INFO(all_files(repo / "migrations/postgres"));
  auto pg_ups = ups(repo / "migrations/postgres");
  REQUIRE(pg_ups.size() == 3);
  std::string later = pg_ups[2].substr(0, 15);
  CHECK(pg_ups[2].find("add_nickname") != std::string::npos);

  r = in_repo("migrate check" + dirs + "--out generated");
  CHECK_MESSAGE(r.status == 3, r.output);
  CHECK_MESSAGE(r.output.find(pg_ups[1].substr(0, 15)) != std::string::npos, r.output);
  CHECK_MESSAGE(r.output.find(later) != std::string::npos, r.output);

  r = in_repo("migrate rebase " + later + dirs);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  r = in_repo("migrate check" + dirs + "--out generated");
  CHECK_MESSAGE(r.status == 0, r.output);

  // Oracle: every migration applied in order builds what a fresh install of the merged registry builds.
  each_dialect([&](const db::DatabaseUrl& server, DialectId) {
    FreshDatabase migrated(server, "adv_rebase_up"), installed(server, "adv_rebase_install");
    Run up = migrate("up", migrated, repo / "migrations");
    REQUIRE_MESSAGE(up.status == 0, up.output);
    std::string o;
    REQUIRE_MESSAGE(installed.apply_file(
                        (repo / "generated" / dialect_name(migrated.url().dialect) / "install.sql").string(), o) == 0,
                    o);
    CHECK_SAME_CATALOG(server_catalog(installed), server_catalog(migrated));
    // And down all the way leaves nothing of the registry.
    Run down = migrate("down --steps 3 --allow-destructive", migrated, repo / "migrations");
    CHECK_MESSAGE(down.status == 0, down.output);
    CHECK(
        rows_text(q(migrated, migrated.url().dialect == DialectId::postgres
                                  ? "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> "
                                    "'schemactl_migrations'"
                                  : "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                                    "AND TABLE_NAME <> 'schemactl_migrations'")) == "");
  });
}

// "It refuses, writing nothing: when both change one object differently, naming it ...; when the
// migration was edited by hand after it was planned".
TEST_CASE("adversary: rebase refuses a conflicting change and a hand-edited migration, writing nothing") {
  TempDir t;
  fs::path repo = t.path / "repo";
  fs::create_directories(repo);
  git_ok(repo, "init -q -b main .");
  put(repo / "schema/registry.yaml", kRegistry);
  put(repo / "schema/shop.yaml", kShop);
  std::string dirs = " --schema schema --migrations migrations ";
  auto in_repo = [&](const std::string& args) {
    Run r;
    r.status = run_command("cd " + shq(repo.string()) + " && " + SCHEMACTL_BINARY + " " + args, r.output);
    return r;
  };
  auto with_nickname = [](const std::string& type) {
    std::string shop = kShop;
    shop.replace(shop.find("    indexes:\n      - { columns: [status] }"), 0,
                 "      nickname: { type: " + type + " }\n");
    return shop;
  };
  Run r = in_repo("migrate new base" + dirs);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  git_ok(repo, "add -A && git -c user.name=t -c user.email=t@t commit -q -m base");
  git_ok(repo, "checkout -q -b a");
  put(repo / "schema/shop.yaml", with_nickname("string(30)"));
  r = in_repo("migrate new nick30" + dirs);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  git_ok(repo, "add -A && git -c user.name=t -c user.email=t@t commit -q -m a");
  git_ok(repo, "checkout -q main && git checkout -q -b b");
  put(repo / "schema/shop.yaml", with_nickname("string(40)"));
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  r = in_repo("migrate new nick40" + dirs);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  git_ok(repo, "add -A && git -c user.name=t -c user.email=t@t commit -q -m b");
  git_ok(repo, "checkout -q a");
  std::string out;
  git(repo, "merge -q --no-edit b", out);
  git_ok(repo, "checkout --ours -- migrations/");
  put(repo / "schema/shop.yaml", with_nickname("string(40)"));
  auto pg_ups = ups(repo / "migrations/postgres");
  REQUIRE(pg_ups.size() == 3);
  std::string later = pg_ups[2].substr(0, 15);
  const std::string before = all_files(repo / "migrations");
  r = in_repo("migrate rebase " + later + dirs);
  CHECK_MESSAGE(r.status == 1, r.output);
  CHECK_MESSAGE(r.output.find("nickname") != std::string::npos, r.output);
  CHECK(all_files(repo / "migrations") == before);

  // The earlier of the two is refused too.
  r = in_repo("migrate rebase " + pg_ups[1].substr(0, 15) + dirs);
  CHECK_MESSAGE(r.status == 1, r.output);
  CHECK(all_files(repo / "migrations") == before);
}

TEST_CASE("adversary: migrate rm puts snapshot.json back byte for byte, and refuses what a database applied") {
  TempDir t;
  fs::path repo = t.path / "repo";
  fs::create_directories(repo);
  git_ok(repo, "init -q -b main .");
  put(repo / "schema/registry.yaml", kRegistry);
  put(repo / "schema/shop.yaml", kShop);
  auto in_repo = [&](const std::string& args) {
    Run r;
    r.status = run_command("cd " + shq(repo.string()) + " && " + SCHEMACTL_BINARY + " " + args, r.output);
    return r;
  };
  std::string dirs = " --schema schema --migrations migrations ";
  Run r = in_repo("migrate new base" + dirs);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  git_ok(repo, "add -A && git -c user.name=t -c user.email=t@t commit -q -m base");
  const std::string before = all_files(repo / "migrations");
  std::string shop2 = kShop;
  shop2.replace(shop2.find("      note: { type: text"), 0, "      nickname: { type: string(30) }\n");
  put(repo / "schema/shop.yaml", shop2);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  r = in_repo("migrate new add_nickname" + dirs);
  REQUIRE_MESSAGE(r.status == 0, r.output);
  auto pg = ups(repo / "migrations/postgres");
  REQUIRE(pg.size() == 2);
  std::string first = pg[0].substr(0, 15), second = pg[1].substr(0, 15);

  // Not the latest: refused, nothing changes.
  const std::string with_two = all_files(repo / "migrations");
  r = in_repo("migrate rm " + first + " --migrations migrations");
  CHECK_MESSAGE(r.status == 1, r.output);
  CHECK(all_files(repo / "migrations") == with_two);

  // Applied (even partially) on a database: refused.
  each_dialect([&](const db::DatabaseUrl& server, DialectId) {
    FreshDatabase db(server, "adv_rm");
    Run up = migrate("up", db, repo / "migrations");
    REQUIRE_MESSAGE(up.status == 0, up.output);
    Run rm = in_repo("migrate rm " + second + " --url " + url_of(db) + " --migrations migrations");
    CHECK_MESSAGE(rm.status == 1, rm.output);
    CHECK(all_files(repo / "migrations") == with_two);
    // Rolled back there: allowed.
    Run down = migrate("down --steps 1", db, repo / "migrations");
    REQUIRE_MESSAGE(down.status == 0, down.output);
    CHECK(q(db, db.url().dialect == DialectId::postgres
                    ? "SELECT count(*) FROM information_schema.columns WHERE column_name = 'nickname' AND "
                      "table_schema = 'public'"
                    : "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE COLUMN_NAME = 'nickname' AND "
                      "TABLE_SCHEMA = DATABASE()")
              .at(0)
              .at(0) == std::optional<std::string>("0"));
  });
  r = in_repo("migrate rm " + second + " --migrations migrations");
  REQUIRE_MESSAGE(r.status == 0, r.output);
  CHECK(all_files(repo / "migrations") == before);
  // The registry change is no longer captured (generated/ is up to date, so that is the only reason).
  r = in_repo("generate --schema schema --out generated");
  REQUIRE_MESSAGE(r.status == 0, r.output);
  r = in_repo("migrate check" + dirs + "--out generated");
  CHECK_MESSAGE(r.status == 3, r.output);
}

}  // namespace
}  // namespace schemactl::test

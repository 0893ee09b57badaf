// Migration planning, desired versus current: each row is a registry BEFORE and AFTER, and for each
// dialect the exact up and down statements (in the order they run), or the refusal. The expected SQL
// is what a correct migration should do; the tool's own formatting choices (quoting only where
// needed, `public.` on Postgres, DO blocks for idempotency) are matched.
#include <doctest/doctest.h>

#include <regex>
#include <string>
#include <vector>

#include "dialect/dialect.hpp"
#include "diff/differ.hpp"
#include "migrate/new_migration.hpp"
#include "plan/plan.hpp"
#include "test_support.hpp"

namespace schemactl {
namespace {

using Statements = std::vector<std::string>;

constexpr const char* kX = "schema/x.yaml";
const std::string kRegistry = "registry: test\n";

enum class Flag { unchecked, no, yes };

struct Expect {
  Statements up, down;
  Statements refusal;  // substrings of the refusal; empty: the plan must succeed
  Flag destructive = Flag::unchecked;
  Flag reversible = Flag::unchecked;
};

// Nothing can be lost, and down undoes up.
Expect safe(Statements up, Statements down) {
  return {std::move(up), std::move(down), {}, Flag::no, Flag::yes};
}
// Up can lose data (planned only with --allow-destructive); down still undoes the schema change.
Expect lossy(Statements up, Statements down) {
  return {std::move(up), std::move(down), {}, Flag::yes, Flag::yes};
}
// Nothing is lost, but down cannot undo up.
Expect one_way(Statements up, Statements down) {
  return {std::move(up), std::move(down), {}, Flag::no, Flag::no};
}
// The statements only; whether the step counts as destructive is the tool's call.
Expect planned(Statements up, Statements down) {
  return {std::move(up), std::move(down), {}, Flag::unchecked, Flag::yes};
}
Expect nothing() {
  return safe({}, {});
}
Expect refused(Statements substrings) {
  return {{}, {}, std::move(substrings), Flag::unchecked, Flag::unchecked};
}

struct Case {
  std::string name;
  std::string before, after;  // entity file schema/x.yaml
  bool allow_destructive;
  Expect postgres, tidb;
  std::string before_registry = kRegistry, after_registry = kRegistry;
  // `migrate new --allow-rewrite` (most rows are about the statements, not that refusal, which
  // rows of their own check with false).
  bool allow_rewrite = true;
};

// An entity file with table `t` (a uuid key `id`, then `columns`, each line indented 6), then `more`
// (table keys indented 4, further tables indented 2, or top-level sections).
std::string t_with(const std::string& columns = "", const std::string& more = "") {
  return "entity: X\ntables:\n  t:\n    columns:\n      id: { type: uuid, primary_key: true }\n" + columns + more;
}

// Postgres: the identity sequence of t.n moved past its largest value, never back.
const char* const kRestartN =
    "SELECT setval(s, GREATEST(m, COALESCE(pg_sequence_last_value(s), m)) + 1, false) FROM (SELECT "
    "pg_get_serial_sequence('public.t', 'n')::regclass AS s, max(n) AS m FROM public.t) AS x WHERE m IS NOT NULL;";

// Postgres: a guarded constraint rename (it runs only while the old name exists).
std::string pg_rename_constraint(const std::string& table, const std::string& from, const std::string& to) {
  return "DO $$\nBEGIN\n    IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = '" + from +
         "' AND conrelid = to_regclass('public." + table + "')) THEN\n        ALTER TABLE public." + table +
         " RENAME CONSTRAINT " + from + " TO " + to + ";\n    END IF;\nEND\n$$;";
}

// Postgres: a statement made idempotent by ignoring duplicate_object.
// Postgres, so that it can run twice: an ADD CONSTRAINT guarded by a look-up of the constraint's
// name; anything else (CREATE TYPE) with duplicate_object caught.
std::string pg_once(const std::string& statement) {
  std::smatch m;
  if (!std::regex_search(statement, m, std::regex("^ALTER TABLE (\\S+) ADD CONSTRAINT (\\S+) ")))
    return "DO $$\nBEGIN\n    " + statement + "\nEXCEPTION WHEN duplicate_object THEN NULL;\nEND\n$$;";
  return "DO $$\nBEGIN\n    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = '" + m[2].str() +
         "' AND conrelid = '" + m[1].str() + "'::regclass) THEN\n        " + statement + "\n    END IF;\nEND\n$$;";
}

// Postgres: a column rename guarded so that it can run twice (only while the old name exists and
// the new one does not, so that a second run of a chain or a reused name changes nothing).
std::string pg_rename_column(const std::string& table, const std::string& from, const std::string& to) {
  auto exists = [&](const std::string& column) {
    return "EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '" + table +
           "' AND column_name = '" + column + "')";
  };
  return "DO $$\nBEGIN\n    IF " + exists(from) + " AND NOT " + exists(to) + " THEN\n        ALTER TABLE public." +
         table + " RENAME COLUMN " + from + " TO " + to + ";\n    END IF;\nEND\n$$;";
}

// Postgres: a statement of a down file that only runs while the table exists (a table this
// migration creates or renames is gone, or has its old name, when the file runs again).
std::string pg_if_table(const std::string& table, const std::string& statement) {
  return "DO $$\nBEGIN\n    IF to_regclass('" + table + "') IS NOT NULL THEN\n    " + statement +
         "\n    END IF;\nEND\n$$;";
}

const std::string kEngine = "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
const std::string kClustered = " /*T![clustered_index] CLUSTERED */";

// ---- shared fixtures

// A second table `u` (id, name).
const std::string kU = R"(  u:
    columns:
      id: { type: uuid, primary_key: true }
      name: text
)";
const std::string kPgCreateU =
    "CREATE TABLE IF NOT EXISTS public.u (\n    id UUID NOT NULL,\n    name TEXT,\n    CONSTRAINT u_pkey PRIMARY KEY "
    "(id)\n);";
const std::string kTidbCreateU =
    "CREATE TABLE IF NOT EXISTS u (\n    id VARCHAR(36) NOT NULL,\n    name TEXT,\n    PRIMARY KEY (id)" + kClustered +
    kEngine + ";";

// `u` with a comment and an index.
const std::string kUIndexed = R"(  u:
    description: Users
    columns:
      id: { type: uuid, primary_key: true }
      name: string(50)
    indexes:
      - { columns: [name] }
)";
const std::string kPgCreateUIndexed =
    "CREATE TABLE IF NOT EXISTS public.u (\n    id UUID NOT NULL,\n    name VARCHAR(50),\n    CONSTRAINT u_pkey "
    "PRIMARY KEY (id)\n);";
const std::string kTidbCreateUIndexed =
    "CREATE TABLE IF NOT EXISTS u (\n    id VARCHAR(36) NOT NULL,\n    name "
    "VARCHAR(50),\n    PRIMARY KEY (id)" +
    kClustered + ",\n    KEY idx_u_name (name)" + kEngine + " COMMENT='Users';";

// An enum `color` with the given values and a column of it on `t`.
std::string colors(const std::string& values) {
  return "entity: X\nenums:\n  color:\n    values: " + values +
         "\ntables:\n  t:\n    columns:\n      id: { type: uuid, primary_key: true }\n      color: enum(color)\n";
}

// Views over `t`: v_names, and v_lower over v_names.
const std::string kViewNames = R"(views:
  v_names:
    depends_on: [t]
    sql: "SELECT id, name FROM t"
)";
const std::string kViewLower = R"(  v_lower:
    depends_on: [v_names]
    sql: "SELECT lower(name) AS name FROM v_names"
)";
const std::string kPgViewNames = "CREATE OR REPLACE VIEW public.v_names AS\nSELECT id, name FROM t;";
const std::string kPgViewLower = "CREATE OR REPLACE VIEW public.v_lower AS\nSELECT lower(name) AS name FROM v_names;";
const std::string kTidbViewNames = "CREATE OR REPLACE VIEW v_names AS\nSELECT id, name FROM t;";
const std::string kTidbViewLower = "CREATE OR REPLACE VIEW v_lower AS\nSELECT lower(name) AS name FROM v_names;";

// A materialized view over `t` with an index (Postgres only).
const std::string kMatView = R"(materialized_views:
  mv_counts:
    depends_on: [t]
    dialects: [postgres]
    sql: { postgres: "SELECT name, count(*) AS n FROM t GROUP BY name" }
    indexes:
      - { columns: [name], name: idx_mv_counts_name }
)";
const std::string kPgMatView =
    "CREATE MATERIALIZED VIEW IF NOT EXISTS public.mv_counts AS\nSELECT name, count(*) AS n FROM t GROUP BY name;";
const std::string kPgMatViewIndex = "CREATE INDEX IF NOT EXISTS idx_mv_counts_name ON public.mv_counts (name);";

// A Postgres function over `t`.
std::string function(const std::string& arguments, const std::string& returns, const std::string& body) {
  return "functions:\n  t_count:\n    dialects: [postgres]\n    language: sql\n    arguments: \"" + arguments +
         "\"\n    returns: " + returns + "\n    volatility: stable\n    depends_on: [t]\n    body: \"" + body + "\"\n";
}
std::string pg_function(const std::string& arguments, const std::string& returns, const std::string& body,
                        const std::string& tag = "$function$") {
  return "CREATE OR REPLACE FUNCTION public.t_count(" + arguments + ")\nRETURNS " + returns +
         "\nLANGUAGE sql\nSTABLE\nAS " + tag + body + tag + ";";
}
const std::string kCountBody = "SELECT count(*) FROM t WHERE n >= p_min";
const std::string kCountBody2 = "SELECT count(*) FROM t WHERE n >= p_min AND n IS NOT NULL";

// Reference rows in a `settings` table.
std::string settings(const std::string& rows) {
  return "entity: X\ntables:\n  settings:\n    columns:\n      key: { type: string(50), primary_key: true }\n"
         "      value: text\n    rows:\n      values:\n" +
         rows;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> rows = {
      // ---- tables
      {"add table", t_with(), t_with("", kU), false, safe({kPgCreateU}, {"DROP TABLE IF EXISTS public.u;"}),
       safe({kTidbCreateU}, {"DROP TABLE IF EXISTS u;"})},
      {"add table with comments, a unique, a check and an index", t_with(), t_with("", R"(  u:
    description: Tom's users
    columns:
      id: { type: uuid, primary_key: true }
      email: { type: string(100), nullable: false, unique: true, description: login e-mail }
      age: { type: int, check: { range: [0, 150] } }
    indexes:
      - { columns: [age] }
)"),
       false,
       safe(
           {
               "CREATE TABLE IF NOT EXISTS public.u (\n    id UUID NOT NULL,\n    email VARCHAR(100) NOT NULL,\n    "
               "age "
               "INTEGER,\n    CONSTRAINT u_pkey PRIMARY KEY (id),\n    CONSTRAINT u_email_key UNIQUE (email),\n    "
               "CONSTRAINT u_age_check CHECK (age >= 0 AND age <= 150)\n);",
               "COMMENT ON TABLE public.u IS 'Tom''s users';",
               "COMMENT ON COLUMN public.u.email IS 'login e-mail';",
               "CREATE INDEX IF NOT EXISTS idx_u_age ON public.u (age);",
           },
           {"DROP INDEX IF EXISTS public.idx_u_age;", "DROP TABLE IF EXISTS public.u;"}),
       safe(
           {
               "CREATE TABLE IF NOT EXISTS u (\n    id VARCHAR(36) NOT NULL,\n    email VARCHAR(100) NOT NULL COMMENT "
               "'login e-mail',\n    age INT,\n    PRIMARY KEY (id)" +
                   kClustered + ",\n    UNIQUE KEY u_email_key (email),\n    CONSTRAINT u_age_check CHECK (age >= 0 " +
                   "AND age <= 150)" + kEngine + " COMMENT='Tom''s users';",
               "CREATE INDEX IF NOT EXISTS idx_u_age ON u (age);",
           },
           {"DROP INDEX IF EXISTS idx_u_age ON u;", "DROP TABLE IF EXISTS u;"})},
      {"drop table is refused without --allow-destructive", t_with("", kU), t_with(), false,
       refused({"drop table u", "drops table u and every row in it", "--allow-destructive"}),
       refused({"drop table u", "drops table u and every row in it", "--allow-destructive"})},
      {"drop table with --allow-destructive", t_with("", kU), t_with(), true,
       lossy({"DROP TABLE IF EXISTS public.u;"}, {kPgCreateU}), lossy({"DROP TABLE IF EXISTS u;"}, {kTidbCreateU})},
      {"drop table: down recreates its comment and indexes", t_with("", kUIndexed), t_with(), true,
       lossy({"DROP TABLE IF EXISTS public.u;"}, {kPgCreateUIndexed, "COMMENT ON TABLE public.u IS 'Users';",
                                                  "CREATE INDEX IF NOT EXISTS idx_u_name ON public.u (name);"}),
       // TiDB declares indexes inline, so that foreign keys find them.
       lossy({"DROP TABLE IF EXISTS u;"}, {kTidbCreateUIndexed})},
      {"drop two tables: the foreign key between them goes first", t_with("", kU + R"(  v:
    columns:
      id: { type: uuid, primary_key: true }
      u_id: { type: uuid, references: { table: u } }
)"),
       t_with(), true,
       lossy(
           {
               "ALTER TABLE IF EXISTS public.v DROP CONSTRAINT IF EXISTS v_u_id_fkey;",
               "DROP TABLE IF EXISTS public.u;",
               "DROP TABLE IF EXISTS public.v;",
           },
           {
               "CREATE TABLE IF NOT EXISTS public.v (\n    id UUID NOT NULL,\n    u_id UUID,\n    CONSTRAINT v_pkey "
               "PRIMARY KEY (id)\n);",
               kPgCreateU,
               // Re-added on a table that may hold rows by then: NOT VALID, then VALIDATE.
               pg_once("ALTER TABLE public.v ADD CONSTRAINT v_u_id_fkey FOREIGN KEY (u_id) REFERENCES public.u (id) "
                       "NOT VALID;"),
               "ALTER TABLE public.v VALIDATE CONSTRAINT v_u_id_fkey;",
           }),
       lossy(
           {
               "ALTER TABLE v DROP FOREIGN KEY v_u_id_fkey;",
               "DROP TABLE IF EXISTS u;",
               "DROP TABLE IF EXISTS v;",
           },
           {
               "CREATE TABLE IF NOT EXISTS v (\n    id VARCHAR(36) NOT NULL,\n    u_id VARCHAR(36),\n    PRIMARY KEY "
               "(id)" +
                   kClustered + kEngine + ";",
               kTidbCreateU,
               "ALTER TABLE v ADD CONSTRAINT v_u_id_fkey FOREIGN KEY (u_id) REFERENCES u (id);",
           })},

      // ---- columns added
      {"add nullable column", t_with(), t_with("      note: text\n"), false,
       safe({"ALTER TABLE public.t ADD COLUMN IF NOT EXISTS note TEXT;"},
            {"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS note;"}),
       safe({"ALTER TABLE t ADD COLUMN IF NOT EXISTS note TEXT;"}, {"ALTER TABLE t DROP COLUMN IF EXISTS note;"})},
      {"add column with a comment containing a quote", t_with(),
       t_with("      note: { type: text, description: \"the author's note\" }\n"), false,
       safe({"ALTER TABLE public.t ADD COLUMN IF NOT EXISTS note TEXT;",
             "COMMENT ON COLUMN public.t.note IS 'the author''s note';"},
            {"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS note;"}),
       safe({"ALTER TABLE t ADD COLUMN IF NOT EXISTS note TEXT COMMENT 'the author''s note';"},
            {"ALTER TABLE t DROP COLUMN IF EXISTS note;"})},
      {"add NOT NULL column with a default", t_with(),
       t_with("      status: { type: string(20), nullable: false, default: active }\n"), false,
       safe({"ALTER TABLE public.t ADD COLUMN IF NOT EXISTS status VARCHAR(20) NOT NULL DEFAULT 'active';"},
            {"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS status;"}),
       safe({"ALTER TABLE t ADD COLUMN IF NOT EXISTS status VARCHAR(20) NOT NULL DEFAULT 'active';"},
            {"ALTER TABLE t DROP COLUMN IF EXISTS status;"})},
      {"add NOT NULL column without a default is refused", t_with(),
       t_with("      code: { type: string(20), nullable: false }\n"), false,
       refused({"add column t.code", "adds NOT NULL column t.code without a default", "--allow-destructive"}),
       refused({"add column t.code", "adds NOT NULL column t.code without a default", "--allow-destructive"})},
      {"add NOT NULL column without a default, allowed", t_with(),
       t_with("      code: { type: string(20), nullable: false }\n"), true,
       lossy({"ALTER TABLE public.t ADD COLUMN IF NOT EXISTS code VARCHAR(20);",
              "ALTER TABLE public.t ALTER COLUMN code SET NOT NULL;"},
             {"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS code;"}),
       lossy({"ALTER TABLE t ADD COLUMN IF NOT EXISTS code VARCHAR(20) NOT NULL;"},
             {"ALTER TABLE t DROP COLUMN IF EXISTS code;"})},
      {"add NOT NULL int column with a default, named with a reserved word", t_with(),
       t_with("      \"order\": { type: int, nullable: false, default: 0 }\n"), false,
       safe({"ALTER TABLE public.t ADD COLUMN IF NOT EXISTS \"order\" INTEGER NOT NULL DEFAULT 0;"},
            {"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS \"order\";"}),
       safe({"ALTER TABLE t ADD COLUMN IF NOT EXISTS `order` INT NOT NULL DEFAULT 0;"},
            {"ALTER TABLE t DROP COLUMN IF EXISTS `order`;"})},
      {"add two columns: one change per ALTER TABLE", t_with(),
       t_with("      a: text\n      b: { type: int, default: 7 }\n"), false,
       safe({"ALTER TABLE public.t ADD COLUMN IF NOT EXISTS a TEXT;",
             "ALTER TABLE public.t ADD COLUMN IF NOT EXISTS b INTEGER DEFAULT 7;"},
            {"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS b;",
             "ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS a;"}),
       safe({"ALTER TABLE t ADD COLUMN IF NOT EXISTS a TEXT;",
             "ALTER TABLE t ADD COLUMN IF NOT EXISTS b INT DEFAULT 7;"},
            {"ALTER TABLE t DROP COLUMN IF EXISTS b;", "ALTER TABLE t DROP COLUMN IF EXISTS a;"})},
      {"add a column with an index: the index is built without blocking writes", t_with(),
       t_with("      code: string(20)\n", "    indexes:\n      - { columns: [code] }\n"), false,
       safe({"ALTER TABLE public.t ADD COLUMN IF NOT EXISTS code VARCHAR(20);",
             "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_code ON public.t (code);"},
            {"DROP INDEX CONCURRENTLY IF EXISTS public.idx_t_code;",
             "ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS code;"}),
       safe({"ALTER TABLE t ADD COLUMN IF NOT EXISTS code VARCHAR(20);",
             "CREATE INDEX IF NOT EXISTS idx_t_code ON t (code);"},
            {"DROP INDEX IF EXISTS idx_t_code ON t;", "ALTER TABLE t DROP COLUMN IF EXISTS code;"})},
      {"add a new enum type and a column of it", t_with(),
       "entity: X\nenums:\n  mood:\n    values: [happy, sad]\n" + t_with("      mood: enum(mood)\n").substr(10), false,
       safe({pg_once("CREATE TYPE public.mood AS ENUM ('happy', 'sad');"),
             "ALTER TABLE public.t ADD COLUMN IF NOT EXISTS mood public.mood;"},
            {"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS mood;", "DROP TYPE IF EXISTS public.mood;"}),
       safe({"ALTER TABLE t ADD COLUMN IF NOT EXISTS mood ENUM('happy', 'sad');"},
            {"ALTER TABLE t DROP COLUMN IF EXISTS mood;"})},

      // ---- columns dropped and renamed
      {"drop column is refused without --allow-destructive", t_with("      note: text\n"), t_with(), false,
       refused({"drop column t.note", "drops column t.note and its values", "--allow-destructive"}),
       refused({"drop column t.note", "drops column t.note and its values", "--allow-destructive"})},
      {"drop column, allowed: down adds it back with its comment",
       t_with("      note: { type: text, description: Free text }\n"), t_with(), true,
       lossy({"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS note;"},
             {"ALTER TABLE public.t ADD COLUMN IF NOT EXISTS note TEXT;",
              "COMMENT ON COLUMN public.t.note IS 'Free text';"}),
       lossy({"ALTER TABLE t DROP COLUMN IF EXISTS note;"},
             {"ALTER TABLE t ADD COLUMN IF NOT EXISTS note TEXT COMMENT 'Free text';"})},
      {"drop an indexed column: the index goes first",
       t_with("      name: string(50)\n", "    indexes:\n      - { columns: [name] }\n"), t_with(), true,
       lossy({"DROP INDEX CONCURRENTLY IF EXISTS public.idx_t_name;",
              "ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS name;"},
             {"ALTER TABLE public.t ADD COLUMN IF NOT EXISTS name VARCHAR(50);",
              "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_name ON public.t (name);"}),
       lossy({"DROP INDEX IF EXISTS idx_t_name ON t;", "ALTER TABLE t DROP COLUMN IF EXISTS name;"},
             {"ALTER TABLE t ADD COLUMN IF NOT EXISTS name VARCHAR(50);",
              "CREATE INDEX IF NOT EXISTS idx_t_name ON t (name);"})},
      {"rename column declared with renamed_from", t_with("      title: text\n"),
       t_with("      heading: { type: text, renamed_from: title }\n"), false,
       safe({pg_rename_column("t", "title", "heading")}, {pg_rename_column("t", "heading", "title")}),
       safe({"ALTER TABLE t RENAME COLUMN title TO heading;"}, {"ALTER TABLE t RENAME COLUMN heading TO title;"})},
      {"rename column without renamed_from is a drop and an add: refused", t_with("      title: text\n"),
       t_with("      heading: text\n"), false,
       refused({"drop column t.title", "drops column t.title and its values", "--allow-destructive"}),
       refused({"drop column t.title", "drops column t.title and its values", "--allow-destructive"})},
      {"rename column without renamed_from, allowed: drop, then add", t_with("      title: text\n"),
       t_with("      heading: text\n"), true,
       lossy({"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS title;",
              "ALTER TABLE public.t ADD COLUMN IF NOT EXISTS heading TEXT;"},
             {"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS heading;",
              "ALTER TABLE public.t ADD COLUMN IF NOT EXISTS title TEXT;"}),
       lossy({"ALTER TABLE t DROP COLUMN IF EXISTS title;", "ALTER TABLE t ADD COLUMN IF NOT EXISTS heading TEXT;"},
             {"ALTER TABLE t DROP COLUMN IF EXISTS heading;", "ALTER TABLE t ADD COLUMN IF NOT EXISTS title TEXT;"})},
      {"rename column and widen it", t_with("      title: string(20)\n"),
       t_with("      heading: { type: string(50), renamed_from: title }\n"), false,
       safe({pg_rename_column("t", "title", "heading"), "ALTER TABLE public.t ALTER COLUMN heading TYPE VARCHAR(50);"},
            {"ALTER TABLE public.t ALTER COLUMN heading TYPE VARCHAR(20);", pg_rename_column("t", "heading", "title")}),
       safe({"ALTER TABLE t RENAME COLUMN title TO heading;", "ALTER TABLE t MODIFY COLUMN heading VARCHAR(50);"},
            {"ALTER TABLE t MODIFY COLUMN heading VARCHAR(20);", "ALTER TABLE t RENAME COLUMN heading TO title;"})},
      {"renamed_from naming a column that never existed: a plain add", t_with(),
       t_with("      heading: { type: text, renamed_from: title }\n"), false,
       safe({"ALTER TABLE public.t ADD COLUMN IF NOT EXISTS heading TEXT;"},
            {"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS heading;"}),
       safe({"ALTER TABLE t ADD COLUMN IF NOT EXISTS heading TEXT;"},
            {"ALTER TABLE t DROP COLUMN IF EXISTS heading;"})},

      // ---- types
      {"widen varchar(20) to varchar(50)", t_with("      name: string(20)\n"), t_with("      name: string(50)\n"),
       false,
       safe({"ALTER TABLE public.t ALTER COLUMN name TYPE VARCHAR(50);"},
            {"ALTER TABLE public.t ALTER COLUMN name TYPE VARCHAR(20);"}),
       safe({"ALTER TABLE t MODIFY COLUMN name VARCHAR(50);"}, {"ALTER TABLE t MODIFY COLUMN name VARCHAR(20);"})},
      {"widen int to bigint", t_with("      n: int\n"), t_with("      n: bigint\n"), false,
       safe({"ALTER TABLE public.t ALTER COLUMN n TYPE BIGINT;"},
            {"ALTER TABLE public.t ALTER COLUMN n TYPE INTEGER;"}),
       safe({"ALTER TABLE t MODIFY COLUMN n BIGINT;"}, {"ALTER TABLE t MODIFY COLUMN n INT;"})},
      {"widen varchar to text", t_with("      name: string(20)\n"), t_with("      name: text\n"), false,
       safe({"ALTER TABLE public.t ALTER COLUMN name TYPE TEXT;"},
            {"ALTER TABLE public.t ALTER COLUMN name TYPE VARCHAR(20);"}),
       safe({"ALTER TABLE t MODIFY COLUMN name TEXT;"}, {"ALTER TABLE t MODIFY COLUMN name VARCHAR(20);"})},
      {"narrow varchar(50) to varchar(20) is refused", t_with("      name: string(50)\n"),
       t_with("      name: string(20)\n"), false,
       refused({"alter column t.name", "changes t.name from VARCHAR(50) to VARCHAR(20)", "--allow-destructive"}),
       refused({"alter column t.name", "changes t.name from VARCHAR(50) to VARCHAR(20)", "--allow-destructive"})},
      {"narrow varchar(50) to varchar(20), allowed", t_with("      name: string(50)\n"),
       t_with("      name: string(20)\n"), true,
       lossy({"ALTER TABLE public.t ALTER COLUMN name TYPE VARCHAR(20);"},
             {"ALTER TABLE public.t ALTER COLUMN name TYPE VARCHAR(50);"}),
       lossy({"ALTER TABLE t MODIFY COLUMN name VARCHAR(20);"}, {"ALTER TABLE t MODIFY COLUMN name VARCHAR(50);"})},
      {"narrow bigint to int is refused", t_with("      n: bigint\n"), t_with("      n: int\n"), false,
       refused({"changes t.n from BIGINT to INTEGER", "--allow-destructive"}),
       refused({"changes t.n from BIGINT to INT", "--allow-destructive"})},
      {"narrow bigint to int, allowed", t_with("      n: bigint\n"), t_with("      n: int\n"), true,
       lossy({"ALTER TABLE public.t ALTER COLUMN n TYPE INTEGER;"},
             {"ALTER TABLE public.t ALTER COLUMN n TYPE BIGINT;"}),
       lossy({"ALTER TABLE t MODIFY COLUMN n INT;"}, {"ALTER TABLE t MODIFY COLUMN n BIGINT;"})},
      {"text to json is refused without --allow-destructive", t_with("      data: text\n"),
       t_with("      data: json\n"), false, refused({"changes t.data from TEXT to JSONB", "--allow-destructive"}),
       refused({"cannot change t.data from TEXT to JSON in place", "Instead add a new column"})},
      {"text to json, allowed: Postgres converts, TiDB refuses and says what to do instead",
       t_with("      data: text\n"), t_with("      data: json\n"), true,
       lossy({"ALTER TABLE public.t ALTER COLUMN data TYPE JSONB USING data::JSONB;"},
             {"ALTER TABLE public.t ALTER COLUMN data TYPE TEXT;"}),
       refused({"cannot change t.data from TEXT to JSON in place", "TiDB cannot convert between TEXT and JSON",
                "Instead add a new column, copy the values with UPDATE"})},
      {"json to text, allowed: TiDB refuses", t_with("      data: json\n"), t_with("      data: text\n"), true,
       planned({"ALTER TABLE public.t ALTER COLUMN data TYPE TEXT;"},
               {"ALTER TABLE public.t ALTER COLUMN data TYPE JSONB USING data::JSONB;"}),
       refused({"cannot change t.data from JSON to TEXT in place", "Instead add a new column"})},
      {"primary-key column type change: TiDB refuses",
       "entity: X\ntables:\n  k:\n    columns:\n      id: { type: int, primary_key: true }\n",
       "entity: X\ntables:\n  k:\n    columns:\n      id: { type: bigint, primary_key: true }\n", false,
       safe({"ALTER TABLE public.k ALTER COLUMN id TYPE BIGINT;"},
            {"ALTER TABLE public.k ALTER COLUMN id TYPE INTEGER;"}),
       refused({"cannot change k.id from INT to BIGINT in place", "part of the primary key", "Instead"})},

      // ---- on update (MySQL family): only that aspect changes, the rest of the column is restated
      {"on_update added to a column",
       t_with("      u: { type: timestamptz, nullable: false, default: { expr: now }, "
              "description: Last change }\n"),
       t_with("      u: { type: timestamptz, nullable: false, default: { expr: now }, description: Last change, "
              "tidb: { on_update: now } }\n"),
       false, nothing(),
       safe({"ALTER TABLE t MODIFY COLUMN u TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE "
             "CURRENT_TIMESTAMP(6) "
             "COMMENT 'Last change';"},
            {"ALTER TABLE t MODIFY COLUMN u TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) COMMENT 'Last "
             "change';"})},
      {"on_update removed from a column",
       t_with("      u: { type: timestamptz, default: { expr: now }, tidb: { on_update: now } }\n"),
       t_with("      u: { type: timestamptz, default: { expr: now } }\n"), false, nothing(),
       safe({"ALTER TABLE t MODIFY COLUMN u TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6);"},
            {"ALTER TABLE t MODIFY COLUMN u TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE "
             "CURRENT_TIMESTAMP(6);"})},
      {"column added with on_update takes its precision", t_with(),
       t_with("      u: { type: timestamp, tidb: { type: \"DATETIME(3)\", on_update: now } }\n"), false,
       safe({"ALTER TABLE public.t ADD COLUMN IF NOT EXISTS u TIMESTAMP;"},
            {"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS u;"}),
       safe({"ALTER TABLE t ADD COLUMN IF NOT EXISTS u DATETIME(3) ON UPDATE CURRENT_TIMESTAMP(3);"},
            {"ALTER TABLE t DROP COLUMN IF EXISTS u;"})},
      {"on_update follows a precision change of the column",
       t_with("      u: { type: timestamptz, tidb: { type: \"TIMESTAMP(3)\", on_update: now } }\n"),
       t_with("      u: { type: timestamptz, tidb: { on_update: now } }\n"), true, nothing(),
       planned({"ALTER TABLE t MODIFY COLUMN u TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6);"},
               {"ALTER TABLE t MODIFY COLUMN u TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3);"})},

      // ---- nullability
      {"NOT NULL to nullable", t_with("      name: { type: text, nullable: false }\n"), t_with("      name: text\n"),
       false,
       safe({"ALTER TABLE public.t ALTER COLUMN name DROP NOT NULL;"},
            {"ALTER TABLE public.t ALTER COLUMN name SET NOT NULL;"}),
       safe({"ALTER TABLE t MODIFY COLUMN name TEXT;"}, {"ALTER TABLE t MODIFY COLUMN name TEXT NOT NULL;"})},
      {"nullable to NOT NULL is refused", t_with("      name: text\n"),
       t_with("      name: { type: text, nullable: false }\n"), false,
       refused({"alter column t.name", "makes t.name NOT NULL: fails if any row holds NULL", "--allow-destructive"}),
       refused({"alter column t.name", "makes t.name NOT NULL: fails if any row holds NULL", "--allow-destructive"})},
      {"nullable to NOT NULL, allowed", t_with("      name: text\n"),
       t_with("      name: { type: text, nullable: false }\n"), true,
       // Without a scan under ACCESS EXCLUSIVE: a NOT VALID check, validated after the
       // transaction, proves the column for SET NOT NULL, then goes again.
       lossy({pg_once("ALTER TABLE public.t ADD CONSTRAINT t_name_not_null CHECK (name IS NOT NULL) NOT VALID;"),
              "ALTER TABLE public.t VALIDATE CONSTRAINT t_name_not_null;",
              "ALTER TABLE public.t ALTER COLUMN name SET NOT NULL;",
              "ALTER TABLE IF EXISTS public.t DROP CONSTRAINT IF EXISTS t_name_not_null;"},
             {"ALTER TABLE public.t ALTER COLUMN name DROP NOT NULL;",
              "ALTER TABLE IF EXISTS public.t DROP CONSTRAINT IF EXISTS t_name_not_null;"}),
       lossy({"ALTER TABLE t MODIFY COLUMN name TEXT NOT NULL;"}, {"ALTER TABLE t MODIFY COLUMN name TEXT;"})},

      // ---- defaults
      {"default set", t_with("      status: string(20)\n"),
       t_with("      status: { type: string(20), default: new }\n"), false,
       safe({"ALTER TABLE public.t ALTER COLUMN status SET DEFAULT 'new';"},
            {"ALTER TABLE public.t ALTER COLUMN status DROP DEFAULT;"}),
       safe({"ALTER TABLE t MODIFY COLUMN status VARCHAR(20) DEFAULT 'new';"},
            {"ALTER TABLE t MODIFY COLUMN status VARCHAR(20);"})},
      {"default changed", t_with("      status: { type: string(20), default: new }\n"),
       t_with("      status: { type: string(20), default: open }\n"), false,
       safe({"ALTER TABLE public.t ALTER COLUMN status SET DEFAULT 'open';"},
            {"ALTER TABLE public.t ALTER COLUMN status SET DEFAULT 'new';"}),
       safe({"ALTER TABLE t MODIFY COLUMN status VARCHAR(20) DEFAULT 'open';"},
            {"ALTER TABLE t MODIFY COLUMN status VARCHAR(20) DEFAULT 'new';"})},
      {"default dropped", t_with("      status: { type: string(20), default: new }\n"),
       t_with("      status: string(20)\n"), false,
       safe({"ALTER TABLE public.t ALTER COLUMN status DROP DEFAULT;"},
            {"ALTER TABLE public.t ALTER COLUMN status SET DEFAULT 'new';"}),
       safe({"ALTER TABLE t MODIFY COLUMN status VARCHAR(20);"},
            {"ALTER TABLE t MODIFY COLUMN status VARCHAR(20) DEFAULT 'new';"})},
      {"named default now() set on a timestamptz", t_with("      at: timestamptz\n"),
       t_with("      at: { type: timestamptz, default: { expr: now } }\n"), false,
       safe({"ALTER TABLE public.t ALTER COLUMN at SET DEFAULT now();"},
            {"ALTER TABLE public.t ALTER COLUMN at DROP DEFAULT;"}),
       safe({"ALTER TABLE t MODIFY COLUMN at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6);"},
            {"ALTER TABLE t MODIFY COLUMN at TIMESTAMP(6);"})},
      {"bool default flipped on a NOT NULL column",
       t_with("      flag: { type: bool, nullable: false, default: true }\n"),
       t_with("      flag: { type: bool, nullable: false, default: false }\n"), false,
       safe({"ALTER TABLE public.t ALTER COLUMN flag SET DEFAULT FALSE;"},
            {"ALTER TABLE public.t ALTER COLUMN flag SET DEFAULT TRUE;"}),
       safe({"ALTER TABLE t MODIFY COLUMN flag BOOLEAN NOT NULL DEFAULT FALSE;"},
            {"ALTER TABLE t MODIFY COLUMN flag BOOLEAN NOT NULL DEFAULT TRUE;"})},
      {"type, default and nullability changed at once",
       t_with("      qty: { type: int, nullable: false, default: 0 }\n"),
       t_with("      qty: { type: bigint, default: 1 }\n"), false,
       // The old default may not cast to the new type: dropped before the change, set after it.
       safe(
           {"ALTER TABLE public.t ALTER COLUMN qty DROP DEFAULT;", "ALTER TABLE public.t ALTER COLUMN qty TYPE BIGINT;",
            "ALTER TABLE public.t ALTER COLUMN qty SET DEFAULT 1;",
            "ALTER TABLE public.t ALTER COLUMN qty DROP NOT NULL;"},
           {"ALTER TABLE public.t ALTER COLUMN qty SET NOT NULL;",
            "ALTER TABLE public.t ALTER COLUMN qty DROP DEFAULT;",
            "ALTER TABLE public.t ALTER COLUMN qty TYPE INTEGER;",
            "ALTER TABLE public.t ALTER COLUMN qty SET DEFAULT 0;"}),
       safe({"ALTER TABLE t MODIFY COLUMN qty BIGINT DEFAULT 1;"},
            {"ALTER TABLE t MODIFY COLUMN qty INT NOT NULL DEFAULT 0;"})},

      // ---- comments
      {"column comment set, with a quote", t_with("      name: text\n"),
       t_with("      name: { type: text, description: \"the user's name\" }\n"), false,
       safe({"COMMENT ON COLUMN public.t.name IS 'the user''s name';"}, {"COMMENT ON COLUMN public.t.name IS NULL;"}),
       safe({"ALTER TABLE t MODIFY COLUMN name TEXT COMMENT 'the user''s name';"},
            {"ALTER TABLE t MODIFY COLUMN name TEXT;"})},
      {"column comment changed", t_with("      name: { type: text, nullable: false, description: Name }\n"),
       t_with("      name: { type: text, nullable: false, description: Full name }\n"), false,
       safe({"COMMENT ON COLUMN public.t.name IS 'Full name';"}, {"COMMENT ON COLUMN public.t.name IS 'Name';"}),
       safe({"ALTER TABLE t MODIFY COLUMN name TEXT NOT NULL COMMENT 'Full name';"},
            {"ALTER TABLE t MODIFY COLUMN name TEXT NOT NULL COMMENT 'Name';"})},
      {"column comment removed", t_with("      name: { type: text, description: Name }\n"),
       t_with("      name: text\n"), false,
       safe({"COMMENT ON COLUMN public.t.name IS NULL;"}, {"COMMENT ON COLUMN public.t.name IS 'Name';"}),
       safe({"ALTER TABLE t MODIFY COLUMN name TEXT;"}, {"ALTER TABLE t MODIFY COLUMN name TEXT COMMENT 'Name';"})},
      {"table comment set, with a quote", t_with(), t_with("", "    description: Tom's things\n"), false,
       safe({"COMMENT ON TABLE public.t IS 'Tom''s things';"}, {"COMMENT ON TABLE public.t IS NULL;"}),
       safe({"ALTER TABLE t COMMENT = 'Tom''s things';"}, {"ALTER TABLE t COMMENT = '';"})},
      {"table comment changed", t_with("", "    description: Things\n"),
       t_with("", "    description: All the things\n"), false,
       safe({"COMMENT ON TABLE public.t IS 'All the things';"}, {"COMMENT ON TABLE public.t IS 'Things';"}),
       safe({"ALTER TABLE t COMMENT = 'All the things';"}, {"ALTER TABLE t COMMENT = 'Things';"})},
      {"table comment removed", t_with("", "    description: Things\n"), t_with(), false,
       safe({"COMMENT ON TABLE public.t IS NULL;"}, {"COMMENT ON TABLE public.t IS 'Things';"}),
       safe({"ALTER TABLE t COMMENT = '';"}, {"ALTER TABLE t COMMENT = 'Things';"})},
      {"table comment with a backslash (an E'' string on Postgres: read the same whatever standard_conforming_strings)",
       t_with(), t_with("", "    description: 'Files under C:\\temp'\n"), false,
       safe({"COMMENT ON TABLE public.t IS E'Files under C:\\\\temp';"}, {"COMMENT ON TABLE public.t IS NULL;"}),
       safe({"ALTER TABLE t COMMENT = 'Files under C:\\\\temp';"}, {"ALTER TABLE t COMMENT = '';"})},

      // ---- indexes
      {"add index on an existing table", t_with("      name: string(50)\n"),
       t_with("      name: string(50)\n", "    indexes:\n      - { columns: [name] }\n"), false,
       safe({"CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_name ON public.t (name);"},
            {"DROP INDEX CONCURRENTLY IF EXISTS public.idx_t_name;"}),
       safe({"CREATE INDEX IF NOT EXISTS idx_t_name ON t (name);"}, {"DROP INDEX IF EXISTS idx_t_name ON t;"})},
      {"drop index", t_with("      name: string(50)\n", "    indexes:\n      - { columns: [name] }\n"),
       t_with("      name: string(50)\n"), false,
       safe({"DROP INDEX CONCURRENTLY IF EXISTS public.idx_t_name;"},
            {"CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_name ON public.t (name);"}),
       safe({"DROP INDEX IF EXISTS idx_t_name ON t;"}, {"CREATE INDEX IF NOT EXISTS idx_t_name ON t (name);"})},
      {"add a unique two-column index with a descending key",
       t_with("      name: string(50)\n      created_at: timestamptz\n"),
       t_with("      name: string(50)\n      created_at: timestamptz\n",
              "    indexes:\n      - { columns: [name, { column: created_at, order: desc }], unique: true, name: "
              "t_name_recent }\n"),
       false,
       safe({"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_name_recent ON public.t (name, created_at DESC);"},
            {"DROP INDEX CONCURRENTLY IF EXISTS public.t_name_recent;"}),
       safe({"CREATE UNIQUE INDEX IF NOT EXISTS t_name_recent ON t (name, created_at DESC);"},
            {"DROP INDEX IF EXISTS t_name_recent ON t;"})},
      {"index redefined under the same name: dropped, then created",
       t_with("      name: string(50)\n      code: string(10)\n",
              "    indexes:\n      - { columns: [name], name: idx_t_lookup }\n"),
       t_with("      name: string(50)\n      code: string(10)\n",
              "    indexes:\n      - { columns: [name, code], name: idx_t_lookup }\n"),
       false,
       safe({"DROP INDEX CONCURRENTLY IF EXISTS public.idx_t_lookup;",
             "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_lookup ON public.t (name, code);"},
            {"DROP INDEX CONCURRENTLY IF EXISTS public.idx_t_lookup;",
             "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_lookup ON public.t (name);"}),
       safe({"DROP INDEX IF EXISTS idx_t_lookup ON t;", "CREATE INDEX IF NOT EXISTS idx_t_lookup ON t (name, code);"},
            {"DROP INDEX IF EXISTS idx_t_lookup ON t;", "CREATE INDEX IF NOT EXISTS idx_t_lookup ON t (name);"})},
      {"postgres-only GIN index: nothing to do on TiDB", t_with("      body: text\n"),
       t_with("      body: text\n",
              "    indexes:\n      - { columns: [{ column: body, opclass: gin_trgm_ops }], method: gin, dialects: "
              "[postgres] }\n"),
       false,
       safe({"CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_body ON public.t USING gin (body gin_trgm_ops);"},
            {"DROP INDEX CONCURRENTLY IF EXISTS public.idx_t_body;"}),
       nothing(), "registry: test\nextensions:\n  pg_trgm: { dialects: [postgres] }\n",
       "registry: test\nextensions:\n  pg_trgm: { dialects: [postgres] }\n"},
      {"postgres-only partial index", t_with("      status: string(20)\n"),
       t_with("      status: string(20)\n",
              "    indexes:\n      - { columns: [status], where: \"status = 'active'\", dialects: [postgres] }\n"),
       false,
       safe({"CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_status ON public.t (status) WHERE (status = 'active');"},
            {"DROP INDEX CONCURRENTLY IF EXISTS public.idx_t_status;"}),
       nothing()},
      {"tidb-only prefix index on a text column", t_with("      body: text\n"),
       t_with("      body: text\n",
              "    indexes:\n      - { columns: [{ column: body, prefix: 100 }], dialects: [tidb] }\n"),
       false, nothing(),
       safe({"CREATE INDEX IF NOT EXISTS idx_t_body ON t (body(100));"}, {"DROP INDEX IF EXISTS idx_t_body ON t;"})},

      // ---- constraints
      {"add unique constraint on an existing table", t_with("      email: string(100)\n"),
       t_with("      email: { type: string(100), unique: true }\n"), false,
       // The index is built CONCURRENTLY, then taken over by the constraint (a brief lock).
       safe({"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_email_key ON public.t (email);",
             pg_once("ALTER TABLE public.t ADD CONSTRAINT t_email_key UNIQUE USING INDEX t_email_key;")},
            {"ALTER TABLE IF EXISTS public.t DROP CONSTRAINT IF EXISTS t_email_key;",
             "DROP INDEX CONCURRENTLY IF EXISTS public.t_email_key;"}),
       safe({"CREATE UNIQUE INDEX IF NOT EXISTS t_email_key ON t (email);"},
            {"DROP INDEX IF EXISTS t_email_key ON t;"})},
      {"drop unique constraint", t_with("      email: { type: string(100), unique: true }\n"),
       t_with("      email: string(100)\n"), false,
       safe({"ALTER TABLE IF EXISTS public.t DROP CONSTRAINT IF EXISTS t_email_key;"},
            {pg_once("ALTER TABLE public.t ADD CONSTRAINT t_email_key UNIQUE (email);")}),
       safe({"DROP INDEX IF EXISTS t_email_key ON t;"},
            {"CREATE UNIQUE INDEX IF NOT EXISTS t_email_key ON t (email);"})},
      {"add two-column unique constraint", t_with("      a: string(10)\n      b: string(10)\n"),
       t_with("      a: string(10)\n      b: string(10)\n",
              "    unique:\n      - { columns: [a, b], name: t_a_b_uniq }\n"),
       false,
       safe({"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_a_b_uniq ON public.t (a, b);",
             pg_once("ALTER TABLE public.t ADD CONSTRAINT t_a_b_uniq UNIQUE USING INDEX t_a_b_uniq;")},
            {"ALTER TABLE IF EXISTS public.t DROP CONSTRAINT IF EXISTS t_a_b_uniq;",
             "DROP INDEX CONCURRENTLY IF EXISTS public.t_a_b_uniq;"}),
       safe({"CREATE UNIQUE INDEX IF NOT EXISTS t_a_b_uniq ON t (a, b);"}, {"DROP INDEX IF EXISTS t_a_b_uniq ON t;"})},
      {"add check on an existing table: NOT VALID, then VALIDATE", t_with("      qty: int\n"),
       t_with("      qty: { type: int, check: { range: [0, null] } }\n"), false,
       safe({pg_once("ALTER TABLE public.t ADD CONSTRAINT t_qty_check CHECK (qty >= 0) NOT VALID;"),
             "ALTER TABLE public.t VALIDATE CONSTRAINT t_qty_check;"},
            {"ALTER TABLE IF EXISTS public.t DROP CONSTRAINT IF EXISTS t_qty_check;"}),
       safe({"ALTER TABLE t ADD CONSTRAINT t_qty_check CHECK (qty >= 0);"},
            {"ALTER TABLE t DROP CONSTRAINT t_qty_check;"})},
      {"add named IN-list check on an existing table", t_with("      status: string(20)\n"),
       t_with("      status: { type: string(20), check: { in: [open, closed], name: valid_status } }\n"), false,
       safe(
           {pg_once("ALTER TABLE public.t ADD CONSTRAINT valid_status CHECK (status IN ('open', 'closed')) NOT VALID;"),
            "ALTER TABLE public.t VALIDATE CONSTRAINT valid_status;"},
           {"ALTER TABLE IF EXISTS public.t DROP CONSTRAINT IF EXISTS valid_status;"}),
       safe({"ALTER TABLE t ADD CONSTRAINT valid_status CHECK (status IN ('open', 'closed'));"},
            {"ALTER TABLE t DROP CONSTRAINT valid_status;"})},
      {"add foreign key on an existing table: NOT VALID, then VALIDATE", t_with("      u_id: uuid\n", kU),
       t_with("      u_id: { type: uuid, references: { table: u, on_delete: cascade } }\n", kU), false,
       safe({pg_once("ALTER TABLE public.t ADD CONSTRAINT t_u_id_fkey FOREIGN KEY (u_id) REFERENCES public.u (id) ON "
                     "DELETE CASCADE NOT VALID;"),
             "ALTER TABLE public.t VALIDATE CONSTRAINT t_u_id_fkey;"},
            {"ALTER TABLE IF EXISTS public.t DROP CONSTRAINT IF EXISTS t_u_id_fkey;"}),
       // The down drops the index MySQL-family servers made for the key along with it.
       safe({"ALTER TABLE t ADD CONSTRAINT t_u_id_fkey FOREIGN KEY (u_id) REFERENCES u (id) ON DELETE CASCADE;"},
            {"ALTER TABLE t DROP FOREIGN KEY t_u_id_fkey;", "DROP INDEX IF EXISTS t_u_id_fkey ON t;"})},
      {"new table with a check and a foreign key: validated as they are created", t_with(), t_with("", R"(  w:
    columns:
      id: { type: uuid, primary_key: true }
      t_id: { type: uuid, nullable: false, references: { table: t } }
      n: { type: int, check: { expr: "n > 0" } }
)"),
       false,
       safe(
           {"CREATE TABLE IF NOT EXISTS public.w (\n    id UUID NOT NULL,\n    t_id UUID NOT NULL,\n    n INTEGER,\n   "
            " "
            "CONSTRAINT w_pkey PRIMARY KEY (id),\n    CONSTRAINT w_n_check CHECK (n > 0)\n);",
            pg_once("ALTER TABLE public.w ADD CONSTRAINT w_t_id_fkey FOREIGN KEY (t_id) REFERENCES public.t (id);")},
           {"ALTER TABLE IF EXISTS public.w DROP CONSTRAINT IF EXISTS w_t_id_fkey;", "DROP TABLE IF EXISTS public.w;"}),
       safe({"CREATE TABLE IF NOT EXISTS w (\n    id VARCHAR(36) NOT NULL,\n    t_id VARCHAR(36) NOT NULL,\n    n "
             "INT,\n  "
             "  PRIMARY KEY (id)" +
                 kClustered + ",\n    CONSTRAINT w_n_check CHECK (n > 0)" + kEngine + ";",
             "ALTER TABLE w ADD CONSTRAINT w_t_id_fkey FOREIGN KEY (t_id) REFERENCES t (id);"},
            {"ALTER TABLE w DROP FOREIGN KEY w_t_id_fkey;", "DROP TABLE IF EXISTS w;"})},
      {"add exclusion constraint (postgres only)",
       t_with("      room: string(20)\n      starts_at: timestamptz\n      ends_at: timestamptz\n"),
       t_with("      room: string(20)\n      starts_at: timestamptz\n      ends_at: timestamptz\n",
              R"yaml(    exclusions:
      - name: t_no_double_booking
        method: gist
        elements:
          - { column: room, operator: "=" }
          - { expression: "tstzrange(starts_at, ends_at)", operator: "&&" }
        dialects: [postgres]
)yaml"),
       false,
       safe({pg_once("ALTER TABLE public.t ADD CONSTRAINT t_no_double_booking EXCLUDE USING gist (room WITH =, "
                     "(tstzrange(starts_at, ends_at)) WITH &&);")},
            {"ALTER TABLE IF EXISTS public.t DROP CONSTRAINT IF EXISTS t_no_double_booking;"}),
       nothing(), "registry: test\nextensions:\n  btree_gist: { dialects: [postgres] }\n",
       "registry: test\nextensions:\n  btree_gist: { dialects: [postgres] }\n"},

      {"drop exclusion constraint (postgres only)",
       t_with("      room: string(20)\n      starts_at: timestamptz\n      ends_at: timestamptz\n",
              R"yaml(    exclusions:
      - name: t_no_double_booking
        method: gist
        elements:
          - { column: room, operator: "=" }
          - { expression: "tstzrange(starts_at, ends_at)", operator: "&&" }
        dialects: [postgres]
)yaml"),
       t_with("      room: string(20)\n      starts_at: timestamptz\n      ends_at: timestamptz\n"), false,
       safe({"ALTER TABLE IF EXISTS public.t DROP CONSTRAINT IF EXISTS t_no_double_booking;"},
            {pg_once("ALTER TABLE public.t ADD CONSTRAINT t_no_double_booking EXCLUDE USING gist (room WITH =, "
                     "(tstzrange(starts_at, ends_at)) WITH &&);")}),
       nothing(), "registry: test\nextensions:\n  btree_gist: { dialects: [postgres] }\n",
       "registry: test\nextensions:\n  btree_gist: { dialects: [postgres] }\n"},
      {"primary key extended to two columns: TiDB refuses",
       "entity: X\ntables:\n  k:\n    columns:\n      a: { type: int, nullable: false }\n      b: { type: int, "
       "nullable: "
       "false }\n    primary_key: [a]\n",
       "entity: X\ntables:\n  k:\n    columns:\n      a: { type: int, nullable: false }\n      b: { type: int, "
       "nullable: "
       "false }\n    primary_key: [a, b]\n",
       false,
       safe({"ALTER TABLE IF EXISTS public.k DROP CONSTRAINT IF EXISTS k_pkey;",
             "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS k_pkey ON public.k (a, b);",
             pg_once("ALTER TABLE public.k ADD CONSTRAINT k_pkey PRIMARY KEY USING INDEX k_pkey;")},
            {"ALTER TABLE IF EXISTS public.k DROP CONSTRAINT IF EXISTS k_pkey;",
             "DROP INDEX CONCURRENTLY IF EXISTS public.k_pkey;",
             pg_once("ALTER TABLE public.k ADD CONSTRAINT k_pkey PRIMARY KEY (a);")}),
       refused({"drop primary key k_pkey on k", "add primary key k_pkey on k",
                "TiDB cannot add or drop the clustered primary key k_pkey of k in place",
                "create a new table with the new key and copy the rows"})},

      // ---- type changes that could cut or round values (no explicit cast that truncates)
      {"text back to string(255): no USING, so a longer value raises instead of being cut",
       t_with("      title: text\n"), t_with("      title: string(255)\n"), true,
       lossy({"ALTER TABLE public.t ALTER COLUMN title TYPE VARCHAR(255);"},
             {"ALTER TABLE public.t ALTER COLUMN title TYPE TEXT;"}),
       lossy({"ALTER TABLE t MODIFY COLUMN title VARCHAR(255);"}, {"ALTER TABLE t MODIFY COLUMN title TEXT;"})},
      {"decimal to fewer places: a value that would be rounded raises", t_with("      price: decimal(10,3)\n"),
       t_with("      price: decimal(10,2)\n"), true,
       lossy({"ALTER TABLE public.t ALTER COLUMN price TYPE NUMERIC(10,2) USING CASE WHEN price = "
              "price::NUMERIC(10,2) THEN price::NUMERIC(10,2) ELSE ('t.price holds a value that does not fit "
              "NUMERIC(10,2) exactly (it would be rounded or cut): ' || price::TEXT)::NUMERIC(10,2) END;"},
             {"ALTER TABLE public.t ALTER COLUMN price TYPE NUMERIC(10,3);"}),
       lossy({"ALTER TABLE t MODIFY COLUMN price DECIMAL(10,2);"},
             {"ALTER TABLE t MODIFY COLUMN price DECIMAL(10,3);"})},
      {"double to int: a fractional value raises instead of being rounded", t_with("      n: double\n"),
       t_with("      n: int\n"), true,
       lossy({"ALTER TABLE public.t ALTER COLUMN n TYPE INTEGER USING CASE WHEN n = n::INTEGER THEN n::INTEGER ELSE "
              "('t.n holds a value that does not fit INTEGER exactly (it would be rounded or cut): ' || "
              "n::TEXT)::INTEGER END;"},
             {"ALTER TABLE public.t ALTER COLUMN n TYPE DOUBLE PRECISION;"}),
       lossy({"ALTER TABLE t MODIFY COLUMN n INT;"}, {"ALTER TABLE t MODIFY COLUMN n DOUBLE;"})},
      {"int to string(5) and back: assignment casts both ways (a longer value raises)", t_with("      n: int\n"),
       t_with("      n: string(5)\n"), true,
       lossy({"ALTER TABLE public.t ALTER COLUMN n TYPE VARCHAR(5);"},
             {"ALTER TABLE public.t ALTER COLUMN n TYPE INTEGER USING n::INTEGER;"}),
       lossy({"ALTER TABLE t MODIFY COLUMN n VARCHAR(5);"}, {"ALTER TABLE t MODIFY COLUMN n INT;"})},
      {"text to a list of string(10): the cast leaves out the length, so a long element raises",
       t_with("      tags: text\n"), t_with("      tags: \"list<string(10)>\"\n"), true,
       lossy({"ALTER TABLE public.t ALTER COLUMN tags TYPE VARCHAR(10)[] USING tags::VARCHAR[];"},
             {"ALTER TABLE public.t ALTER COLUMN tags TYPE TEXT;"}),
       refused({"cannot change t.tags from TEXT to JSON in place"})},

      // ---- names that need quotes
      {"enum type with a mixed-case name: quoted where a column uses it", t_with(),
       "entity: X\nenums:\n  dataId:\n    values: [a, b]\ntables:\n  t:\n    columns:\n      id: { type: uuid, "
       "primary_key: true }\n      kind: enum(dataId)\n",
       false,
       safe({pg_once("CREATE TYPE public.\"dataId\" AS ENUM ('a', 'b');"),
             "ALTER TABLE public.t ADD COLUMN IF NOT EXISTS kind public.\"dataId\";"},
            {"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS kind;", "DROP TYPE IF EXISTS public.\"dataId\";"}),
       safe({"ALTER TABLE t ADD COLUMN IF NOT EXISTS kind ENUM('a', 'b');"},
            {"ALTER TABLE t DROP COLUMN IF EXISTS kind;"})},
      {"MySQL 8 reserved words as column names are backquoted on TiDB", t_with(),
       t_with("      return: int\n      signal: int\n      condition: int\n      loop: int\n      before: int\n"
              "      each: int\n      reads: int\n      undo: int\n"),
       false,
       planned({"ALTER TABLE public.t ADD COLUMN IF NOT EXISTS return INTEGER;",
                "ALTER TABLE public.t ADD COLUMN IF NOT EXISTS signal INTEGER;",
                "ALTER TABLE public.t ADD COLUMN IF NOT EXISTS condition INTEGER;",
                "ALTER TABLE public.t ADD COLUMN IF NOT EXISTS loop INTEGER;",
                "ALTER TABLE public.t ADD COLUMN IF NOT EXISTS before INTEGER;",
                "ALTER TABLE public.t ADD COLUMN IF NOT EXISTS each INTEGER;",
                "ALTER TABLE public.t ADD COLUMN IF NOT EXISTS reads INTEGER;",
                "ALTER TABLE public.t ADD COLUMN IF NOT EXISTS undo INTEGER;"},
               {"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS undo;",
                "ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS reads;",
                "ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS each;",
                "ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS before;",
                "ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS loop;",
                "ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS condition;",
                "ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS signal;",
                "ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS return;"}),
       planned(
           {"ALTER TABLE t ADD COLUMN IF NOT EXISTS `return` INT;",
            "ALTER TABLE t ADD COLUMN IF NOT EXISTS `signal` INT;",
            "ALTER TABLE t ADD COLUMN IF NOT EXISTS `condition` INT;",
            "ALTER TABLE t ADD COLUMN IF NOT EXISTS `loop` INT;",
            "ALTER TABLE t ADD COLUMN IF NOT EXISTS `before` INT;",
            "ALTER TABLE t ADD COLUMN IF NOT EXISTS `each` INT;", "ALTER TABLE t ADD COLUMN IF NOT EXISTS `reads` INT;",
            "ALTER TABLE t ADD COLUMN IF NOT EXISTS `undo` INT;"},
           {"ALTER TABLE t DROP COLUMN IF EXISTS `undo`;", "ALTER TABLE t DROP COLUMN IF EXISTS `reads`;",
            "ALTER TABLE t DROP COLUMN IF EXISTS `each`;", "ALTER TABLE t DROP COLUMN IF EXISTS `before`;",
            "ALTER TABLE t DROP COLUMN IF EXISTS `loop`;", "ALTER TABLE t DROP COLUMN IF EXISTS `condition`;",
            "ALTER TABLE t DROP COLUMN IF EXISTS `signal`;", "ALTER TABLE t DROP COLUMN IF EXISTS `return`;"})},

      {"foreign key moved to another column under the same name: the made-up index goes with the old key (TiDB)",
       t_with("      r: { type: uuid, references: { table: u, name: t_u_fkey } }\n      r2: uuid\n", kU),
       t_with("      r: uuid\n      r2: { type: uuid, references: { table: u, name: t_u_fkey } }\n", kU), false,
       safe(
           {"ALTER TABLE IF EXISTS public.t DROP CONSTRAINT IF EXISTS t_u_fkey;",
            pg_once(
                "ALTER TABLE public.t ADD CONSTRAINT t_u_fkey FOREIGN KEY (r2) REFERENCES public.u (id) NOT VALID;"),
            "ALTER TABLE public.t VALIDATE CONSTRAINT t_u_fkey;"},
           {"ALTER TABLE IF EXISTS public.t DROP CONSTRAINT IF EXISTS t_u_fkey;",
            pg_once("ALTER TABLE public.t ADD CONSTRAINT t_u_fkey FOREIGN KEY (r) REFERENCES public.u (id) NOT VALID;"),
            "ALTER TABLE public.t VALIDATE CONSTRAINT t_u_fkey;"}),
       safe({"ALTER TABLE t DROP FOREIGN KEY t_u_fkey;", "DROP INDEX IF EXISTS t_u_fkey ON t;",
             "ALTER TABLE t ADD CONSTRAINT t_u_fkey FOREIGN KEY (r2) REFERENCES u (id);"},
            {"ALTER TABLE t DROP FOREIGN KEY t_u_fkey;", "DROP INDEX IF EXISTS t_u_fkey ON t;",
             "ALTER TABLE t ADD CONSTRAINT t_u_fkey FOREIGN KEY (r) REFERENCES u (id);"})},

      {"referenced column and its foreign-key column widened: the key is dropped before and added after",
       "entity: X\ntables:\n  p:\n    columns:\n      id: { type: int, primary_key: true }\n      code: { type: int, "
       "unique: true }\n  c:\n    columns:\n      id: { type: int, primary_key: true }\n      p_code: { type: int, "
       "references: { table: p, column: code } }\n",
       "entity: X\ntables:\n  p:\n    columns:\n      id: { type: int, primary_key: true }\n      code: { type: "
       "bigint, unique: true }\n  c:\n    columns:\n      id: { type: int, primary_key: true }\n      p_code: { type: "
       "bigint, references: { table: p, column: code } }\n",
       false,
       safe(
           {"ALTER TABLE IF EXISTS public.c DROP CONSTRAINT IF EXISTS c_p_code_fkey;",
            "ALTER TABLE public.p ALTER COLUMN code TYPE BIGINT;",
            "ALTER TABLE public.c ALTER COLUMN p_code TYPE BIGINT;",
            pg_once("ALTER TABLE public.c ADD CONSTRAINT c_p_code_fkey FOREIGN KEY (p_code) REFERENCES public.p (code) "
                    "NOT VALID;"),
            "ALTER TABLE public.c VALIDATE CONSTRAINT c_p_code_fkey;"},
           {"ALTER TABLE IF EXISTS public.c DROP CONSTRAINT IF EXISTS c_p_code_fkey;",
            "ALTER TABLE public.c ALTER COLUMN p_code TYPE INTEGER;",
            "ALTER TABLE public.p ALTER COLUMN code TYPE INTEGER;",
            pg_once("ALTER TABLE public.c ADD CONSTRAINT c_p_code_fkey FOREIGN KEY (p_code) REFERENCES public.p (code) "
                    "NOT VALID;"),
            "ALTER TABLE public.c VALIDATE CONSTRAINT c_p_code_fkey;"}),
       safe({"ALTER TABLE c DROP FOREIGN KEY c_p_code_fkey;", "DROP INDEX IF EXISTS c_p_code_fkey ON c;",
             "ALTER TABLE p MODIFY COLUMN code BIGINT;", "ALTER TABLE c MODIFY COLUMN p_code BIGINT;",
             "ALTER TABLE c ADD CONSTRAINT c_p_code_fkey FOREIGN KEY (p_code) REFERENCES p (code);"},
            {"ALTER TABLE c DROP FOREIGN KEY c_p_code_fkey;", "DROP INDEX IF EXISTS c_p_code_fkey ON c;",
             "ALTER TABLE c MODIFY COLUMN p_code INT;", "ALTER TABLE p MODIFY COLUMN code INT;",
             "ALTER TABLE c ADD CONSTRAINT c_p_code_fkey FOREIGN KEY (p_code) REFERENCES p (code);"})},

      // ---- renames resolved before matching by name
      {"table with a serial key renamed: its sequence follows",
       "entity: X\ntables:\n  t1:\n    columns:\n      id: { type: serial, primary_key: true }\n",
       "entity: X\ntables:\n  t2:\n    renamed_from: [t1]\n    columns:\n      id: { type: serial, primary_key: "
       "true }\n",
       false,
       safe({"ALTER TABLE IF EXISTS public.t1 RENAME TO t2;",
             "ALTER SEQUENCE IF EXISTS public.t1_id_seq RENAME TO t2_id_seq;",
             "DO $$\nBEGIN\n    IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 't1_pkey' AND conrelid = "
             "to_regclass('public.t2')) THEN\n        ALTER TABLE public.t2 RENAME CONSTRAINT t1_pkey TO t2_pkey;\n    "
             "END IF;\nEND\n$$;"},
            {"DO $$\nBEGIN\n    IF EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 't2_pkey' AND conrelid = "
             "to_regclass('public.t2')) THEN\n        ALTER TABLE public.t2 RENAME CONSTRAINT t2_pkey TO t1_pkey;\n    "
             "END IF;\nEND\n$$;",
             "ALTER TABLE IF EXISTS public.t2 RENAME TO t1;",
             "ALTER SEQUENCE IF EXISTS public.t2_id_seq RENAME TO t1_id_seq;"}),
       safe({"RENAME TABLE t1 TO t2;"}, {"RENAME TABLE t2 TO t1;"})},
      {"two columns swap names: renamed through a temporary name, no type change",
       t_with("      a: int\n      b: uuid\n"),
       t_with("      a: { type: uuid, renamed_from: b }\n      b: { type: int, renamed_from: a }\n"), false,
       safe({pg_rename_column("t", "b", "b_renaming"), pg_rename_column("t", "a", "b"),
             pg_rename_column("t", "b_renaming", "a")},
            {pg_rename_column("t", "a", "b_renaming"), pg_rename_column("t", "b", "a"),
             pg_rename_column("t", "b_renaming", "b")}),
       safe({"ALTER TABLE t RENAME COLUMN b TO b_renaming;", "ALTER TABLE t RENAME COLUMN a TO b;",
             "ALTER TABLE t RENAME COLUMN b_renaming TO a;"},
            {"ALTER TABLE t RENAME COLUMN a TO b_renaming;", "ALTER TABLE t RENAME COLUMN b TO a;",
             "ALTER TABLE t RENAME COLUMN b_renaming TO b;"})},
      {"renamed column's old name reused by a new column: a rename, then an add", t_with("      title: text\n"),
       t_with("      heading: { type: text, renamed_from: title }\n      title: int\n"), false,
       safe({pg_rename_column("t", "title", "heading"), "ALTER TABLE public.t ADD COLUMN IF NOT EXISTS title INTEGER;"},
            {"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS title;", pg_rename_column("t", "heading", "title")}),
       safe({"ALTER TABLE t RENAME COLUMN title TO heading;", "ALTER TABLE t ADD COLUMN IF NOT EXISTS title INT;"},
            {"ALTER TABLE t DROP COLUMN IF EXISTS title;", "ALTER TABLE t RENAME COLUMN heading TO title;"})},
      {"a chain of renames (b -> c, a -> b): the free name first", t_with("      a: int\n      b: uuid\n"),
       t_with("      b: { type: int, renamed_from: a }\n      c: { type: uuid, renamed_from: b }\n"), false,
       safe({pg_rename_column("t", "b", "c"), pg_rename_column("t", "a", "b")},
            {pg_rename_column("t", "b", "a"), pg_rename_column("t", "c", "b")}),
       safe({"ALTER TABLE t RENAME COLUMN b TO c;", "ALTER TABLE t RENAME COLUMN a TO b;"},
            {"ALTER TABLE t RENAME COLUMN b TO a;", "ALTER TABLE t RENAME COLUMN c TO b;"})},
      {"one half of a swap dropped: the renamed column replaces the dropped one",
       t_with("      a: int\n      b: uuid\n"), t_with("      b: { type: int, renamed_from: a }\n"), true,
       lossy({"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS b;", pg_rename_column("t", "a", "b")},
             {pg_rename_column("t", "b", "a"), "ALTER TABLE public.t ADD COLUMN IF NOT EXISTS b UUID;"}),
       lossy({"ALTER TABLE t DROP COLUMN IF EXISTS b;", "ALTER TABLE t RENAME COLUMN a TO b;"},
             {"ALTER TABLE t RENAME COLUMN b TO a;", "ALTER TABLE t ADD COLUMN IF NOT EXISTS b VARCHAR(36);"})},
      {"a declaration the old state already had is stale: its reused old name is only dropped",
       t_with("      heading: { type: text, renamed_from: title }\n      title: int\n"),
       t_with("      heading: { type: text, renamed_from: title }\n"), true,
       lossy({"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS title;"},
             {"ALTER TABLE public.t ADD COLUMN IF NOT EXISTS title INTEGER;"}),
       lossy({"ALTER TABLE t DROP COLUMN IF EXISTS title;"}, {"ALTER TABLE t ADD COLUMN IF NOT EXISTS title INT;"})},
      {"a stale renamed_from (the rename happened in an earlier migration) changes nothing",
       t_with("      heading: text\n      title: int\n"),
       t_with("      heading: { type: text, renamed_from: title }\n      title: int\n"), false, nothing(), nothing()},

      // ---- enums
      {"enum value appended", colors("[red, green]"), colors("[red, green, blue]"), false,
       one_way({"ALTER TYPE public.color ADD VALUE IF NOT EXISTS 'blue' AFTER 'green';"},
               {"-- PostgreSQL cannot remove values from an enum type; color keeps them"}),
       safe({"ALTER TABLE t MODIFY COLUMN color ENUM('red', 'green', 'blue');"},
            {"ALTER TABLE t MODIFY COLUMN color ENUM('red', 'green');"})},
      {"enum value inserted before an existing one: TiDB refuses", colors("[red, green]"), colors("[red, blue, green]"),
       false,
       one_way({"ALTER TYPE public.color ADD VALUE IF NOT EXISTS 'blue' AFTER 'red';"},
               {"-- PostgreSQL cannot remove values from an enum type; color keeps them"}),
       refused({"cannot change t.color from ENUM('red', 'green') to ENUM('red', 'blue', 'green') in place",
                "TiDB can only append values to an ENUM in place", "Instead"})},

      {"enum type description changed: COMMENT ON TYPE (a change migrate check must see)", colors("[red, green]"),
       "entity: X\nenums:\n  color:\n    values: [red, green]\n    description: Paint\ntables:\n  t:\n    columns:\n"
       "      id: { type: uuid, primary_key: true }\n      color: enum(color)\n",
       false, safe({"COMMENT ON TYPE public.color IS 'Paint';"}, {"COMMENT ON TYPE public.color IS NULL;"}), nothing()},
      {"enum value appended and description changed", colors("[red, green]"),
       "entity: X\nenums:\n  color:\n    values: [red, green, blue]\n    description: Paint\ntables:\n  t:\n"
       "    columns:\n      id: { type: uuid, primary_key: true }\n      color: enum(color)\n",
       false,
       one_way({"ALTER TYPE public.color ADD VALUE IF NOT EXISTS 'blue' AFTER 'green';",
                "COMMENT ON TYPE public.color IS 'Paint';"},
               {"COMMENT ON TYPE public.color IS NULL;",
                "-- PostgreSQL cannot remove values from an enum type; color keeps them"}),
       safe({"ALTER TABLE t MODIFY COLUMN color ENUM('red', 'green', 'blue');"},
            {"ALTER TABLE t MODIFY COLUMN color ENUM('red', 'green');"})},
      {"enum column and its type dropped: the column goes first", colors("[red, green]"), t_with(), true,
       lossy({"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS color;", "DROP TYPE IF EXISTS public.color;"},
             {pg_once("CREATE TYPE public.color AS ENUM ('red', 'green');"),
              "ALTER TABLE public.t ADD COLUMN IF NOT EXISTS color public.color;"}),
       lossy({"ALTER TABLE t DROP COLUMN IF EXISTS color;"},
             {"ALTER TABLE t ADD COLUMN IF NOT EXISTS color ENUM('red', 'green');"})},

      // ---- views
      {"add view", t_with("      name: text\n"), t_with("      name: text\n", kViewNames), false,
       safe({kPgViewNames}, {"DROP VIEW IF EXISTS public.v_names;"}),
       safe({kTidbViewNames}, {"DROP VIEW IF EXISTS v_names;"})},
      {"drop view", t_with("      name: text\n", kViewNames), t_with("      name: text\n"), false,
       safe({"DROP VIEW IF EXISTS public.v_names;"}, {kPgViewNames}),
       safe({"DROP VIEW IF EXISTS v_names;"}, {kTidbViewNames})},
      {"view body changed: dropped and created again", t_with("      name: text\n", kViewNames),
       t_with("      name: text\n",
              "views:\n  v_names:\n    depends_on: [t]\n    sql: \"SELECT id, name FROM t WHERE name IS NOT NULL\"\n"),
       false,
       safe({"DROP VIEW IF EXISTS public.v_names;",
             "CREATE OR REPLACE VIEW public.v_names AS\nSELECT id, name FROM t WHERE name IS NOT NULL;"},
            {"DROP VIEW IF EXISTS public.v_names;", kPgViewNames}),
       safe({"DROP VIEW IF EXISTS v_names;",
             "CREATE OR REPLACE VIEW v_names AS\nSELECT id, name FROM t WHERE name IS NOT NULL;"},
            {"DROP VIEW IF EXISTS v_names;", kTidbViewNames})},
      {"column type change: dependent views (and views on them) dropped before and created after",
       t_with("      name: string(20)\n", kViewNames + kViewLower),
       t_with("      name: string(50)\n", kViewNames + kViewLower), false,
       safe({"DROP VIEW IF EXISTS public.v_lower;", "DROP VIEW IF EXISTS public.v_names;",
             "ALTER TABLE public.t ALTER COLUMN name TYPE VARCHAR(50);", kPgViewNames, kPgViewLower},
            {"DROP VIEW IF EXISTS public.v_lower;", "DROP VIEW IF EXISTS public.v_names;",
             "ALTER TABLE public.t ALTER COLUMN name TYPE VARCHAR(20);", kPgViewNames, kPgViewLower}),
       safe({"DROP VIEW IF EXISTS v_lower;", "DROP VIEW IF EXISTS v_names;",
             "ALTER TABLE t MODIFY COLUMN name VARCHAR(50);", kTidbViewNames, kTidbViewLower},
            {"DROP VIEW IF EXISTS v_lower;", "DROP VIEW IF EXISTS v_names;",
             "ALTER TABLE t MODIFY COLUMN name VARCHAR(20);", kTidbViewNames, kTidbViewLower})},
      {"add view with a comment", t_with("      name: text\n"),
       t_with("      name: text\n",
              "views:\n  v_names:\n    description: Names only\n    depends_on: [t]\n    sql: "
              "\"SELECT id, name FROM t\"\n"),
       false,
       safe({kPgViewNames, "COMMENT ON VIEW public.v_names IS 'Names only';"}, {"DROP VIEW IF EXISTS public.v_names;"}),
       safe({kTidbViewNames}, {"DROP VIEW IF EXISTS v_names;"})},
      {"column renamed: the view over it is dropped before and created after, with its new body",
       t_with("      title: text\n", "views:\n  v:\n    depends_on: [t]\n    sql: \"SELECT title FROM t\"\n"),
       t_with("      heading: { type: text, renamed_from: title }\n",
              "views:\n  v:\n    depends_on: [t]\n    sql: \"SELECT heading FROM t\"\n"),
       false,
       safe({"DROP VIEW IF EXISTS public.v;", pg_rename_column("t", "title", "heading"),
             "CREATE OR REPLACE VIEW public.v AS\nSELECT heading FROM t;"},
            {"DROP VIEW IF EXISTS public.v;", pg_rename_column("t", "heading", "title"),
             "CREATE OR REPLACE VIEW public.v AS\nSELECT title FROM t;"}),
       safe({"DROP VIEW IF EXISTS v;", "ALTER TABLE t RENAME COLUMN title TO heading;",
             "CREATE OR REPLACE VIEW v AS\nSELECT heading FROM t;"},
            {"DROP VIEW IF EXISTS v;", "ALTER TABLE t RENAME COLUMN heading TO title;",
             "CREATE OR REPLACE VIEW v AS\nSELECT title FROM t;"})},
      {"table dropped with the view over it, another table created: the view goes first",
       t_with("      name: text\n", kViewNames),
       "entity: X\ntables:\n  z:\n    columns:\n      id: { type: uuid, primary_key: true }\n", true,
       lossy(
           {"DROP VIEW IF EXISTS public.v_names;", "DROP TABLE IF EXISTS public.t;",
            "CREATE TABLE IF NOT EXISTS public.z (\n    id UUID NOT NULL,\n    CONSTRAINT z_pkey PRIMARY KEY (id)\n);"},
           {"DROP TABLE IF EXISTS public.z;",
            "CREATE TABLE IF NOT EXISTS public.t (\n    id UUID NOT NULL,\n    name TEXT,\n    CONSTRAINT t_pkey "
            "PRIMARY "
            "KEY (id)\n);",
            kPgViewNames}),
       lossy({"DROP VIEW IF EXISTS v_names;", "DROP TABLE IF EXISTS t;",
              "CREATE TABLE IF NOT EXISTS z (\n    id VARCHAR(36) NOT NULL,\n    PRIMARY KEY (id)" + kClustered +
                  kEngine + ";"},
             {"DROP TABLE IF EXISTS z;",
              "CREATE TABLE IF NOT EXISTS t (\n    id VARCHAR(36) NOT NULL,\n    name TEXT,\n    PRIMARY KEY (id)" +
                  kClustered + kEngine + ";",
              kTidbViewNames})},
      {"adding a column leaves the views on the table alone", t_with("      name: text\n", kViewNames),
       t_with("      name: text\n      extra: int\n", kViewNames), false,
       safe({"ALTER TABLE public.t ADD COLUMN IF NOT EXISTS extra INTEGER;"},
            {"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS extra;"}),
       safe({"ALTER TABLE t ADD COLUMN IF NOT EXISTS extra INT;"}, {"ALTER TABLE t DROP COLUMN IF EXISTS extra;"})},
      {"add materialized view with an index (postgres only)", t_with("      name: string(20)\n"),
       t_with("      name: string(20)\n", kMatView), false,
       safe({kPgMatView, kPgMatViewIndex}, {"DROP MATERIALIZED VIEW IF EXISTS public.mv_counts;"}), nothing()},
      {"column type change: the materialized view on the table is rebuilt with its index",
       t_with("      name: string(20)\n", kMatView), t_with("      name: string(50)\n", kMatView), false,
       safe({"DROP MATERIALIZED VIEW IF EXISTS public.mv_counts;",
             "ALTER TABLE public.t ALTER COLUMN name TYPE VARCHAR(50);", kPgMatView, kPgMatViewIndex},
            {"DROP MATERIALIZED VIEW IF EXISTS public.mv_counts;",
             "ALTER TABLE public.t ALTER COLUMN name TYPE VARCHAR(20);", kPgMatView, kPgMatViewIndex}),
       safe({"ALTER TABLE t MODIFY COLUMN name VARCHAR(50);"}, {"ALTER TABLE t MODIFY COLUMN name VARCHAR(20);"})},

      // ---- functions (postgres only)
      {"add function", t_with("      n: int\n"),
       t_with("      n: int\n", function("p_min INTEGER", "BIGINT", kCountBody)), false,
       safe({pg_function("p_min INTEGER", "BIGINT", kCountBody)},
            {"DROP FUNCTION IF EXISTS public.t_count(p_min INTEGER);"}),
       nothing()},
      {"add function with a comment", t_with("      n: int\n"),
       t_with("      n: int\n",
              function("p_min INTEGER", "BIGINT", kCountBody) + "    description: \"Counts t's rows\"\n"),
       false,
       safe({pg_function("p_min INTEGER", "BIGINT", kCountBody),
             "COMMENT ON FUNCTION public.t_count(p_min INTEGER) IS 'Counts t''s rows';"},
            {"DROP FUNCTION IF EXISTS public.t_count(p_min INTEGER);"}),
       nothing()},
      {"function description cleared: CREATE OR REPLACE keeps the comment, so it is cleared",
       t_with("      n: int\n",
              function("p_min INTEGER", "BIGINT", kCountBody) + "    description: \"Counts t's rows\"\n"),
       t_with("      n: int\n", function("p_min INTEGER", "BIGINT", kCountBody)), false,
       safe({pg_function("p_min INTEGER", "BIGINT", kCountBody),
             "COMMENT ON FUNCTION public.t_count(p_min INTEGER) IS NULL;"},
            {pg_function("p_min INTEGER", "BIGINT", kCountBody),
             "COMMENT ON FUNCTION public.t_count(p_min INTEGER) IS 'Counts t''s rows';"}),
       nothing()},
      {"function body changed: CREATE OR REPLACE both ways",
       t_with("      n: int\n", function("p_min INTEGER", "BIGINT", kCountBody)),
       t_with("      n: int\n", function("p_min INTEGER", "BIGINT", kCountBody2)), false,
       safe({pg_function("p_min INTEGER", "BIGINT", kCountBody2)},
            {pg_function("p_min INTEGER", "BIGINT", kCountBody)}),
       nothing()},
      {"function arguments changed: dropped, then created",
       t_with("      n: int\n", function("p_min INTEGER", "BIGINT", kCountBody)),
       t_with("      n: int\n", function("p_min INTEGER, p_max INTEGER DEFAULT NULL", "BIGINT", kCountBody)), false,
       safe({"DROP FUNCTION IF EXISTS public.t_count(p_min INTEGER);",
             pg_function("p_min INTEGER, p_max INTEGER DEFAULT NULL", "BIGINT", kCountBody)},
            {"DROP FUNCTION IF EXISTS public.t_count(p_min INTEGER, p_max INTEGER);",
             pg_function("p_min INTEGER", "BIGINT", kCountBody)}),
       nothing()},
      {"function return type changed: dropped, then created",
       t_with("      n: int\n", function("p_min INTEGER", "BIGINT", kCountBody)),
       t_with("      n: int\n", function("p_min INTEGER", "INTEGER", "SELECT count(*)::int FROM t WHERE n >= p_min")),
       false,
       safe({"DROP FUNCTION IF EXISTS public.t_count(p_min INTEGER);",
             pg_function("p_min INTEGER", "INTEGER", "SELECT count(*)::int FROM t WHERE n >= p_min")},
            {"DROP FUNCTION IF EXISTS public.t_count(p_min INTEGER);",
             pg_function("p_min INTEGER", "BIGINT", kCountBody)}),
       nothing()},
      {"drop function", t_with("      n: int\n", function("p_min INTEGER", "BIGINT", kCountBody)),
       t_with("      n: int\n"), false,
       safe({"DROP FUNCTION IF EXISTS public.t_count(p_min INTEGER);"},
            {pg_function("p_min INTEGER", "BIGINT", kCountBody)}),
       nothing()},
      {"function body containing the dollar-quote tag", t_with("      n: int\n"),
       t_with("      n: int\n", function("p_min INTEGER", "TEXT", "SELECT 'costs $function$ dollars'")), false,
       safe({pg_function("p_min INTEGER", "TEXT", "SELECT 'costs $function$ dollars'", "$function1$")},
            {"DROP FUNCTION IF EXISTS public.t_count(p_min INTEGER);"}),
       nothing()},

      // ---- extensions (postgres only)
      {"extension added", t_with(), t_with(), false,
       safe({"CREATE EXTENSION IF NOT EXISTS btree_gist;"}, {"DROP EXTENSION IF EXISTS btree_gist;"}), nothing(),
       kRegistry, "registry: test\nextensions:\n  btree_gist: { dialects: [postgres] }\n"},
      {"extension removed", t_with(), t_with(), false,
       safe({"DROP EXTENSION IF EXISTS btree_gist;"}, {"CREATE EXTENSION IF NOT EXISTS btree_gist;"}), nothing(),
       "registry: test\nextensions:\n  btree_gist: { dialects: [postgres] }\n", kRegistry},

      // ---- reference rows
      {"reference row added (value with a quote)", settings("        - { key: a, value: \"1\" }\n"),
       settings("        - { key: a, value: \"1\" }\n        - { key: b, value: \"it's 2\" }\n"), false,
       safe({"INSERT INTO public.settings (key, value) VALUES\n    ('b', 'it''s 2')\nON CONFLICT (key) DO NOTHING;"},
            {"DELETE FROM public.settings WHERE (key) IN (('b'));"}),
       safe({"INSERT IGNORE INTO settings (`key`, value) VALUES\n    ('b', 'it''s 2');"},
            {"DELETE FROM settings WHERE (`key`) IN (('b'));"})},
      {"reference row changed: updated by its key, and back", settings("        - { key: a, value: \"1\" }\n"),
       settings("        - { key: a, value: \"it's 2\" }\n"), false,
       safe({"UPDATE public.settings SET value = 'it''s 2' WHERE key = 'a';"},
            {"UPDATE public.settings SET value = '1' WHERE key = 'a';"}),
       safe({"UPDATE settings SET value = 'it''s 2' WHERE `key` = 'a';"},
            {"UPDATE settings SET value = '1' WHERE `key` = 'a';"})},
      {"reference row removed: deleted by its key, inserted again by the down",
       settings("        - { key: a, value: \"1\" }\n        - { key: b, value: \"2\" }\n"),
       settings("        - { key: a, value: \"1\" }\n"), false,
       safe({"DELETE FROM public.settings WHERE (key) IN (('b'));"},
            {"INSERT INTO public.settings (key, value) VALUES\n    ('b', '2')\nON CONFLICT (key) DO NOTHING;"}),
       safe({"DELETE FROM settings WHERE (`key`) IN (('b'));"},
            {"INSERT IGNORE INTO settings (`key`, value) VALUES\n    ('b', '2');"})},
      {"new table with reference rows: created, then filled", t_with(), t_with("", R"(  settings:
    columns:
      key: { type: string(50), primary_key: true }
      value: text
    rows:
      values:
        - { key: a, value: "1" }
        - { key: b, value: "2" }
)"),
       false,
       safe({"CREATE TABLE IF NOT EXISTS public.settings (\n    key VARCHAR(50) NOT NULL,\n    value TEXT,\n    "
             "CONSTRAINT settings_pkey PRIMARY KEY (key)\n);",
             "INSERT INTO public.settings (key, value) VALUES\n    ('a', '1'),\n    ('b', '2')\nON CONFLICT (key) DO "
             "NOTHING;"},
            // A second run of the down file finds the table gone.
            {pg_if_table("public.settings", "DELETE FROM public.settings WHERE (key) IN (('a'), ('b'));"),
             "DROP TABLE IF EXISTS public.settings;"}),
       safe({"CREATE TABLE IF NOT EXISTS settings (\n    `key` VARCHAR(50) NOT NULL,\n    value TEXT,\n    PRIMARY KEY "
             "(`key`)" +
                 kClustered + kEngine + ";",
             "INSERT IGNORE INTO settings (`key`, value) VALUES\n    ('a', '1'),\n    ('b', '2');"},
            {"DELETE FROM settings WHERE (`key`) IN (('a'), ('b'));", "DROP TABLE IF EXISTS settings;"})},
      {"reference rows keyed by two columns",
       t_with(
           "      kind: string(10)\n      code: string(10)\n      label: text\n",
           "    unique:\n      - [kind, code]\n    rows:\n      key: [kind, code]\n      values:\n        - { kind: a, "
           "code: x, label: Ax }\n"),
       t_with(
           "      kind: string(10)\n      code: string(10)\n      label: text\n",
           "    unique:\n      - [kind, code]\n    rows:\n      key: [kind, code]\n      values:\n        - { kind: a, "
           "code: x, label: Ax }\n        - { kind: a, code: y, label: Ay }\n"),
       false,
       safe({"INSERT INTO public.t (kind, code, label) VALUES\n    ('a', 'y', 'Ay')\nON CONFLICT (kind, code) DO "
             "NOTHING;"},
            {"DELETE FROM public.t WHERE (kind, code) IN (('a', 'y'));"}),
       safe({"INSERT IGNORE INTO t (kind, code, label) VALUES\n    ('a', 'y', 'Ay');"},
            {"DELETE FROM t WHERE (kind, code) IN (('a', 'y'));"})},

      // ---- dependency ordering
      {"new table referenced by a new foreign key on an existing table: the table comes first", t_with(),
       t_with("      u_id: { type: uuid, references: { table: u } }\n", kU), false,
       safe({kPgCreateU, "ALTER TABLE public.t ADD COLUMN IF NOT EXISTS u_id UUID;",
             pg_once("ALTER TABLE public.t ADD CONSTRAINT t_u_id_fkey FOREIGN KEY (u_id) REFERENCES public.u (id) NOT "
                     "VALID;"),
             "ALTER TABLE public.t VALIDATE CONSTRAINT t_u_id_fkey;"},
            {"ALTER TABLE IF EXISTS public.t DROP CONSTRAINT IF EXISTS t_u_id_fkey;",
             "ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS u_id;", "DROP TABLE IF EXISTS public.u;"}),
       safe({kTidbCreateU, "ALTER TABLE t ADD COLUMN IF NOT EXISTS u_id VARCHAR(36);",
             "ALTER TABLE t ADD CONSTRAINT t_u_id_fkey FOREIGN KEY (u_id) REFERENCES u (id);"},
            {"ALTER TABLE t DROP FOREIGN KEY t_u_id_fkey;", "DROP INDEX IF EXISTS t_u_id_fkey ON t;",
             "ALTER TABLE t DROP COLUMN IF EXISTS u_id;", "DROP TABLE IF EXISTS u;"})},
      {"two new tables, the first referencing the second: both created before the foreign key", t_with(),
       t_with("", R"(  a:
    columns:
      id: { type: uuid, primary_key: true }
      b_id: { type: uuid, references: { table: b } }
  b:
    columns:
      id: { type: uuid, primary_key: true }
)"),
       false,
       safe({"CREATE TABLE IF NOT EXISTS public.a (\n    id UUID NOT NULL,\n    b_id UUID,\n    CONSTRAINT a_pkey "
             "PRIMARY "
             "KEY (id)\n);",
             "CREATE TABLE IF NOT EXISTS public.b (\n    id UUID NOT NULL,\n    CONSTRAINT b_pkey PRIMARY KEY (id)\n);",
             pg_once("ALTER TABLE public.a ADD CONSTRAINT a_b_id_fkey FOREIGN KEY (b_id) REFERENCES public.b (id);")},
            {"ALTER TABLE IF EXISTS public.a DROP CONSTRAINT IF EXISTS a_b_id_fkey;", "DROP TABLE IF EXISTS public.b;",
             "DROP TABLE IF EXISTS public.a;"}),
       safe({"CREATE TABLE IF NOT EXISTS a (\n    id VARCHAR(36) NOT NULL,\n    b_id VARCHAR(36),\n    PRIMARY KEY "
             "(id)" +
                 kClustered + kEngine + ";",
             "CREATE TABLE IF NOT EXISTS b (\n    id VARCHAR(36) NOT NULL,\n    PRIMARY KEY (id)" + kClustered +
                 kEngine + ";",
             "ALTER TABLE a ADD CONSTRAINT a_b_id_fkey FOREIGN KEY (b_id) REFERENCES b (id);"},
            {"ALTER TABLE a DROP FOREIGN KEY a_b_id_fkey;", "DROP TABLE IF EXISTS b;", "DROP TABLE IF EXISTS a;"})},
      {"several refusals are listed together", t_with("      name: string(50)\n      note: text\n"),
       t_with("      name: string(20)\n"), false,
       refused({"refusing to plan the postgres migration", "changes t.name from VARCHAR(50) to VARCHAR(20)",
                "drops column t.note and its values"}),
       refused({"refusing to plan the tidb migration", "changes t.name from VARCHAR(50) to VARCHAR(20)",
                "drops column t.note and its values"})},

      // ---- serial columns (Postgres: a sequence owned by the column and its default; TiDB cannot
      // add or remove AUTO_INCREMENT on an existing column)
      {"int to serial: a sequence owned by the column, past the largest value, as its default",
       t_with("      n: { type: int, unique: true }\n"), t_with("      n: { type: serial, unique: true }\n"), false,
       planned(
           {
               "CREATE SEQUENCE IF NOT EXISTS public.t_n_seq AS INTEGER OWNED BY public.t.n;",
               "ALTER TABLE public.t ALTER COLUMN n SET DEFAULT nextval('public.t_n_seq'::regclass);",
               "SELECT setval('public.t_n_seq', COALESCE((SELECT max(n) FROM public.t), 0) + 1, false);",
               // SERIAL is NOT NULL: rows without a value are numbered first.
               "UPDATE public.t SET n = DEFAULT WHERE n IS NULL;",
               "ALTER TABLE public.t ALTER COLUMN n SET NOT NULL;",
           },
           {
               "ALTER TABLE public.t ALTER COLUMN n DROP NOT NULL;",
               "ALTER TABLE IF EXISTS public.t ALTER COLUMN n DROP DEFAULT;",
               "DROP SEQUENCE IF EXISTS public.t_n_seq;",
           }),
       refused({"TiDB cannot add AUTO_INCREMENT to an existing column", "INSERT ... SELECT"})},
      {"int to serial on a nullable column scans under ACCESS EXCLUSIVE: refused without --allow-rewrite",
       t_with("      n: { type: int, unique: true }\n"), t_with("      n: { type: serial, unique: true }\n"), false,
       refused({"numbers the rows of t where n is NULL", "expand/contract", "--allow-rewrite"}),
       refused({"TiDB cannot add AUTO_INCREMENT"}), kRegistry, kRegistry, false},
      {"serial to int: the default and the sequence go", t_with("      n: { type: serial, unique: true }\n"),
       t_with("      n: { type: int, unique: true }\n"), false,
       planned(
           {
               "ALTER TABLE public.t ALTER COLUMN n DROP NOT NULL;",
               "ALTER TABLE IF EXISTS public.t ALTER COLUMN n DROP DEFAULT;",
               "DROP SEQUENCE IF EXISTS public.t_n_seq;",
           },
           {
               "CREATE SEQUENCE IF NOT EXISTS public.t_n_seq AS INTEGER OWNED BY public.t.n;",
               "ALTER TABLE public.t ALTER COLUMN n SET DEFAULT nextval('public.t_n_seq'::regclass);",
               "SELECT setval('public.t_n_seq', COALESCE((SELECT max(n) FROM public.t), 0) + 1, false);",
               "UPDATE public.t SET n = DEFAULT WHERE n IS NULL;",
               "ALTER TABLE public.t ALTER COLUMN n SET NOT NULL;",
           }),
       refused({"TiDB removes AUTO_INCREMENT from t.n only with tidb_allow_remove_auto_inc"})},
      {"int key to bigserial: widened, then its sequence (no NULLs to number in a key)",
       "entity: X\ntables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n",
       "entity: X\ntables:\n  t:\n    columns:\n      id: { type: bigserial, primary_key: true }\n", false,
       safe(
           {
               "ALTER TABLE public.t ALTER COLUMN id TYPE BIGINT;",
               "CREATE SEQUENCE IF NOT EXISTS public.t_id_seq AS BIGINT OWNED BY public.t.id;",
               "ALTER TABLE public.t ALTER COLUMN id SET DEFAULT nextval('public.t_id_seq'::regclass);",
               "SELECT setval('public.t_id_seq', COALESCE((SELECT max(id) FROM public.t), 0) + 1, false);",
           },
           {
               "ALTER TABLE IF EXISTS public.t ALTER COLUMN id DROP DEFAULT;",
               "DROP SEQUENCE IF EXISTS public.t_id_seq;",
               "ALTER TABLE public.t ALTER COLUMN id TYPE INTEGER;",
           }),
       refused({"TiDB cannot add AUTO_INCREMENT"})},

      // ---- identity columns (a Postgres type override): catalog-only changes of their own
      {"identity BY DEFAULT to ALWAYS: SET GENERATED, catalog only",
       t_with(
           "      n: { type: bigint, nullable: false, postgres: { type: bigint GENERATED BY DEFAULT AS IDENTITY } }\n"),
       t_with("      n: { type: bigint, nullable: false, postgres: { type: bigint GENERATED ALWAYS AS IDENTITY } }\n"),
       false,
       safe({"ALTER TABLE public.t ALTER COLUMN n SET GENERATED ALWAYS;", kRestartN},
            {"ALTER TABLE public.t ALTER COLUMN n SET GENERATED BY DEFAULT;", kRestartN}),
       nothing(), kRegistry, kRegistry, false},
      {"bigint to identity: ADD GENERATED, its sequence past the largest value",
       t_with("      n: { type: bigint, nullable: false }\n"),
       t_with("      n: { type: bigint, nullable: false, postgres: { type: bigint GENERATED ALWAYS AS IDENTITY } }\n"),
       false,
       safe({"ALTER TABLE public.t ALTER COLUMN n ADD GENERATED ALWAYS AS IDENTITY;", kRestartN},
            {"ALTER TABLE IF EXISTS public.t ALTER COLUMN n DROP IDENTITY IF EXISTS;"}),
       nothing(), kRegistry, kRegistry, false},
      {"identity to bigint: DROP IDENTITY",
       t_with(
           "      n: { type: bigint, nullable: false, postgres: { type: bigint GENERATED BY DEFAULT AS IDENTITY } }\n"),
       t_with("      n: { type: bigint, nullable: false }\n"), false,
       safe({"ALTER TABLE IF EXISTS public.t ALTER COLUMN n DROP IDENTITY IF EXISTS;"},
            {"ALTER TABLE public.t ALTER COLUMN n ADD GENERATED BY DEFAULT AS IDENTITY;", kRestartN}),
       nothing(), kRegistry, kRegistry, false},

      // ---- Postgres steps that rewrite a table under ACCESS EXCLUSIVE need --allow-rewrite
      {"int to bigint rewrites the table: refused without --allow-rewrite, with the expand/contract recipe",
       t_with("      n: int\n"), t_with("      n: bigint\n"), false,
       refused({"rewrites t under an ACCESS EXCLUSIVE lock (INTEGER to BIGINT is not binary-compatible)",
                "add a new column, backfill it in batches", "--allow-rewrite"}),
       safe({"ALTER TABLE t MODIFY COLUMN n BIGINT;"}, {"ALTER TABLE t MODIFY COLUMN n INT;"}), kRegistry, kRegistry,
       false},
      {"varchar widening is binary-compatible: no --allow-rewrite needed", t_with("      name: string(20)\n"),
       t_with("      name: string(50)\n"), false,
       safe({"ALTER TABLE public.t ALTER COLUMN name TYPE VARCHAR(50);"},
            {"ALTER TABLE public.t ALTER COLUMN name TYPE VARCHAR(20);"}),
       safe({"ALTER TABLE t MODIFY COLUMN name VARCHAR(50);"}, {"ALTER TABLE t MODIFY COLUMN name VARCHAR(20);"}),
       kRegistry, kRegistry, false},
      {"a column added with a volatile default rewrites the table: refused without --allow-rewrite", t_with(),
       t_with("      token: { type: uuid, default: { expr: uuid } }\n"), false,
       refused({"adds t.token with a volatile default (gen_random_uuid())", "--allow-rewrite"}),
       safe({"ALTER TABLE t ADD COLUMN IF NOT EXISTS token VARCHAR(36) DEFAULT (UUID());"},
            {"ALTER TABLE t DROP COLUMN IF EXISTS token;"}),
       kRegistry, kRegistry, false},
      {"a column added with now() as its default is stored once: no --allow-rewrite needed", t_with(),
       t_with("      at: { type: timestamptz, default: { expr: now } }\n"), false,
       safe({"ALTER TABLE public.t ADD COLUMN IF NOT EXISTS at TIMESTAMPTZ DEFAULT now();"},
            {"ALTER TABLE IF EXISTS public.t DROP COLUMN IF EXISTS at;"}),
       safe({"ALTER TABLE t ADD COLUMN IF NOT EXISTS at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6);"},
            {"ALTER TABLE t DROP COLUMN IF EXISTS at;"}),
       kRegistry, kRegistry, false},

      // ---- MySQL family: an index a foreign key needs (error 1553 unless the key goes around it)
      {"drop the unique a foreign key uses: on TiDB the key is dropped and added around it",
       "entity: X\ntables:\n  p:\n    columns:\n      id: { type: int, primary_key: true }\n  c:\n    columns:\n"
       "      id: { type: int, primary_key: true }\n      r: { type: int, unique: true, references: { table: p } }\n",
       "entity: X\ntables:\n  p:\n    columns:\n      id: { type: int, primary_key: true }\n  c:\n    columns:\n"
       "      id: { type: int, primary_key: true }\n      r: { type: int, references: { table: p } }\n",
       false,
       safe({"ALTER TABLE IF EXISTS public.c DROP CONSTRAINT IF EXISTS c_r_key;"},
            {pg_once("ALTER TABLE public.c ADD CONSTRAINT c_r_key UNIQUE (r);")}),
       safe(
           {
               "ALTER TABLE c DROP FOREIGN KEY c_r_fkey;",
               "DROP INDEX IF EXISTS c_r_key ON c;",
               // The server makes its own index c_r_fkey for the key, as install.sql of the new state has.
               "ALTER TABLE c ADD CONSTRAINT c_r_fkey FOREIGN KEY (r) REFERENCES p (id);",
           },
           {"CREATE UNIQUE INDEX IF NOT EXISTS c_r_key ON c (r);"})},
      {"drop both the unique and the index a foreign key can use: on TiDB the key goes around the last one "
       "(found by the 2,000-pair round trip, where a column swap dropped both)",
       "entity: X\ntables:\n  p:\n    columns:\n      id: { type: int, primary_key: true }\n  c:\n    columns:\n"
       "      id: { type: int, primary_key: true }\n      r: { type: int, unique: true, references: { table: p } }\n"
       "      s: int\n    indexes:\n      - { columns: [r, s] }\n",
       "entity: X\ntables:\n  p:\n    columns:\n      id: { type: int, primary_key: true }\n  c:\n    columns:\n"
       "      id: { type: int, primary_key: true }\n      r: { type: int, references: { table: p } }\n      s: int\n",
       false,
       safe({"DROP INDEX CONCURRENTLY IF EXISTS public.idx_c_r_s;",
             "ALTER TABLE IF EXISTS public.c DROP CONSTRAINT IF EXISTS c_r_key;"},
            {pg_once("ALTER TABLE public.c ADD CONSTRAINT c_r_key UNIQUE (r);"),
             "CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_c_r_s ON public.c (r, s);"}),
       // (Each drop goes around the key: the other index is dropped too, so neither serves it alone.)
       safe({"ALTER TABLE c DROP FOREIGN KEY c_r_fkey;", "DROP INDEX IF EXISTS idx_c_r_s ON c;",
             "ALTER TABLE c ADD CONSTRAINT c_r_fkey FOREIGN KEY (r) REFERENCES p (id);",
             "ALTER TABLE c DROP FOREIGN KEY c_r_fkey;", "DROP INDEX IF EXISTS c_r_key ON c;",
             "ALTER TABLE c ADD CONSTRAINT c_r_fkey FOREIGN KEY (r) REFERENCES p (id);"},
            {"CREATE UNIQUE INDEX IF NOT EXISTS c_r_key ON c (r);",
             "CREATE INDEX IF NOT EXISTS idx_c_r_s ON c (r, s);"})},
      {"index added on a foreign-key column: on TiDB undoing it drops the key around it",
       "entity: X\ntables:\n  p:\n    columns:\n      id: { type: int, primary_key: true }\n  c:\n    columns:\n"
       "      id: { type: int, primary_key: true }\n      r: { type: int, references: { table: p } }\n",
       "entity: X\ntables:\n  p:\n    columns:\n      id: { type: int, primary_key: true }\n  c:\n    columns:\n"
       "      id: { type: int, primary_key: true }\n      r: { type: int, references: { table: p } }\n"
       "    indexes:\n      - { columns: [r] }\n",
       false,
       safe({"CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_c_r ON public.c (r);"},
            {"DROP INDEX CONCURRENTLY IF EXISTS public.idx_c_r;"}),
       safe({"CREATE INDEX IF NOT EXISTS idx_c_r ON c (r);"},
            {
                "ALTER TABLE c DROP FOREIGN KEY c_r_fkey;",
                "DROP INDEX IF EXISTS idx_c_r ON c;",
                "ALTER TABLE c ADD CONSTRAINT c_r_fkey FOREIGN KEY (r) REFERENCES p (id);",
            })},
      {"unique added on a foreign-key column that an index has only after a prefix: on TiDB undoing it drops the key "
       "around it",
       "entity: X\ntables:\n  p:\n    columns:\n      id: { type: int, primary_key: true }\n  c:\n    columns:\n"
       "      id: { type: int, primary_key: true }\n      s: text\n      r: { type: int, references: { table: p } }\n"
       "    indexes:\n      - { columns: [{ column: s, prefix: 20 }, r], name: ix_s_r }\n",
       "entity: X\ntables:\n  p:\n    columns:\n      id: { type: int, primary_key: true }\n  c:\n    columns:\n"
       "      id: { type: int, primary_key: true }\n      s: text\n      r: { type: int, references: { table: p } }\n"
       "    indexes:\n      - { columns: [{ column: s, prefix: 20 }, r], name: ix_s_r }\n"
       "    unique:\n      - { columns: [r], name: uq_r }\n",
       false,
       safe({"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_r ON public.c (r);",
             pg_once("ALTER TABLE public.c ADD CONSTRAINT uq_r UNIQUE USING INDEX uq_r;")},
            {"ALTER TABLE IF EXISTS public.c DROP CONSTRAINT IF EXISTS uq_r;",
             "DROP INDEX CONCURRENTLY IF EXISTS public.uq_r;"}),
       safe({"CREATE UNIQUE INDEX IF NOT EXISTS uq_r ON c (r);"},
            {
                "ALTER TABLE c DROP FOREIGN KEY c_r_fkey;",
                "DROP INDEX IF EXISTS uq_r ON c;",
                "ALTER TABLE c ADD CONSTRAINT c_r_fkey FOREIGN KEY (r) REFERENCES p (id);",
            })},

      // ---- postgres.schema
      {"first migration into a non-public schema creates it", "entity: X\n", t_with(), false,
       safe({"CREATE SCHEMA IF NOT EXISTS app;",
             "CREATE TABLE IF NOT EXISTS app.t (\n    id UUID NOT NULL,\n    CONSTRAINT t_pkey PRIMARY KEY (id)\n);"},
            {"DROP TABLE IF EXISTS app.t;"}),
       safe({"CREATE TABLE IF NOT EXISTS t (\n    id VARCHAR(36) NOT NULL,\n    PRIMARY KEY (id)" + kClustered +
             kEngine + ";"},
            {"DROP TABLE IF EXISTS t;"}),
       kRegistry, kRegistry + "postgres:\n  schema: app\n"},
      {"postgres.schema changed: the table, enum, view and function move; down moves them back",
       colors("[red, green]") + "views:\n  v_colors:\n    depends_on: [t]\n    sql: \"SELECT id, color FROM t\"\n" +
           function("", "bigint", "SELECT count(*) FROM t"),
       colors("[red, green]") + "views:\n  v_colors:\n    depends_on: [t]\n    sql: \"SELECT id, color FROM t\"\n" +
           function("", "bigint", "SELECT count(*) FROM t"),
       false,
       safe(
           {
               "CREATE SCHEMA IF NOT EXISTS app;",
               "DO $$\nBEGIN\n    IF to_regtype('public.color') IS NOT NULL THEN\n        ALTER TYPE public.color SET "
               "SCHEMA app;\n    END IF;\nEND\n$$;",
               "ALTER TABLE IF EXISTS public.t SET SCHEMA app;",
               "ALTER VIEW IF EXISTS public.v_colors SET SCHEMA app;",
               "DO $$\nBEGIN\n    IF to_regprocedure('public.t_count()') IS NOT NULL THEN\n        ALTER FUNCTION "
               "public.t_count() SET SCHEMA app;\n    END IF;\nEND\n$$;",
               "ALTER FUNCTION app.t_count() SET search_path = app, public;",
           },
           {
               "DO $$\nBEGIN\n    IF to_regtype('app.color') IS NOT NULL THEN\n        ALTER TYPE app.color SET "
               "SCHEMA public;\n    END IF;\nEND\n$$;",
               "ALTER TABLE IF EXISTS app.t SET SCHEMA public;",
               "ALTER VIEW IF EXISTS app.v_colors SET SCHEMA public;",
               "DO $$\nBEGIN\n    IF to_regprocedure('app.t_count()') IS NOT NULL THEN\n        ALTER FUNCTION "
               "app.t_count() SET SCHEMA public;\n    END IF;\nEND\n$$;",
               "ALTER FUNCTION public.t_count() RESET search_path;",
           }),
       nothing(), kRegistry, kRegistry + "postgres:\n  schema: app\n"},

      // ---- no change
      {"same registry: empty plan",
       t_with("      name: { type: string(50), nullable: false, default: x, description: Name }\n",
              "    indexes:\n      - { columns: [name] }\n" + kViewNames),
       t_with("      name: { type: string(50), nullable: false, default: x, description: Name }\n",
              "    indexes:\n      - { columns: [name] }\n" + kViewNames),
       false, nothing(), nothing()},
      {"same schema written differently: empty plan", t_with("      name: { type: string(50), nullable: false }\n"),
       t_with("      name:\n        type: string(50)\n        nullable: false\n"), false, nothing(), nothing()},

      // ---- found by the random round trip with data (tests/integration/roundtrip_test.cpp)
      {"extension description removed: back to the comment the extension ships with", t_with(), t_with(), false,
       safe({"DO $$\nBEGIN\n    EXECUTE format('COMMENT ON EXTENSION %I IS %L', 'btree_gist', (SELECT comment FROM "
             "pg_available_extensions WHERE name = 'btree_gist'));\nEND\n$$;"},
            {"COMMENT ON EXTENSION btree_gist IS 'It''s mine';"}),
       nothing(), "registry: test\nextensions:\n  btree_gist: { dialects: [postgres], description: \"It's mine\" }\n",
       "registry: test\nextensions:\n  btree_gist: { dialects: [postgres] }\n"},
      {"foreign key dropped from a table renamed in the same migration: TiDB drops the key's index too",
       "entity: X\ntables:\n  u:\n    columns:\n      id: { type: uuid, primary_key: true }\n  t:\n    columns:\n"
       "      id: { type: uuid, primary_key: true }\n      u_id: { type: uuid, references: { table: u } }\n",
       "entity: X\ntables:\n  u:\n    columns:\n      id: { type: uuid, primary_key: true }\n  t2:\n"
       "    renamed_from: [t]\n    columns:\n      id: { type: uuid, primary_key: true }\n      u_id: uuid\n",
       false,
       safe({"ALTER TABLE IF EXISTS public.t DROP CONSTRAINT IF EXISTS t_u_id_fkey;",
             "ALTER TABLE IF EXISTS public.t RENAME TO t2;", pg_rename_constraint("t2", "t_pkey", "t2_pkey")},
            {pg_rename_constraint("t2", "t2_pkey", "t_pkey"), "ALTER TABLE IF EXISTS public.t2 RENAME TO t;",
             pg_once("ALTER TABLE public.t ADD CONSTRAINT t_u_id_fkey FOREIGN KEY (u_id) REFERENCES public.u (id) NOT "
                     "VALID;"),
             "ALTER TABLE public.t VALIDATE CONSTRAINT t_u_id_fkey;"}),
       safe({"ALTER TABLE t DROP FOREIGN KEY t_u_id_fkey;", "DROP INDEX IF EXISTS t_u_id_fkey ON t;",
             "RENAME TABLE t TO t2;"},
            {"RENAME TABLE t2 TO t;",
             "ALTER TABLE t ADD CONSTRAINT t_u_id_fkey FOREIGN KEY (u_id) REFERENCES u (id);"})},
      {"function comment added: CREATE OR REPLACE keeps the old comment, so down sets it to NULL",
       t_with("      n: int\n", function("p_min INTEGER", "BIGINT", kCountBody)),
       t_with("      n: int\n",
              function("p_min INTEGER", "BIGINT", kCountBody) + "    description: \"Counts t's rows\"\n"),
       false,
       safe({pg_function("p_min INTEGER", "BIGINT", kCountBody),
             "COMMENT ON FUNCTION public.t_count(p_min INTEGER) IS 'Counts t''s rows';"},
            {pg_function("p_min INTEGER", "BIGINT", kCountBody),
             "COMMENT ON FUNCTION public.t_count(p_min INTEGER) IS NULL;"}),
       nothing()},
      {"new view over a column whose type changes: up drops it (when there) before the change, for a second run",
       t_with("      name: string(20)\n"), t_with("      name: string(50)\n", kViewNames), false,
       safe({"DROP VIEW IF EXISTS public.v_names;", "ALTER TABLE public.t ALTER COLUMN name TYPE VARCHAR(50);",
             kPgViewNames},
            {"DROP VIEW IF EXISTS public.v_names;", "ALTER TABLE public.t ALTER COLUMN name TYPE VARCHAR(20);"}),
       safe({"ALTER TABLE t MODIFY COLUMN name VARCHAR(50);", kTidbViewNames},
            {"DROP VIEW IF EXISTS v_names;", "ALTER TABLE t MODIFY COLUMN name VARCHAR(20);"})},
      {"enum column to uuid: the value goes through its text (Postgres has no cast from an enum to uuid)",
       colors("[red, green]"),
       "entity: X\nenums:\n  color:\n    values: [red, green]\ntables:\n  t:\n    columns:\n"
       "      id: { type: uuid, primary_key: true }\n      color: uuid\n",
       true,
       planned({"ALTER TABLE public.t ALTER COLUMN color TYPE UUID USING color::TEXT::UUID;"},
               {"ALTER TABLE public.t ALTER COLUMN color TYPE public.color USING color::TEXT::public.color;"}),
       planned({"ALTER TABLE t MODIFY COLUMN color VARCHAR(36);"},
               {"ALTER TABLE t MODIFY COLUMN color ENUM('red', 'green');"})},
      {"json to bigint and back: the down goes through text (Postgres has no cast from bigint to jsonb)",
       t_with("      level: json\n"), t_with("      level: bigint\n"), true,
       planned({"ALTER TABLE public.t ALTER COLUMN level TYPE BIGINT USING level::BIGINT;"},
               {"ALTER TABLE public.t ALTER COLUMN level TYPE JSONB USING level::TEXT::JSONB;"}),
       refused({"cannot change t.level from JSON to BIGINT in place"})},
  };
  return rows;
}

std::string dump(const Statements& statements) {
  std::string out;
  for (const auto& s : statements) out += "  [" + s + "]\n";
  return out.empty() ? "  (none)\n" : out;
}

Compiled compile(const std::string& registry_yaml, const std::string& entity_yaml, const char* which) {
  const auto files = test::registry_files({{kX, entity_yaml}}, registry_yaml);
  std::string problems;
  for (const auto& d : test::compile_errors(files)) problems += "  " + d.str() + "\n";
  INFO("the " << which << " registry does not compile:\n" << problems);
  REQUIRE(problems.empty());
  return compile_registry(files);
}

void check_dialect(const Case& c, DialectId d, const Expect& e, const Compiled& before, const Compiled& after) {
  CAPTURE(dialect_name(d));
  auto changes = diff::diff(before.schemas.at(d), after.schemas.at(d), migrate::declared_renames(after.registry));
  plan::Options options;
  options.allow_destructive = c.allow_destructive;
  options.allow_rewrite = c.allow_rewrite;
  std::string refusal;
  plan::Plan plan;
  try {
    plan = plan::make_plan(changes, before.schemas.at(d), after.schemas.at(d), dialect_for(d), options);
  } catch (const Error& err) {
    refusal = err.what();
  }
  if (!e.refusal.empty()) {
    INFO("planned instead:\n" << dump(plan.up_statements()));
    REQUIRE_MESSAGE(!refusal.empty(), "expected a refusal");
    for (const auto& s : e.refusal)
      CHECK_MESSAGE(refusal.find(s) != std::string::npos,
                    "expected the refusal to contain: " << s << "\nit was: " << refusal);
    return;
  }
  REQUIRE_MESSAGE(refusal.empty(), "unexpected refusal: " << refusal);
  const Statements up = plan.up_statements(), down = plan.down_statements();
  CHECK_MESSAGE(up == e.up, "up:\n" << dump(up) << "expected:\n" << dump(e.up));
  CHECK_MESSAGE(down == e.down, "down:\n" << dump(down) << "expected:\n" << dump(e.down));
  if (e.destructive != Flag::unchecked) CHECK(plan.destructive() == (e.destructive == Flag::yes));
  if (e.reversible != Flag::unchecked) CHECK(plan.reversible() == (e.reversible == Flag::yes));
}

TEST_CASE("diff cases: each row plans the expected up and down statements, or is refused") {
  for (const Case& c : cases()) {
    SUBCASE(c.name.c_str()) {
      const Compiled before = compile(c.before_registry, c.before, "BEFORE");
      const Compiled after = compile(c.after_registry, c.after, "AFTER");
      check_dialect(c, DialectId::postgres, c.postgres, before, after);
      check_dialect(c, DialectId::tidb, c.tidb, before, after);
    }
  }
}

TEST_CASE("diff cases: the table has enough rows") {
  CHECK(cases().size() >= 60);
}

}  // namespace
}  // namespace schemactl

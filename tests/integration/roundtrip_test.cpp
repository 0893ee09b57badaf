// Round trips of migrations on real servers: what a migration leaves behind must be what a fresh
// install of the new registry creates, its down file must bring back what a fresh install of the
// old registry creates, and its up file must apply again afterwards.
//
//  1. The shipped migrations (migrations/<dialect>/*.sql), applied in order with the dialect's own
//     client, against install.sql of the shipped registry (schema/).
//  2. Random registry pairs (A, B): B is A after a few random edits; the migration A -> B is planned
//     in process (diff, make_plan, render_migration) and applied with the client.
//
// Catalogs are compared as canonical text with each table's columns sorted by name (a migration
// appends columns where install.sql has them in registry order); everything else must be equal.
//
// The random pairs carry data: install(A) gets rows in every table with edge values that A and B
// can both hold (random_data.hpp). After up, every row is still there and every column A and B
// share (after the declared renames) holds the same values, by md5 of each value's canonical text
// computed by the server; after down, the same against A. A changed column must be one the plan's
// notes name (up: a destructive step's; down: "... are not brought back"), and a column the down
// file says it cannot bring back must have lost its values. A change the dialect refuses passes
// when the refusal names its table and docs/registry.md lists it ("Changes `migrate new` refuses").
//
// Knobs: SCHEMACTL_ROUNDTRIP_PAIRS (default 200) and SCHEMACTL_ROUNDTRIP_FIRST (default 0) pick the
// random pairs (pair i is the same for every run: seeded with {kSeed, i}); a failing pair's
// registries, edits and migration are written to $TMPDIR/schemactl-roundtrip-<seed>-<dialect>-<i>.
// SCHEMACTL_ROUNDTRIP_STRICT=1 turns off the workarounds for known bugs (see KnownBugs).
// SCHEMACTL_ROUNDTRIP_MIGRATIONS replaces the shipped migrations directory.
//
// The misfit phase: after a pair passed, install(A) again with its data rows, put into one data row
// per table a value its column holds and B's column cannot (rr::misfits: too long, out of range,
// too many places, no number / uuid / JSON, a time of day going to a date, refused by B's check),
// and run the pair's up file through `schemactl migrate up`. It must fail and change nothing
// (Postgres: the catalog and every value as install(A) had them, no history row; TiDB, whose DDL
// commits statement by statement: the misfit values still there, the migration not recorded as
// applied), or succeed with every changed column named by a destructive step of the plan, the
// misfit columns among them. Its values come from a random stream of its own ({kSeed, i,
// "misf"}), so pair i keeps its A, B and data. SCHEMACTL_ROUNDTRIP_MISFITS=0 skips the phase;
// SCHEMACTL_ROUNDTRIP_MISFIT_LOG=1 prints a line per pair with a misfit (what, and how up ended);
// SCHEMACTL_ROUNDTRIP_MISFIT_KEEP=1 writes each such pair out as a failing pair is.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

#include "apply/history.hpp"
#include "cli_support.hpp"
#include "dialect/catalog_form.hpp"
#include "dialect/dialect.hpp"
#include "dialect/inspect.hpp"
#include "diff/differ.hpp"
#include "lower/compile.hpp"
#include "migrate/directory.hpp"
#include "migrate/lineage.hpp"
#include "migrate/new_migration.hpp"
#include "migrate/writer.hpp"
#include "plan/plan.hpp"
#include "random_data.hpp"
#include "random_registry.hpp"
#include "schema/dump.hpp"
#include "servers.hpp"
#include "util/text.hpp"

namespace schemactl::test {
namespace {

namespace fs = std::filesystem;

constexpr unsigned kSeed = 20251018;

// SQL that empties the test database (faster than dropping and creating it through the server).
std::string reset_sql(const FreshDatabase& db) {
  if (db.url().dialect == DialectId::postgres)
    // (and the schemas random registries put their tables in: random_registry.cpp)
    return "SET client_min_messages = warning;\nDROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"
           "DROP SCHEMA IF EXISTS \"AppData\" CASCADE;\nDROP SCHEMA IF EXISTS app_data CASCADE;\n"
           "RESET client_min_messages;\n";
  const std::string& name = db.url().database;
  return "DROP DATABASE IF EXISTS `" + name + "`;\nCREATE DATABASE `" + name +
         "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;\nUSE `" + name + "`;\n";
}

schema::Schema inspect(db::Connection& conn, const std::string& pg_schema = "public") {
  return conn.dialect() == DialectId::postgres ? inspect_postgres(conn, pg_schema) : inspect_tidb(conn);
}
schema::Schema inspect(const FreshDatabase& db, const std::string& pg_schema = "public") {
  return inspect(*db.connect(), pg_schema);
}

// A table's name as a query outside the schema's search_path needs it.
std::string table_ref(const schema::Schema& s, const std::string& table) {
  const Dialect& d = dialect_for(s.dialect);
  if (s.dialect == DialectId::postgres && s.pg_schema != "public") return d.quote(s.pg_schema) + "." + d.quote(table);
  return d.quote(table);
}

// What MariaDB adds on its own and TiDB would not show the same way: a json_valid() check on each
// JSON column (TiDB has a real JSON type). (The index the MySQL family makes for a foreign key
// whose columns no index leads with is compared like any other: TiDB makes it too, and a migration
// must leave the same ones as a fresh install.)
void drop_mysql_extras(schema::Schema& s) {
  if (s.dialect != DialectId::tidb) return;
  for (auto& t : s.tables)
    t.checks.erase(std::remove_if(t.checks.begin(), t.checks.end(),
                                  [](const schema::Check& c) { return starts_with(c.expr, "json_valid("); }),
                   t.checks.end());
}

// A check as Postgres prints it, without casts and parentheses: after ALTER COLUMN ... TYPE,
// Postgres stores a rewritten but equal expression ("(ARRAY['a'::character varying])::text[]"
// becomes "ARRAY[('a'::character varying)::text]"), which a fresh CREATE TABLE does not.
std::string pg_check_shape(const std::string& expr) {
  static const std::regex casts("::[a-z_ ]+(\\(\\d+\\))?(\\[\\])?");
  std::string out;
  for (char c : std::regex_replace(expr, casts, ""))
    if (c != '(' && c != ')') out += c;
  return out;
}

// Sorts everything by name, columns included; view bodies lose the database name MariaDB puts in.
schema::Schema normalized(schema::Schema s, const std::string& database) {
  auto by_name = [](const auto& a, const auto& b) { return a.name < b.name; };
  std::sort(s.tables.begin(), s.tables.end(), by_name);
  for (auto& t : s.tables) {
    if (s.dialect == DialectId::postgres)
      for (auto& c : t.checks) c.expr = pg_check_shape(c.expr);
    std::sort(t.columns.begin(), t.columns.end(), by_name);
    std::sort(t.uniques.begin(), t.uniques.end(), by_name);
    std::sort(t.checks.begin(), t.checks.end(), by_name);
    std::sort(t.foreign_keys.begin(), t.foreign_keys.end(), by_name);
    std::sort(t.exclusions.begin(), t.exclusions.end(), by_name);
    std::sort(t.indexes.begin(), t.indexes.end(), by_name);
  }
  for (auto& v : s.views) {
    if (s.dialect == DialectId::tidb) v.sql = replace_all(v.sql, "`" + database + "`.", "");
    std::sort(v.indexes.begin(), v.indexes.end(), by_name);
  }
  std::sort(s.views.begin(), s.views.end(), by_name);
  std::sort(s.functions.begin(), s.functions.end(), by_name);
  std::sort(s.enums.begin(), s.enums.end(), by_name);
  std::sort(s.extensions.begin(), s.extensions.end(), by_name);
  return s;
}

// dump() plus what it leaves out and a migration could get wrong.
std::string canonical(const schema::Schema& s) {
  std::string out = dump(s);
  for (const auto& t : s.tables) {
    for (const auto& c : t.columns)
      if (c.auto_increment) out += "auto_increment " + t.name + "." + c.name + "\n";
    for (const auto& x : t.exclusions)
      for (const auto& e : x.elements) out += "exclusion " + x.name + " " + e.text + "\n";
  }
  for (const auto& v : s.views) {
    out += "view comment " + v.name + " " + v.comment + "\n";
    for (const auto& ix : v.indexes) out += "view index " + v.name + " " + ix.name + " " + ix.keys.at(0).text + "\n";
  }
  for (const auto& f : s.functions)
    out +=
        "function " + f.name + " " + f.language + " " + f.volatility + " comment=" + f.comment + "\n" + f.body + "\n";
  for (const auto& e : s.enums) out += "enum comment " + e.name + " " + e.comment + "\n";
  for (const auto& e : s.extensions) out += "extension comment " + e.name + " " + e.comment + "\n";
  return out;
}

// The first line where two canonical texts differ, with a few lines around it, for messages.
std::string first_difference(const std::string& want, const std::string& got) {
  auto split = [](const std::string& s) {
    std::vector<std::string> lines;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  };
  auto a = split(want), b = split(got);
  std::size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  std::string out = "first difference at line " + std::to_string(i + 1) + ":\n";
  for (std::size_t k = i; k < i + 4; ++k) {
    if (k < a.size()) out += "  want: " + a[k] + "\n";
    if (k < b.size()) out += "  got:  " + b[k] + "\n";
  }
  // Lines only one side has (order-independent), which usually names the problem directly.
  std::multiset<std::string> only_a(a.begin(), a.end()), only_b(b.begin(), b.end());
  for (const auto& line : b)
    if (auto it = only_a.find(line); it != only_a.end()) only_a.erase(it);
  for (const auto& line : a)
    if (auto it = only_b.find(line); it != only_b.end()) only_b.erase(it);
  int shown = 0;
  for (const auto& line : only_a)
    if (shown++ < 12) out += "  only wanted: " + line + "\n";
  shown = 0;
  for (const auto& line : only_b)
    if (shown++ < 12) out += "  only found:  " + line + "\n";
  return out;
}

// The reference rows a lowered schema declares, read back: the key of every row in the table,
// and the columns every declared row gives a value for (others hold defaults, which can differ
// between an old row and a fresh install).
// Tables in `lost_tables` and columns in `lost_columns` are left out: a down file cannot bring
// back what its up file dropped (it says so).
using LostColumns = std::set<std::pair<std::string, std::string>>;
// Rows whose key (the key cells joined with " | ") is in `skip` are data rows the test loaded.
std::string reference_data(db::Connection& conn, const schema::Schema& s, const std::set<std::string>& lost_tables = {},
                           const LostColumns& lost_columns = {}, const std::set<std::string>& skip = {}) {
  const Dialect& d = dialect_for(s.dialect);
  std::string out;
  for (const auto& t : s.tables) {
    if (t.rows.values.empty() || lost_tables.count(t.name)) continue;
    std::vector<std::string> cols = t.rows.conflict_columns;
    for (std::size_t i = 0; i < t.rows.columns.size(); ++i) {
      const std::string& c = t.rows.columns[i];
      if (lost_columns.count({t.name, c})) continue;
      bool everywhere =
          std::all_of(t.rows.values.begin(), t.rows.values.end(), [&](const auto& row) { return row[i] != "DEFAULT"; });
      if (everywhere && std::find(cols.begin(), cols.end(), c) == cols.end()) cols.push_back(c);
    }
    std::vector<std::string> quoted;
    for (const auto& c : cols) quoted.push_back(d.quote(c));
    std::vector<std::string> keys(quoted.begin(), quoted.begin() + static_cast<long>(t.rows.conflict_columns.size()));
    out += "rows of " + t.name + " (" + join(cols, ", ") + ")\n";
    for (const auto& row : conn.query("SELECT " + join(quoted, ", ") + " FROM " + table_ref(s, t.name) + " ORDER BY " +
                                      join(keys, ", "))) {
      std::vector<std::string> cells;
      for (const auto& cell : row) cells.push_back(cell.value_or("NULL"));
      std::vector<std::string> key(cells.begin(), cells.begin() + static_cast<long>(keys.size()));
      if (skip.count(join(key, " | "))) continue;
      out += "  " + join(cells, " | ") + "\n";
    }
  }
  return out;
}
std::string reference_data(const FreshDatabase& db, const schema::Schema& s) {
  return reference_data(*db.connect(), s);
}

// The keys (as reference_data joins them: the conflict columns of the rows, else the primary key)
// of every row in every table.
std::set<std::string> row_keys(db::Connection& conn, const schema::Schema& s) {
  const Dialect& d = dialect_for(s.dialect);
  std::set<std::string> out;
  for (const auto& t : s.tables) {
    if (t.external || !t.primary_key) continue;
    std::vector<std::string> keys;
    for (const auto& c : t.rows.values.empty() ? t.primary_key->columns : t.rows.conflict_columns)
      keys.push_back(d.quote(c));
    for (const auto& row : conn.query("SELECT " + join(keys, ", ") + " FROM " + table_ref(s, t.name))) {
      std::vector<std::string> cells;
      for (const auto& cell : row) cells.push_back(cell.value_or("NULL"));
      out.insert(join(cells, " | "));
    }
  }
  return out;
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// ================================================================ 1. the shipped migrations

// Extension names created by the up files and not dropped again by the down files.
std::set<std::string> extensions_left_by(const std::vector<migrate::Migration>& migrations) {
  auto read = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  auto names = [](const std::string& sql, const std::string& prefix) {
    std::set<std::string> out;
    for (std::size_t pos = sql.find(prefix); pos != std::string::npos; pos = sql.find(prefix, pos + 1)) {
      std::size_t start = pos + prefix.size(), end = sql.find_first_of(" ;\n", start);
      std::string name = sql.substr(start, end - start);
      name.erase(std::remove(name.begin(), name.end(), '"'), name.end());
      out.insert(name);
    }
    return out;
  };
  std::set<std::string> created, dropped;
  for (const auto& m : migrations) {
    for (const auto& n : names(read(m.up_path), "CREATE EXTENSION IF NOT EXISTS ")) created.insert(n);
    for (const auto& n : names(read(m.down_path), "DROP EXTENSION IF EXISTS ")) dropped.insert(n);
  }
  std::set<std::string> left;
  for (const auto& n : created)
    if (!dropped.count(n)) left.insert(n);
  return left;
}

void shipped_migrations_round_trip(DialectId dialect) {
  auto server = server_url(dialect);
  if (!server) return;
  auto started = std::chrono::steady_clock::now();
  Compiled compiled = compile_registry(registry::read_registry_dir(std::string(SCHEMACTL_SOURCE_DIR) + "/schema"));
  const schema::Schema& schema = compiled.schemas.at(dialect);
  // SCHEMACTL_ROUNDTRIP_MIGRATIONS points the test at another migrations root (to see it fail).
  migrate::Directory dir(env_or("SCHEMACTL_ROUNDTRIP_MIGRATIONS", std::string(SCHEMACTL_SOURCE_DIR) + "/migrations"),
                         dialect);
  std::vector<migrate::Migration> migrations = dir.list();
  REQUIRE_MESSAGE(!migrations.empty(), "no migrations in " << dir.path());
  std::string fixture = external_fixture(schema);
  std::string output;

  // The reference: a fresh database with install.sql of the current registry.
  FreshDatabase reference(*server, "rt_shipped_install");
  if (!fixture.empty()) REQUIRE_MESSAGE(reference.apply_sql(fixture, output) == 0, output);
  REQUIRE_MESSAGE(reference.apply_sql(dialect_for(dialect).render_install(schema), output) == 0,
                  "install.sql failed: " << output);
  auto read = [&](const FreshDatabase& db) {
    schema::Schema s = inspect(db);
    drop_mysql_extras(s);
    // The shipped files were planned before function bodies were written exactly between their
    // quotes (migrate/legacy_text.hpp): their functions' prosrc starts with the line break after
    // `AS $function$`. (Files planned today are checked byte for byte by the random round trip.)
    if (&db != &reference)
      for (auto& f : s.functions)
        if (!f.body.empty() && f.body.front() == '\n') f.body.erase(0, 1);
    return normalized(std::move(s), db.url().database);
  };
  std::string installed = canonical(read(reference));

  FreshDatabase db(*server, "rt_shipped_migrations");
  if (!fixture.empty()) REQUIRE_MESSAGE(db.apply_sql(fixture, output) == 0, output);
  schema::Schema only_fixture = read(db);
  // The catalog after each up file (before any: the fixture alone), to check each down file against.
  std::vector<std::string> after_up{canonical(only_fixture)};
  auto up_all = [&](bool first_time) {
    for (const auto& m : migrations) {
      INFO("up file " << m.up_path.string());
      REQUIRE_MESSAGE(db.apply_file(m.up_path.string(), output) == 0, "up failed: " << output);
      // Postgres up files say they are safe to run twice: run each one again at once.
      if (first_time && dialect == DialectId::postgres)
        REQUIRE_MESSAGE(db.apply_file(m.up_path.string(), output) == 0, "second run of the up file failed: " << output);
      if (first_time) after_up.push_back(canonical(read(db)));
    }
  };
  up_all(true);
  const std::string& migrated = after_up.back();
  bool same = migrated == installed;  // (a bool, so that doctest does not print both catalogs)
  CHECK_MESSAGE(same,
                "after every up file, the catalog differs from install.sql's (columns "
                "compared in any order); "
                    << first_difference(installed, migrated));

  // Each down file brings back the catalog as it was before its up file.
  for (std::size_t k = migrations.size(); k-- > 1;) {
    INFO("down file " << migrations[k].down_path.string());
    REQUIRE_MESSAGE(db.apply_file(migrations[k].down_path.string(), output) == 0, "down failed: " << output);
    std::string now = canonical(read(db));
    same = now == after_up[k];
    CHECK_MESSAGE(same, "the down file does not bring back the catalog of the migration before it; "
                            << first_difference(after_up[k], now));
  }
  {
    INFO("down file " << migrations.front().down_path.string());
    REQUIRE_MESSAGE(db.apply_file(migrations.front().down_path.string(), output) == 0, "down failed: " << output);
  }
  // Nothing left but the fixture's tables (and extensions a down file deliberately keeps).
  schema::Schema after_down = read(db);
  std::set<std::string> may_stay = extensions_left_by(migrations);
  after_down.extensions.erase(std::remove_if(after_down.extensions.begin(), after_down.extensions.end(),
                                             [&](const schema::Extension& e) { return may_stay.count(e.name) > 0; }),
                              after_down.extensions.end());
  std::set<std::string> left_tables;
  for (const auto& t : after_down.tables) left_tables.insert(t.name);
  std::set<std::string> fixture_tables;
  for (const auto& t : only_fixture.tables) fixture_tables.insert(t.name);
  CHECK(left_tables == fixture_tables);
  same = canonical(after_down) == canonical(only_fixture);
  CHECK_MESSAGE(same, "after every down file, more than the fixture is left; "
                          << first_difference(canonical(only_fixture), canonical(after_down)));

  up_all(false);
  std::string again = canonical(read(db));
  same = again == installed;
  CHECK_MESSAGE(
      same, "after down and up again, the catalog differs from install.sql's; " << first_difference(installed, again));
  std::cerr << "round trip of " << migrations.size() << " shipped " << dialect_name(dialect) << " migrations: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
            << " ms\n";
}

// ================================================================ 2. random registry pairs

// Tool bugs this suite found, worked around here until they are fixed (each also has a reproducer
// test case at the end of this file). SCHEMACTL_ROUNDTRIP_STRICT=1 turns the workarounds off.
struct KnownBugs {
  // Postgres: the DO block that adds a unique or primary key constraint to an existing table
  // catches duplicate_object, but a second ADD CONSTRAINT ... UNIQUE raises duplicate_table (the
  // constraint's index is a relation; a second primary key raises invalid_table_definition), so
  // such an up file fails when run twice.
  bool rerun_new_unique_key = false;  // fixed: the guard looks the constraint up by name
  // Postgres: an up file with a declared table rename fails when run twice: the step that renames
  // <old table>_pkey (ALTER TABLE ... RENAME CONSTRAINT) has no guard, and DROP COLUMN on the
  // table's old name has no ALTER TABLE IF EXISTS.
  bool rerun_table_rename = false;  // fixed: the rename is guarded, DROP COLUMN has IF EXISTS
  // A declared rename of a primary-key column is planned as dropping and adding the primary key
  // (its columns differ by name), which the TiDB planner refuses. The generator makes no such
  // edit on TiDB.
  bool tidb_pk_column_rename_refused = false;  // fixed: keys are compared after the declared renames
  // TiDB (MariaDB here): dropping an index or unique that a foreign key needs (led by the key's
  // column) failed with error 1553, in the up file (drop unique) or the down file (undo an added
  // index that took over from the key's own index).
  bool tidb_drop_index_needed_by_fk = false;  // fixed: the key is dropped and added around it

  static KnownBugs from_env() {
    KnownBugs k;
    if (env_or("SCHEMACTL_ROUNDTRIP_STRICT", "0") == "1") k = KnownBugs{false, false, false, false};
    return k;
  }
};

bool adds_key_constraint(const std::string& sql) {
  std::istringstream in(sql);
  for (std::string line; std::getline(in, line);)
    if (line.find(" ADD CONSTRAINT ") != std::string::npos &&
        (line.find(" UNIQUE (") != std::string::npos || line.find(" PRIMARY KEY (") != std::string::npos))
      return true;
  return false;
}

long long ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t).count();
}

// Wall time by stage, summed over the pairs (for the summary: where a run's time goes).
class Laps {
 public:
  explicit Laps(std::map<std::string, long long>& into) : into_(into) {}
  void operator()(const std::string& stage) {
    auto now = std::chrono::steady_clock::now();
    into_[stage] += std::chrono::duration_cast<std::chrono::milliseconds>(now - last_).count();
    last_ = now;
  }

 private:
  std::map<std::string, long long>& into_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

struct PairResult {
  bool ok = true;
  std::string message;
};

// The refusals docs/registry.md lists ("Changes `migrate new` refuses"): the phrase of the
// message it quotes, or "" when the message is none of them or the doc does not quote it.
std::string documented_refusal(const std::string& message) {
  static const std::vector<std::string> phrases = {"cannot remove or reorder the values of enum type",
                                                   "whose type TiDB cannot change", "TiDB cannot convert between",
                                                   "TiDB can only append values to an ENUM in place",
                                                   "TiDB cannot add or drop the clustered primary key"};
  static const std::string doc = [] {
    std::ifstream in(std::string(SCHEMACTL_SOURCE_DIR) + "/docs/registry.md");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  for (const auto& p : phrases)
    if (contains(message, p)) return contains(doc, p) ? p : "";
  return "";
}

// ---------------------------------------------------------------- data rows through the migration

// Per table: the row key's canonical text -> the md5 of each column's canonical text, as the
// server computes them (rr::hash_query).
struct TableHashes {
  std::vector<std::string> columns;
  std::map<std::string, std::vector<std::string>> rows;
};
using Hashes = std::map<std::string, TableHashes>;

// What to read: table -> (key columns, columns), in the names of model `m`.
using HashSpec = std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>>;

Hashes read_hashes(db::Connection& conn, const rr::Model& m, const HashSpec& spec) {
  Hashes out;
  for (const auto& [table, what] : spec) {
    TableHashes& h = out[table];
    h.columns = what.second;
    for (const auto& row : conn.query(rr::hash_query(m, table, what.first, what.second, conn.dialect()))) {
      std::vector<std::string> cells;
      for (std::size_t i = 1; i < row.size(); ++i) cells.push_back(row[i].value_or("NULL"));
      h.rows[row.at(0).value_or("NULL")] = cells;
    }
  }
  return out;
}

HashSpec all_columns(const rr::Model& m) {
  HashSpec spec;
  for (const auto& t : m.tables) {
    std::vector<std::string> cols;
    for (const auto& c : t.columns) cols.push_back(c.name);
    spec[t.name] = {t.primary_key, cols};
  }
  return spec;
}

// The columns (table, column) and tables a plan says lose values: up notes of destructive steps
// ("drops column t.c", "changes t.c from ..." — that one may lose) and the down notes ("the
// values of t.c are not brought back", "the rows of t are not brought back").
struct NamedLosses {
  std::set<std::pair<std::string, std::string>> up_columns, down_columns;
  std::set<std::string> up_tables, down_tables;
};
NamedLosses named_losses(const plan::Plan& plan) {
  static const std::regex up_column("(?:drops column|changes) ([^ .]+)\\.([^ ]+) ");
  static const std::regex up_table("drops table ([^ ]+) ");
  static const std::regex down_column("the values of ([^ .]+)\\.([^ ]+) are not brought back");
  static const std::regex down_table("the rows of ([^ ]+) are not brought back");
  NamedLosses out;
  std::smatch m;
  for (const auto& s : plan.steps) {
    if (s.destructive && std::regex_search(s.up_note, m, up_column)) out.up_columns.insert({m[1], m[2]});
    if (s.destructive && std::regex_search(s.up_note, m, up_table)) out.up_tables.insert(m[1]);
    if (std::regex_search(s.down_note, m, down_column)) out.down_columns.insert({m[1], m[2]});
    if (std::regex_search(s.down_note, m, down_table)) out.down_tables.insert(m[1]);
  }
  return out;
}

std::string sample_keys(const std::vector<std::string>& keys) {
  std::string out;
  for (std::size_t i = 0; i < keys.size() && i < 3; ++i) out += (i ? ", " : "") + keys[i];
  return "[" + out + (keys.size() > 3 ? ", ..." : "") + "]";
}

std::string write_pair(const std::string& dir, const std::vector<registry::SourceFile>& a,
                       const std::vector<registry::SourceFile>& b, const std::vector<std::string>& edits,
                       const migrate::MigrationText* text) {
  fs::create_directories(fs::path(dir) / "a");
  fs::create_directories(fs::path(dir) / "b");
  for (const auto& f : a) std::ofstream(fs::path(dir) / "a" / f.name) << f.content;
  for (const auto& f : b) std::ofstream(fs::path(dir) / "b" / f.name) << f.content;
  std::ofstream(fs::path(dir) / "edits.txt") << join(edits, "\n") << "\n";
  if (text) {
    std::ofstream(fs::path(dir) / "up.sql") << text->up;
    std::ofstream(fs::path(dir) / "down.sql") << text->down;
  }
  return dir;
}

class PairRunner {
 public:
  PairRunner(DialectId dialect, const db::DatabaseUrl& server, KnownBugs known_bugs)
      : dialect_(dialect), known_bugs_(known_bugs), db1_(server, "rt_random_1"), db2_(server, "rt_random_2") {}

  // How often each kind of edit was made ("add column", "rename table", ...), for the summary.
  std::map<std::string, int> edit_counts;
  int empty_plans = 0;
  int reruns = 0;                             // Postgres pairs whose up file was run twice
  std::map<std::string, int> refusals;        // clean, documented refusals by kind
  int data_rows = 0;                          // data rows loaded into install(A), over all pairs
  long long data_ms = 0;                      // time spent loading and checking them
  std::map<std::string, long long> stage_ms;  // wall time by stage
  int columns_compared = 0;                   // (pair, column) data checks after up
  int declared_losses = 0;                    // columns whose values changed where the plan said they could

  PairResult run(int index, const rr::Options& options) {
    Laps lap(stage_ms);
    std::seed_seq seq{kSeed, static_cast<unsigned>(index)};
    std::mt19937 rng(seq);
    rr::Model a = rr::random_model(rng, options);
    std::vector<std::string> edits;
    rr::Model b = rr::mutate(a, rng, options, edits);
    for (const auto& e : edits) {
      auto space = starts_with(e, "widen ") ? e.find(' ') : e.find(' ', e.find(' ') + 1);
      ++edit_counts[e.substr(0, space)];
    }
    auto files_a = rr::render(a), files_b = rr::render(b);
    std::string where = "seed " + std::to_string(kSeed) + ", pair " + std::to_string(index) + " (" +
                        dialect_name(dialect_) + "; edits: " + join(edits, "; ") + ")";
    std::string dir = (fs::temp_directory_path() / ("schemactl-roundtrip-" + std::to_string(kSeed) + "-" +
                                                    dialect_name(dialect_) + "-" + std::to_string(index)))
                          .string();
    const migrate::MigrationText* text_ptr = nullptr;
    migrate::MigrationText text;
    auto fail = [&](const std::string& what) {
      PairResult r;
      r.ok = false;
      r.message = where + ": " + what + "\n  registries, edits and migration written to " +
                  write_pair(dir, files_a, files_b, edits, text_ptr);
      return r;
    };
    Compiled ca, cb;
    try {
      ca = compile_registry(files_a);
    } catch (const RegistryError& e) {
      return fail("registry A does not compile (generator bug): " + diagnostics_text(e));
    }
    try {
      cb = compile_registry(files_b);
    } catch (const RegistryError& e) {
      return fail("registry B does not compile (generator bug): " + diagnostics_text(e));
    }
    lap("generate and compile");
    const schema::Schema& sa = ca.schemas.at(dialect_);
    const schema::Schema& sb = cb.schemas.at(dialect_);
    const Dialect& d = dialect_for(dialect_);
    plan::Plan plan;
    std::vector<diff::Change> changes;
    try {
      changes = diff::diff(sa, sb, migrate::declared_renames(cb.registry));
      plan::Options po;
      po.allow_destructive = true;
      po.allow_rewrite = true;
      plan = plan::make_plan(changes, sa, sb, d, po);
    } catch (const Error& e) {
      // Changes the dialect will not make: a clean refusal (make_plan throws before anything is
      // planned or written, listing every refused change on a line of its own) passes when each
      // line names its table and docs/registry.md lists the refusal.
      std::string message = e.what();
      if (!starts_with(message, "refusing to plan the " + dialect_name(dialect_) + " migration:"))
        return fail("make_plan failed: " + message);
      std::istringstream lines(message.substr(message.find('\n') + 1));
      std::vector<std::string> kinds;
      for (std::string line; std::getline(lines, line);) {
        if (trim(line).empty()) continue;
        bool names_a_table = std::any_of(sb.tables.begin(), sb.tables.end(),
                                         [&](const schema::Table& t) { return contains(line, t.name); }) ||
                             std::any_of(sa.tables.begin(), sa.tables.end(),
                                         [&](const schema::Table& t) { return contains(line, t.name); });
        if (!names_a_table) return fail("make_plan refused without naming the table: " + line);
        std::string documented = documented_refusal(line);
        if (documented.empty())
          return fail("make_plan refused a change docs/registry.md does not list as refused: " + line);
        kinds.push_back(documented);
      }
      if (kinds.empty()) return fail("make_plan refused without saying what: " + message);
      for (const auto& k : kinds) ++refusals[k];
      return {};
    }
    text = migrate::render_migration(plan, d, "20251018_000000_pair_" + std::to_string(index), migrate::Lineage{});
    text_ptr = &text;
    if (plan.steps.empty()) ++empty_plans;

    std::set<std::string> lost_tables;
    LostColumns lost_columns;
    for (const auto& change : changes) {
      if (const auto* x = std::get_if<diff::DropTable>(&change)) lost_tables.insert(x->table.name);
      if (const auto* x = std::get_if<diff::DropColumn>(&change)) lost_columns.insert({x->table, x->column.name});
    }
    auto read = [&](const FreshDatabase& db) {
      schema::Schema s = inspect(conn(db), sa.pg_schema);
      drop_mysql_extras(s);
      return normalized(std::move(s), db.url().database);
    };
    std::string output;
    lap("plan");

    // A fresh install of A (db1), to migrate; a fresh install of B (db2), to compare with.
    if (db1_.apply_sql(reset_sql(db1_) + external_fixture(sa) + d.render_install(sa), output) != 0)
      return fail("install.sql of A failed: " + output);
    reconnect_to(db1_);
    lap("install");
    schema::Schema installed_a = read(db1_);
    lap("inspect");
    // Data rows in every table of A (values A and B both hold), told apart from reference rows by
    // their keys: reference_data leaves them out, the hashes below look at them alone.
    auto data_started = std::chrono::steady_clock::now();
    const HashSpec spec_a = all_columns(a);
    const Hashes before_data = read_hashes(conn(db1_), a, spec_a);
    const std::set<std::string> reference_keys = row_keys(conn(db1_), sa);
    try {
      for (const auto& statement : rr::data_sql(a, b, dialect_, kDataRows)) conn(db1_).execute(statement);
    } catch (const std::exception& e) {
      return fail(std::string("the data rows did not go into install.sql of A (generator bug): ") + e.what());
    }
    std::set<std::string> data_keys;
    for (const auto& k : row_keys(conn(db1_), sa))
      if (!reference_keys.count(k)) data_keys.insert(k);
    Hashes hashes_a = read_hashes(conn(db1_), a, spec_a);
    for (auto& [table, h] : hashes_a) {
      for (const auto& [key, cells] : before_data.at(table).rows) h.rows.erase(key);
      data_rows += static_cast<int>(h.rows.size());
    }
    const NamedLosses named = named_losses(plan);
    const auto matches = rr::match_tables(a, b);
    data_ms += ms_since(data_started);
    std::string data_a = reference_data(conn(db1_), sa, lost_tables, lost_columns, data_keys);
    lap("data rows");
    if (db2_.apply_sql(reset_sql(db2_) + external_fixture(sb) + d.render_install(sb), output) != 0)
      return fail("install.sql of B failed: " + output);
    reconnect_to(db2_);
    lap("install");
    schema::Schema installed_b = read(db2_);
    std::string want_b = canonical(installed_b);
    lap("inspect");
    std::string data_b = reference_data(conn(db2_), sb);
    lap("data rows");

    if (db1_.apply_sql(text.up, output) != 0) return fail("up failed: " + output);
    lap("up and down");
    std::string got = canonical(read(db1_));
    lap("inspect");
    if (got != want_b)
      return fail("after up, the catalog differs from install.sql of B; " + first_difference(want_b, got));
    if (std::string data = reference_data(conn(db1_), sb, {}, {}, data_keys); data != data_b)
      return fail("after up, the reference rows differ from install.sql of B; " + first_difference(data_b, data));
    data_started = std::chrono::steady_clock::now();
    std::string after_up_problem = check_data_after_up(a, b, matches, hashes_a, named);
    data_ms += ms_since(data_started);
    lap("data rows");
    if (std::string problem = after_up_problem; !problem.empty()) return fail(problem);
    // docs/registry.md: running a swap of column names twice swaps back (through `<name>_renaming`).
    bool rerun_known_to_fail = (known_bugs_.rerun_new_unique_key && adds_key_constraint(text.up)) ||
                               (known_bugs_.rerun_table_rename && contains(text.up, " RENAME TO ")) ||
                               contains(text.up, "_renaming");
    if (dialect_ == DialectId::postgres && !rerun_known_to_fail) {
      ++reruns;
      // Postgres up files say they are safe to run twice.
      if (db1_.apply_sql(text.up, output) != 0) return fail("second run of up failed: " + output);
      lap("up and down");
      got = canonical(read(db1_));
      lap("inspect");
      if (got != want_b) return fail("after up twice, the catalog differs; " + first_difference(want_b, got));
    }

    if (db1_.apply_sql(text.down, output) != 0) return fail("down failed: " + output);
    lap("up and down");
    // Postgres cannot take values out of an enum type: a down file says so (irreversible), and
    // the enum keeps what the up file added.
    schema::Schema want_a_schema = installed_a;
    for (auto& e : want_a_schema.enums)
      for (const auto& eb : installed_b.enums)
        if (eb.name == e.name && eb.values.size() > e.values.size() &&
            std::equal(e.values.begin(), e.values.end(), eb.values.begin()))
          e.values = eb.values;
    std::string want_a = canonical(want_a_schema);
    got = canonical(read(db1_));
    lap("inspect");
    if (got != want_a)
      return fail("after down, the catalog differs from install.sql of A; " + first_difference(want_a, got));
    if (std::string data = reference_data(conn(db1_), sa, lost_tables, lost_columns, data_keys); data != data_a)
      return fail("after down, the reference rows differ from install.sql of A; " + first_difference(data_a, data));
    data_started = std::chrono::steady_clock::now();
    std::string after_down_problem = check_data_after_down(a, hashes_a, spec_a, named);
    data_ms += ms_since(data_started);
    if (!after_down_problem.empty()) return fail(after_down_problem);
    lap("data rows");

    if (db1_.apply_sql(text.up, output) != 0) return fail("up after down failed: " + output);
    lap("up and down");
    got = canonical(read(db1_));
    lap("inspect");
    if (got != want_b)
      return fail("after up, down and up again, the catalog differs from install.sql of B; " +
                  first_difference(want_b, got));
    // The pair passed: now a value that A holds and B cannot (its own random stream, so that pair
    // i keeps its A, B and data).
    if (std::string problem =
            misfit_phase(index, a, b, sa, text, named, matches, hashes_a, canonical(installed_a), dir);
        !problem.empty())
      return fail(problem);
    // SCHEMACTL_ROUNDTRIP_MISFIT_KEEP=1: every pair with a misfit is written out, as a failing one.
    if (!misfit_sql_.empty() && env_or("SCHEMACTL_ROUNDTRIP_MISFIT_KEEP", "0") == "1") {
      write_pair(dir, files_a, files_b, edits, text_ptr);
      std::ofstream(fs::path(dir) / "misfit.sql") << misfit_sql_;
      std::ofstream(fs::path(dir) / "misfit-up-output.txt") << misfit_output_;
    }
    return {};
  }

  // Pairs with a misfit value; how their up ended; misfit values by kind; time spent.
  int misfit_pairs = 0, misfit_failed = 0, misfit_failed_partial = 0, misfit_named = 0;
  std::map<std::string, int> misfit_kinds;
  long long misfit_ms = 0;
  std::map<std::string, long long> misfit_stage_ms;
  std::vector<std::string> misfit_log;  // a line per pair with a misfit (SCHEMACTL_ROUNDTRIP_MISFIT_LOG=1 prints them)

 private:
  static constexpr int kDataRows = 4;

  // After up: every data row is still there (under B's names) and every column both A and B have
  // holds the same values, except where an up note of a destructive step names the column.
  std::string check_data_after_up(const rr::Model& a, const rr::Model& b, const std::vector<rr::TableMatch>& matches,
                                  const Hashes& hashes_a, const NamedLosses& named) {
    HashSpec spec_b;
    for (const auto& m : matches) {
      if (m.b.empty()) continue;
      std::vector<std::string> key, cols;
      for (const auto& k : a.table(m.a)->primary_key) key.push_back(m.b_column(k));
      if (std::find(key.begin(), key.end(), "") != key.end()) continue;  // (the generator keeps key columns)
      for (const auto& [ca, cb] : m.columns)
        if (!cb.empty()) cols.push_back(cb);
      spec_b[m.b] = {key, cols};
    }
    Hashes hashes_b = read_hashes(conn(db1_), b, spec_b);
    for (const auto& m : matches) {
      if (!spec_b.count(m.b)) continue;
      const TableHashes& ha = hashes_a.at(m.a);
      const TableHashes& hb = hashes_b.at(m.b);
      std::vector<std::string> missing;
      for (const auto& [key, cells] : ha.rows)
        if (!hb.rows.count(key)) missing.push_back(key);
      if (!missing.empty())
        return "after up, data rows of " + m.a + " are gone from " + m.b + " (keys " + sample_keys(missing) + ")";
      std::size_t j = 0;
      for (std::size_t i = 0; i < ha.columns.size(); ++i) {
        const std::string cb = m.b_column(ha.columns[i]);
        if (cb.empty()) continue;
        ++columns_compared;
        std::vector<std::string> changed;
        for (const auto& [key, cells] : ha.rows)
          if (hb.rows.at(key).at(j) != cells.at(i)) changed.push_back(key);
        ++j;
        if (changed.empty()) continue;
        bool said = named.up_columns.count({m.b, cb}) || named.up_columns.count({m.a, ha.columns[i]});
        if (!said)
          return "after up, " + m.a + "." + ha.columns[i] + " (now " + m.b + "." + cb +
                 ") holds other values in rows " + sample_keys(changed) +
                 ", and no destructive step of the plan names the column (silent data loss)";
        ++declared_losses;
      }
    }
    return "";
  }

  // After down: every data row of a table the up file kept is back with the values it had, except
  // in columns the down file's header says it cannot bring back; and a column it names did lose
  // its values (the header names exactly the columns that lose values).
  std::string check_data_after_down(const rr::Model& a, const Hashes& hashes_a, const HashSpec& spec_a,
                                    const NamedLosses& named) {
    Hashes now = read_hashes(conn(db1_), a, spec_a);
    for (const auto& [table, ha] : hashes_a) {
      const TableHashes& hn = now.at(table);
      bool table_lost = named.down_tables.count(table) > 0;
      std::vector<std::string> missing;
      for (const auto& [key, cells] : ha.rows)
        if (!hn.rows.count(key)) missing.push_back(key);
      if (table_lost) {
        if (missing.size() != ha.rows.size())
          return "the down file says the rows of " + table + " are not brought back, yet " +
                 std::to_string(ha.rows.size() - missing.size()) + " of them are";
        continue;
      }
      if (!missing.empty())
        return "after down, data rows of " + table + " are gone (keys " + sample_keys(missing) +
               "), and the down file's header does not say so";
      for (std::size_t i = 0; i < ha.columns.size(); ++i) {
        std::vector<std::string> changed;
        bool any_value = false;
        for (const auto& [key, cells] : ha.rows) {
          if (cells.at(i) != "NULL") any_value = true;
          if (hn.rows.at(key).at(i) != cells.at(i)) changed.push_back(key);
        }
        bool said = named.down_columns.count({table, ha.columns[i]}) > 0;
        if (!changed.empty() && !said)
          return "after down, " + table + "." + ha.columns[i] + " holds other values in rows " + sample_keys(changed) +
                 ", and the down file's header does not name the column (silent data loss)";
        if (changed.empty() && said && any_value)
          return "the down file says the values of " + table + "." + ha.columns[i] +
                 " are not brought back, yet every one of them is";
      }
    }
    return "";
  }

  // ------------------------------------------------------------ the misfit phase
  //
  // A fresh install(A) with the data rows, where one data row of each table with a misfit column
  // (rr::misfits: a value A's column holds and B's cannot) carries the misfit value; then the
  // pair's up file, through `schemactl migrate up` as a deploy runs it. The servers are the oracle:
  // either up fails, says what the server said, and (Postgres) leaves the catalog of install(A) and
  // every value as it was, without a history row, or (TiDB) leaves every misfit value in its column,
  // without calling the migration applied; or up succeeds and every column whose values changed
  // (the misfit columns must be among them) is one a destructive step of the plan names.
  // Returns what went wrong, or "".
  std::string misfit_phase(int index, const rr::Model& a, const rr::Model& b, const schema::Schema& sa,
                           const migrate::MigrationText& text, const NamedLosses& named,
                           const std::vector<rr::TableMatch>& matches, const Hashes& hashes_a,
                           const std::string& want_a, const std::string& dir) {
    misfit_sql_.clear();
    misfit_output_.clear();
    std::seed_seq seq{kSeed, static_cast<unsigned>(index), kMisfitStream};
    std::mt19937 rng(seq);
    struct Placed {
      rr::Misfit m;
      std::string key;              // the data row that carries it
      std::string source;           // "unique": the data row whose values it takes
      std::vector<std::size_t> at;  // the columns' places in all_columns(a)
    };
    std::vector<Placed> placed;
    for (auto& m : rr::misfits(a, b, dialect_, rng)) {
      auto it = hashes_a.find(m.table);
      if (it == hashes_a.end() || it->second.rows.empty()) continue;
      Placed p{m, it->second.rows.begin()->first, "", {}};
      const auto& cols = it->second.columns;
      for (const auto& c : m.columns)
        p.at.push_back(static_cast<std::size_t>(std::find(cols.begin(), cols.end(), c) - cols.begin()));
      if (m.kind == "unique") {
        // The row that takes the values is never the first (which carries the value misfits); the
        // row they come from has no NULL there.
        const std::string first = p.key;
        std::vector<std::string> keys;
        for (const auto& [key, cells] : it->second.rows) keys.push_back(key);
        if (keys.size() >= 3) keys.erase(keys.begin());
        p.key.clear();
        for (const auto& k : keys)
          if (p.source.empty() && std::all_of(p.at.begin(), p.at.end(),
                                              [&](std::size_t i) { return it->second.rows.at(k).at(i) != "NULL"; }))
            p.source = k;
        for (const auto& k : keys)
          if (p.key.empty() && k != p.source && k != first) p.key = k;
        if (p.source.empty() || p.key.empty()) continue;
      }
      placed.push_back(p);
    }
    if (placed.empty() || env_or("SCHEMACTL_ROUNDTRIP_MISFITS", "1") == "0") return "";
    auto started = std::chrono::steady_clock::now();
    Laps lap(misfit_stage_ms);
    std::string what, sql;
    auto describe = [](const Placed& p) {
      if (p.m.kind == "unique")
        return p.m.table + " (B: " + p.m.b_table + ") rows " + p.key + " and " + p.source + " alike on (" +
               join(p.m.columns, ", ") + ") [unique]";
      return p.m.table + "." + p.m.columns[0] + " (B: " + p.m.b_table + "." + p.m.b_columns[0] + ") = '" +
             p.m.value.substr(0, 60) + (p.m.value.size() > 60 ? "...'" : "'") + " [" + p.m.kind + "]";
    };
    auto update = [&](const Placed& p) {
      return rr::misfit_update_sql(a, p.m, a.table(p.m.table)->primary_key, p.key, p.source, dialect_);
    };
    for (const auto& p : placed) {
      what += (what.empty() ? "" : "; ") + describe(p);
      sql += update(p) + ";\n";
    }
    std::string output;
    auto problem = [&](const std::string& message) {
      fs::create_directories(dir);
      std::ofstream(fs::path(dir) / "misfit.sql") << sql;
      std::ofstream(fs::path(dir) / "misfit-up-output.txt") << output;
      misfit_ms += ms_since(started);
      return "misfit phase (" + what + "): " + message +
             "\n  misfit UPDATEs in misfit.sql, the up run's output in misfit-up-output.txt";
    };
    const Dialect& d = dialect_for(dialect_);
    if (db1_.apply_sql(reset_sql(db1_) + external_fixture(sa) + d.render_install(sa), output) != 0)
      return problem("install.sql of A failed: " + output);
    reconnect_to(db1_);
    lap("install");
    const HashSpec spec_a = all_columns(a);
    try {
      for (const auto& statement : rr::data_sql(a, b, dialect_, kDataRows)) conn(db1_).execute(statement);
    } catch (const std::exception& e) {
      return problem(std::string("the data rows did not go in: ") + e.what());
    }
    for (auto p = placed.begin(); p != placed.end();) {
      try {
        conn(db1_).execute(update(*p));
      } catch (const std::exception& e) {
        // Rows alike on B's key may be alike on a key of A too, where one of them held a NULL
        // (which data_sql counts as distinct): no misfit then.
        if (p->m.kind == "unique") {
          p = placed.erase(p);
          continue;
        }
        return problem("A refused the misfit value of " + p->m.table + "." + p->m.columns[0] +
                       " (generator bug: it does not fit A): " + e.what());
      }
      ++p;
    }
    if (placed.empty()) {
      misfit_ms += ms_since(started);
      return "";
    }
    ++misfit_pairs;
    for (const auto& p : placed) ++misfit_kinds[p.m.kind];
    const Hashes before = read_hashes(conn(db1_), a, spec_a);
    for (const auto& p : placed) {
      const auto& now = before.at(p.m.table).rows;
      if (p.m.kind != "unique" && now.at(p.key).at(p.at[0]) == hashes_a.at(p.m.table).rows.at(p.key).at(p.at[0]))
        return problem("the UPDATE did not change row " + p.key + " of " + p.m.table + " (generator bug)");
      if (p.m.kind == "unique")
        for (std::size_t i : p.at)
          if (now.at(p.key).at(i) != now.at(p.source).at(i))
            return problem("the UPDATE did not copy row " + p.source + " of " + p.m.table + " (generator bug)");
    }
    lap("data and misfit rows");

    fs::remove_all(misfit_dir_.path / dialect_name(dialect_));
    const std::string version = "20251018_000000";
    write_migration(misfit_dir_.path, dialect_, version + "_pair_" + std::to_string(index), text.up, text.down);
    const Run up = migrate("up", db1_, misfit_dir_.path);
    output = up.output;
    misfit_sql_ = sql;
    misfit_output_ = output;
    lap("migrate up");
    std::vector<apply::HistoryRow> history;
    try {
      history = apply::History(conn(db1_)).rows();
    } catch (const std::exception& e) {
      return problem(std::string("the history table does not read: ") + e.what());
    }
    const apply::HistoryRow* row = nullptr;
    for (const auto& h : history)
      if (h.version == version) row = &h;

    if (up.status == 0) {
      if (!row || row->state != apply::RowState::applied)
        return problem("up succeeded, but the history does not say the migration is applied");
      // Every column B keeps, in B's names; the data rows (the misfit rows among them) only:
      // reference rows change with the plan's UPDATEs.
      HashSpec spec_b;
      for (const auto& m : matches) {
        if (m.b.empty()) continue;
        std::vector<std::string> key, cols;
        for (const auto& k : a.table(m.a)->primary_key) key.push_back(m.b_column(k));
        if (std::find(key.begin(), key.end(), "") != key.end()) continue;
        for (const auto& [ca, cb] : m.columns)
          if (!cb.empty()) cols.push_back(cb);
        spec_b[m.b] = {key, cols};
      }
      const Hashes after = read_hashes(conn(db1_), b, spec_b);
      lap("check");
      std::set<std::pair<std::string, std::string>> changed;  // A's names
      for (const auto& m : matches) {
        if (!spec_b.count(m.b)) continue;
        const TableHashes& ha = before.at(m.a);
        const TableHashes& hb = after.at(m.b);
        std::size_t j = 0;
        for (std::size_t i = 0; i < ha.columns.size(); ++i) {
          const std::string cb = m.b_column(ha.columns[i]);
          if (cb.empty()) continue;
          for (const auto& [key, data] : hashes_a.at(m.a).rows) {
            auto got = hb.rows.find(key);
            if (got == hb.rows.end()) return problem("after up, row " + key + " of " + m.a + " is gone from " + m.b);
            if (got->second.at(j) == ha.rows.at(key).at(i)) continue;
            changed.insert({m.a, ha.columns[i]});
            if (!named.up_columns.count({m.b, cb}) && !named.up_columns.count({m.a, ha.columns[i]}))
              return problem("up succeeded and " + m.a + "." + ha.columns[i] + " (now " + m.b + "." + cb +
                             ") holds another value in row " + key +
                             ", and no destructive step of the plan names the column (silent data loss)");
          }
          ++j;
        }
      }
      for (const auto& p : placed) {
        if (p.m.kind == "unique")
          return problem("up succeeded, yet rows " + p.key + " and " + p.source + " of " + p.m.b_table + " agree on (" +
                         join(p.m.b_columns, ", ") + "), which a key of B forbids");
        if (!changed.count({p.m.table, p.m.columns[0]}))
          return problem("up succeeded and " + p.m.b_table + "." + p.m.b_columns[0] +
                         " still reads the misfit value '" + p.m.value +
                         "' (it fit B after all: the misfit generator is wrong)");
      }
      ++misfit_named;
      misfit_log.push_back("pair " + std::to_string(index) + ": " + what + ": up succeeded, the losses named");
      misfit_ms += ms_since(started);
      return "";
    }

    // Up failed: with the server's own words, and without calling the migration applied.
    const std::size_t said = output.find(" said: ");
    const std::string server_said =
        said == std::string::npos ? "" : output.substr(said + 1, output.find('\n', said) - said - 1);
    if (said == std::string::npos)
      return problem("up failed (exit " + std::to_string(up.status) + ") without the server's error in its output:\n" +
                     output);
    if (row && row->state == apply::RowState::applied)
      return problem("up failed, yet the history says the migration is applied:\n" + output);
    if (dialect_ == DialectId::postgres && !row) {
      // The transaction rolled back: nothing changed.
      schema::Schema s = inspect(conn(db1_), sa.pg_schema);
      drop_mysql_extras(s);
      s.tables.erase(std::remove_if(s.tables.begin(), s.tables.end(),
                                    [](const schema::Table& t) { return t.name == apply::History::kTable; }),
                     s.tables.end());
      if (std::string got = canonical(normalized(std::move(s), db1_.url().database)); got != want_a)
        return problem("up failed, and the catalog is no longer install.sql of A's; " + first_difference(want_a, got) +
                       "\n" + output);
      const Hashes now = read_hashes(conn(db1_), a, spec_a);
      for (const auto& [table, h] : before)
        for (const auto& [key, cells] : h.rows) {
          auto it = now.at(table).rows.find(key);
          if (it == now.at(table).rows.end())
            return problem("up failed, and row " + key + " of " + table + " is gone\n" + output);
          for (std::size_t i = 0; i < cells.size(); ++i)
            if (it->second.at(i) != cells.at(i))
              return problem("up failed, and " + table + "." + h.columns.at(i) + " holds another value in row " + key +
                             "\n" + output);
        }
      lap("check");
      ++misfit_failed;
      misfit_log.push_back("pair " + std::to_string(index) + ": " + what + ": up failed, nothing changed; " +
                           server_said);
      misfit_ms += ms_since(started);
      return "";
    }
    // Some of it committed (TiDB: statement by statement; Postgres: the transactional part, before
    // a statement that runs outside it): every misfit value is still in its column, under whichever
    // names it has now, unless the plan names the column as losing values.
    for (const auto& p : placed)
      for (std::size_t i = 0; i < p.m.columns.size(); ++i) {
        const std::string &column = p.m.columns[i], &b_column = p.m.b_columns[i];
        std::string cell;
        if (std::string e = misfit_cell(a, b, matches, p.m, column, b_column, p.key, cell); !e.empty())
          return problem(e + "\n" + output);
        const std::string& was = before.at(p.m.table).rows.at(p.key).at(p.at[i]);
        if (cell != was && !named.up_columns.count({p.m.b_table, b_column}) &&
            !named.up_columns.count({p.m.table, column}))
          return problem("up failed, and the misfit value of " + p.m.table + "." + column + " in row " + p.key +
                         " is no longer what it was (" + (cell == "NULL" ? "NULL" : "another value") +
                         "), and no destructive step names the column\n" + output);
      }
    lap("check");
    ++misfit_failed;
    if (row) ++misfit_failed_partial;
    std::string at = row ? row->failed_statement.substr(0, 90) : "";
    std::replace(at.begin(), at.end(), '\n', ' ');
    misfit_log.push_back("pair " + std::to_string(index) + ": " + what + ": up failed" +
                         (row ? ", partial after " + std::to_string(row->statements_applied) + " of " +
                                    std::to_string(row->statements_total) + " statements, at " + at
                              : std::string()) +
                         "; " + server_said);
    misfit_ms += ms_since(started);
    return "";
  }

  // The md5 of the misfit column's canonical text in the misfit row, found under A's names or,
  // where a statement renamed them already, B's. Returns what went wrong, or "".
  std::string misfit_cell(const rr::Model& a, const rr::Model& b, const std::vector<rr::TableMatch>& matches,
                          const rr::Misfit& m, const std::string& column, const std::string& b_column,
                          const std::string& key, std::string& cell) {
    const bool pg = dialect_ == DialectId::postgres;
    auto schema_of = [&](const rr::Model& x) { return x.pg_schema.empty() ? std::string("public") : x.pg_schema; };
    std::set<std::tuple<std::string, std::string, std::string>> present;  // schema, table, column
    std::string q = "SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE table_schema ";
    q += pg ? "IN ('" + schema_of(a) + "', '" + schema_of(b) + "')" : "= DATABASE()";
    for (const auto& r : conn(db1_).query(q))
      present.insert({pg ? r.at(0).value_or("") : "", r.at(1).value_or(""), r.at(2).value_or("")});
    const rr::TableMatch& match =
        *std::find_if(matches.begin(), matches.end(), [&](const rr::TableMatch& x) { return x.a == m.table; });
    const rr::Table& ta = *a.table(m.table);
    std::vector<std::string> wanted = ta.primary_key;
    wanted.push_back(column);
    for (const std::string& schema : {schema_of(a), schema_of(b)})
      for (const std::string& table : {m.table, m.b_table}) {
        std::string s = pg ? schema : "";
        rr::Model now;
        now.pg_schema = schema;
        rr::Table t;
        t.name = table;
        std::vector<std::string> names;
        for (const auto& c : wanted) {
          std::string name = present.count({s, table, c})                   ? c
                             : present.count({s, table, match.b_column(c)}) ? match.b_column(c)
                                                                            : "";
          if (name.empty()) break;
          rr::Column col = *ta.column(c);
          col.name = name;
          t.columns.push_back(col);
          names.push_back(name);
        }
        if (names.size() != wanted.size()) continue;
        now.tables.push_back(t);
        std::vector<std::string> key_now(names.begin(), names.end() - 1);
        for (const auto& r : conn(db1_).query(rr::hash_query(now, table, key_now, {names.back()}, dialect_)))
          if (r.at(0).value_or("NULL") == key) {
            cell = r.at(1).value_or("NULL");
            return "";
          }
        return "up failed, and row " + key + " of " + m.table + " is gone from " + table;
      }
    return "up failed, and column " + m.table + "." + column + " (B: " + m.b_table + "." + b_column +
           ") is nowhere to be found";
  }

  // One session per database for the whole run (a connection per query would start a server
  // backend each time: most of a pair's time on Postgres), in UTC (rr::hash_session_sql).
  db::Connection& conn(const FreshDatabase& db) {
    auto& c = &db == &db1_ ? conn1_ : conn2_;
    if (!c) {
      c = db.connect();
      c->execute(rr::hash_session_sql(dialect_));
    }
    return *c;
  }
  // After install.sql dropped and created the database again (the MySQL family), the session
  // selects it again.
  void reconnect_to(const FreshDatabase& db) {
    if (dialect_ != DialectId::postgres) conn(db).execute("USE `" + db.url().database + "`");
  }

  static std::string diagnostics_text(const RegistryError& e) {
    std::string out;
    for (const auto& diag : e.diagnostics().sorted()) out += "\n    " + diag.str();
    return out;
  }

  DialectId dialect_;
  KnownBugs known_bugs_;
  FreshDatabase db1_, db2_;
  std::unique_ptr<db::Connection> conn1_, conn2_;
  TempDir misfit_dir_;  // the migrations directory `schemactl migrate up` reads in the misfit phase
  static constexpr unsigned kMisfitStream = 0x6d697366;  // "misf"
  std::string misfit_sql_, misfit_output_;               // of the last pair's misfit phase
};

void random_pairs_round_trip(DialectId dialect) {
  auto server = server_url(dialect);
  if (!server) return;
  int pairs = std::stoi(env_or("SCHEMACTL_ROUNDTRIP_PAIRS", "200"));
  int first = std::stoi(env_or("SCHEMACTL_ROUNDTRIP_FIRST", "0"));
  KnownBugs known_bugs = KnownBugs::from_env();
  rr::Options options;
  if (dialect == DialectId::tidb && known_bugs.tidb_pk_column_rename_refused) options.pk_column_renames = false;
  if (dialect == DialectId::tidb && known_bugs.tidb_drop_index_needed_by_fk) options.keys_on_fk_columns = false;
  auto started = std::chrono::steady_clock::now();
  PairRunner runner(dialect, *server, known_bugs);
  int passed = 0, failed = 0;
  for (int i = first; i < first + pairs; ++i) {
    PairResult r = runner.run(i, options);
    if (r.ok) {
      ++passed;
    } else {
      ++failed;
      FAIL_CHECK(r.message);
    }
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  std::cerr << "random round trips on " << dialect_name(dialect) << " (seed " << kSeed << ", pairs " << first << ".."
            << first + pairs - 1 << "): " << passed << " passed, " << failed << " failed, " << ms << " ms\n  edits:";
  for (const auto& [kind, count] : runner.edit_counts) std::cerr << " " << kind << " x" << count << ";";
  std::cerr << " (" << runner.empty_plans << " plans without a step for this dialect";
  if (dialect == DialectId::postgres) std::cerr << "; up file run twice in " << runner.reruns << " pairs";
  std::cerr << ")\n  refused (documented, clean):";
  for (const auto& [kind, count] : runner.refusals) std::cerr << " '" << kind << "' x" << count << ";";
  std::cerr << "\n  data: " << runner.data_rows << " rows loaded, " << runner.columns_compared
            << " columns checked after up, " << runner.declared_losses << " changed where the plan said they could; "
            << runner.data_ms << " ms of the run spent on data rows\n  time by stage:";
  for (const auto& [stage, stage_ms] : runner.stage_ms) std::cerr << " " << stage << " " << stage_ms << " ms;";
  std::cerr << "\n  misfits: " << runner.misfit_pairs
            << " pairs with a value A holds and B cannot; up failed cleanly in " << runner.misfit_failed << " ("
            << runner.misfit_failed_partial
            << " of them after committing a part, as the history says), succeeded with the losses named in "
            << runner.misfit_named << "; values by kind:";
  for (const auto& [kind, count] : runner.misfit_kinds) std::cerr << " " << kind << " x" << count << ";";
  std::cerr << " " << runner.misfit_ms << " ms (";
  for (const auto& [stage, stage_ms] : runner.misfit_stage_ms) std::cerr << " " << stage << " " << stage_ms << " ms;";
  std::cerr << " )\n";
  if (env_or("SCHEMACTL_ROUNDTRIP_MISFIT_LOG", "0") == "1")
    for (const auto& line : runner.misfit_log) std::cerr << "  " << line << "\n";
  CHECK(passed == pairs);
}

}  // namespace

TEST_CASE("round trip: the shipped PostgreSQL migrations up, down and up again match install.sql") {
  shipped_migrations_round_trip(DialectId::postgres);
}
TEST_CASE("round trip: the shipped TiDB migrations up, down and up again match install.sql on MariaDB") {
  shipped_migrations_round_trip(DialectId::tidb);
}
TEST_CASE("round trip: random registry pairs migrate like a fresh install on PostgreSQL") {
  random_pairs_round_trip(DialectId::postgres);
}
TEST_CASE("round trip: random registry pairs migrate like a fresh install on MariaDB (TiDB stand-in)") {
  random_pairs_round_trip(DialectId::tidb);
}

// ================================================================ 3. known bugs, pinned

namespace {

// Minimal reproducers of the bugs KnownBugs works around. Each asserts the bug's symptom, so it
// fails once the bug is fixed: then drop the KnownBugs flag and turn the test around.
struct PinnedPair {
  Compiled a, b;
  schema::Schema from, to;
  migrate::MigrationText text;
};

std::vector<registry::SourceFile> pin_registry(const std::string& entity) {
  return {{"registry.yaml", "registry: pinned\n"}, {"model.yaml", "entity: Model\n" + entity}};
}

// Compiles both registries and plans A -> B (allowing destructive steps); throws what make_plan throws.
PinnedPair plan_pinned(DialectId dialect, const std::string& entity_a, const std::string& entity_b) {
  PinnedPair p;
  p.a = compile_registry(pin_registry(entity_a));
  p.b = compile_registry(pin_registry(entity_b));
  p.from = p.a.schemas.at(dialect);
  p.to = p.b.schemas.at(dialect);
  plan::Options po;
  po.allow_destructive = true;
  po.allow_rewrite = true;
  auto changes = diff::diff(p.from, p.to, migrate::declared_renames(p.b.registry));
  plan::Plan plan = plan::make_plan(changes, p.from, p.to, dialect_for(dialect), po);
  p.text = migrate::render_migration(plan, dialect_for(dialect), "20251018_000000_pinned", migrate::Lineage{});
  return p;
}

// A fresh database with install.sql of A; returns the client's status for the up file.
int install_and_up(const FreshDatabase& db, const PinnedPair& p, std::string& output) {
  REQUIRE_MESSAGE(db.apply_sql(dialect_for(p.from.dialect).render_install(p.from), output) == 0, output);
  return db.apply_sql(p.text.up, output);
}

}  // namespace

TEST_CASE("round trip (was a bug): a Postgres up file adding a unique constraint runs twice") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  auto p = plan_pinned(DialectId::postgres,
                       "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n"
                       "      a: int\n",
                       "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n"
                       "      a: { type: int, unique: true }\n");
  FreshDatabase db(*server, "pin_unique_twice");
  std::string output;
  REQUIRE_MESSAGE(install_and_up(db, p, output) == 0, output);
  CHECK_MESSAGE(db.apply_sql(p.text.up, output) == 0, output);
}

TEST_CASE("round trip (was a bug): a Postgres up file with a declared table rename runs twice") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  auto p =
      plan_pinned(DialectId::postgres, "tables:\n  t1:\n    columns:\n      id: { type: int, primary_key: true }\n",
                  "tables:\n  t2:\n    renamed_from: [t1]\n    columns:\n      id: { type: int, primary_key: true }\n");
  FreshDatabase db(*server, "pin_rename_twice");
  std::string output;
  REQUIRE_MESSAGE(install_and_up(db, p, output) == 0, output);
  CHECK_MESSAGE(db.apply_sql(p.text.up, output) == 0, output);
}

TEST_CASE("round trip (was a bug): a declared rename of a primary-key column is just a rename") {
  for (DialectId d : kAllDialects) {
    auto p =
        plan_pinned(d, "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n",
                    "tables:\n  t:\n    columns:\n      key_id: { type: int, primary_key: true, renamed_from: id }\n");
    CHECK_MESSAGE(contains(p.text.up, "RENAME COLUMN"), p.text.up);
    CHECK_MESSAGE(!contains(p.text.up, "PRIMARY KEY"), p.text.up);
  }
}

TEST_CASE("round trip (was a bug): Postgres inserts two enum values in front of the old ones") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  std::string table = "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n      m: enum(mood)\n";
  auto p = plan_pinned(DialectId::postgres, "enums:\n  mood: { values: [a] }\n" + table,
                       "enums:\n  mood: { values: [x, y, a] }\n" + table);
  FreshDatabase db(*server, "pin_enum_front");
  std::string output;
  CHECK_MESSAGE(install_and_up(db, p, output) == 0, output);
  auto rows = db.connect()->query(
      "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum "
      "JOIN pg_type ON pg_type.oid = enumtypid WHERE typname = 'mood'");
  CHECK(rows.at(0).at(0) == std::optional<std::string>("x,y,a"));
}

// ================================================================ 4. plans that are correct on production data

namespace {

// install(A) + up must equal install(B) in the catalog and in the reference rows, and down must
// bring back install(A). `with_data` runs after install(A) and before up (rows a real database
// would hold); `check_up` sees the database after up. `runs`: how often each file runs (files that
// say they are safe to run twice must leave the same catalog). Returns what went wrong, or "".
std::string fixed_round_trip(DialectId dialect, const db::DatabaseUrl& server, const std::string& label,
                             const std::string& entity_a, const std::string& entity_b,
                             const std::string& with_data = "",
                             const std::function<std::string(const FreshDatabase&)>& check_up = {}, int runs = 1) {
  PinnedPair p = plan_pinned(dialect, entity_a, entity_b);
  auto read = [&](const FreshDatabase& db) {
    schema::Schema s = inspect(db);
    drop_mysql_extras(s);
    return canonical(normalized(std::move(s), db.url().database));
  };
  const Dialect& d = dialect_for(dialect);
  FreshDatabase a(server, label + "_a"), b(server, label + "_b");
  std::string output;
  if (a.apply_sql(d.render_install(p.from), output) != 0) return "install.sql of A failed: " + output;
  std::string want_a = read(a), data_a = reference_data(a, p.from);
  if (b.apply_sql(d.render_install(p.to), output) != 0) return "install.sql of B failed: " + output;
  std::string want_b = read(b), data_b = reference_data(b, p.to);
  if (!with_data.empty() && a.apply_sql(with_data, output) != 0) return "the data did not go in: " + output;
  for (int run = 1; run <= runs; ++run)
    if (a.apply_sql(p.text.up, output) != 0)
      return "up (run " + std::to_string(run) + ") failed: " + output + "\n" + p.text.up;
  if (std::string got = read(a); got != want_b)
    return "after up, the catalog differs from install.sql of B; " + first_difference(want_b, got) + p.text.up;
  if (std::string got = reference_data(a, p.to); got != data_b)
    return "after up, the reference rows differ from install.sql of B; " + first_difference(data_b, got);
  if (check_up)
    if (std::string problem = check_up(a); !problem.empty()) return problem;
  for (int run = 1; run <= runs; ++run)
    if (a.apply_sql(p.text.down, output) != 0)
      return "down (run " + std::to_string(run) + ") failed: " + output + "\n" + p.text.down;
  if (std::string got = read(a); got != want_a)
    return "after down, the catalog differs from install.sql of A; " + first_difference(want_a, got) + p.text.down;
  if (std::string got = reference_data(a, p.from); got != data_a)
    return "after down, the reference rows differ from install.sql of A; " + first_difference(data_a, got);
  return "";
}

template <typename... Args>
void check_round_trip(Args&&... args) {
  std::string problem = fixed_round_trip(std::forward<Args>(args)...);
  CHECK_MESSAGE(problem.empty(), problem);
}

std::string cell(const FreshDatabase& db, const std::string& sql) {
  auto rows = db.connect()->query(sql);
  return rows.empty() || rows.at(0).empty() ? "(no row)" : rows.at(0).at(0).value_or("NULL");
}

}  // namespace

TEST_CASE("round trip (issue 8): a Postgres down from text to string(255) fails on a longer value, cutting none") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  const std::string a =
      "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n"
      "      title: string(255)\n";
  const std::string b = "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n      title: text\n";
  check_round_trip(DialectId::postgres, *server, "i8_narrow_rt", a, b);
  auto p = plan_pinned(DialectId::postgres, a, b);
  FreshDatabase db(*server, "i8_narrow");
  std::string output;
  REQUIRE_MESSAGE(install_and_up(db, p, output) == 0, output);
  REQUIRE_MESSAGE(db.apply_sql("INSERT INTO t (id, title) VALUES (1, repeat('x', 300));", output) == 0, output);
  // As the applier runs it: in one transaction.
  CHECK(db.apply_sql("BEGIN;\n" + p.text.down + "\nCOMMIT;\n", output) != 0);
  CHECK_MESSAGE(contains(output, "value too long for type character varying(255)"), output);
  CHECK(cell(db, "SELECT length(title) FROM t WHERE id = 1") == "300");
  CHECK(cell(db,
             "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 't'::regclass "
             "AND attname = 'title'") == "text");
}

TEST_CASE("round trip (issue 8): on MariaDB (strict mode) a down from text to string(255) fails on a longer value") {
  auto server = server_url(DialectId::tidb);
  if (!server) return;
  const std::string a =
      "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n"
      "      title: string(255)\n";
  const std::string b = "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n      title: text\n";
  auto p = plan_pinned(DialectId::tidb, a, b);
  FreshDatabase db(*server, "i8_narrow_tidb");
  std::string output;
  REQUIRE_MESSAGE(install_and_up(db, p, output) == 0, output);
  REQUIRE_MESSAGE(db.apply_sql("INSERT INTO t (id, title) VALUES (1, REPEAT('x', 300));", output) == 0, output);
  CHECK(db.apply_sql(p.text.down, output) != 0);
  CHECK_MESSAGE(contains(output, "Data too long for column 'title'"), output);
  CHECK(cell(db, "SELECT LENGTH(title) FROM t WHERE id = 1") == "300");
}

TEST_CASE("round trip (issue 8): a Postgres decimal with fewer places fails on a value it would round") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  const std::string a =
      "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n"
      "      price: decimal(10,3)\n";
  const std::string b =
      "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n"
      "      price: decimal(10,2)\n";
  // Values that fit convert; the round trip holds.
  check_round_trip(DialectId::postgres, *server, "i8_round_rt", a, b, "INSERT INTO t (id, price) VALUES (1, 1.250);");
  auto p = plan_pinned(DialectId::postgres, a, b);
  FreshDatabase db(*server, "i8_round");
  std::string output;
  REQUIRE_MESSAGE(db.apply_sql(dialect_for(DialectId::postgres).render_install(p.from), output) == 0, output);
  REQUIRE_MESSAGE(db.apply_sql("INSERT INTO t (id, price) VALUES (1, 1.255);", output) == 0, output);
  CHECK(db.apply_sql("BEGIN;\n" + p.text.up + "\nCOMMIT;\n", output) != 0);
  CHECK_MESSAGE(contains(output, "t.price holds a value that does not fit NUMERIC(10,2) exactly"), output);
  CHECK(cell(db, "SELECT price FROM t WHERE id = 1") == "1.255");
}

TEST_CASE("round trip (issue 8): a Postgres enum type with a mixed-case name") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  const std::string a = "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n";
  const std::string b = "enums:\n  dataId: { values: [a, b] }\n" + a + "      kind: enum(dataId)\n";
  check_round_trip(DialectId::postgres, *server, "i8_enum_case", a, b);
}

TEST_CASE("round trip (issue 8): MySQL 8 reserved words as table and column names, on MariaDB") {
  auto server = server_url(DialectId::tidb);
  if (!server) return;
  const std::string a = "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n";
  const std::string b = a +
                        "      return: int\n      signal: int\n      condition: int\n      loop: int\n"
                        "      before: int\n      each: int\n      reads: int\n      undo: int\n"
                        "    indexes:\n      - { columns: [signal, loop] }\n"
                        "  condition:\n    columns:\n      each: { type: int, primary_key: true }\n"
                        "      return: { type: int, references: { table: t } }\n";
  check_round_trip(DialectId::tidb, *server, "i8_reserved", a, b);
}

TEST_CASE("round trip (issue 8): a Postgres table rename takes its serial sequence along") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  const std::string a =
      "tables:\n  t1:\n    columns:\n      id: { type: serial, primary_key: true }\n"
      "      name: text\n";
  const std::string b =
      "tables:\n  t2:\n    renamed_from: [t1]\n    columns:\n"
      "      id: { type: serial, primary_key: true }\n      name: text\n";
  check_round_trip(DialectId::postgres, *server, "i8_serial_rename", a, b, "INSERT INTO t1 (name) VALUES ('x');",
                   [](const FreshDatabase& db) {
                     std::string out;
                     // The sequence goes on from where it was.
                     if (db.apply_sql("INSERT INTO t2 (name) VALUES ('y');", out) != 0) return out;
                     std::string id = cell(db, "SELECT id FROM t2 WHERE name = 'y'");
                     return id == "2" ? std::string() : "the next id was " + id;
                   });
}

TEST_CASE("round trip (issue 8): swapped column names and a reused old name keep their values") {
  const std::string a =
      "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n"
      "      a: int\n      b: uuid\n      title: text\n";
  const std::string b =
      "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n"
      "      a: { type: uuid, renamed_from: b }\n      b: { type: int, renamed_from: a }\n"
      "      heading: { type: text, renamed_from: title }\n      title: int\n";
  for (DialectId d : kAllDialects) {
    CAPTURE(dialect_name(d));
    auto server = server_url(d);
    if (!server) continue;
    const std::string uuid = "'6f1c2a7e-8d2b-4a57-9c39-0a1f2e3d4c5b'";
    check_round_trip(d, *server, "i8_swap", a, b,
                     "INSERT INTO t (id, a, b, title) VALUES (1, 5, " + uuid + ", 'hello');",
                     [&](const FreshDatabase& db) {
                       std::string got = cell(db, "SELECT concat(a, ' ', b, ' ', heading) FROM t WHERE id = 1");
                       std::string want = uuid.substr(1, uuid.size() - 2) + " 5 hello";
                       return got == want ? std::string() : "after up the row reads " + got;
                     });
  }
}

TEST_CASE("round trip (issue 8): on MariaDB a foreign key moved to another column under the same name") {
  auto server = server_url(DialectId::tidb);
  if (!server) return;
  const std::string p = "tables:\n  p:\n    columns:\n      id: { type: int, primary_key: true }\n";
  const std::string c = "  c:\n    columns:\n      id: { type: int, primary_key: true }\n";
  // The server made an index c_p_fkey for the key on r; the key on r2 needs one of that name.
  check_round_trip(DialectId::tidb, *server, "i8_fk_index",
                   p + c + "      r: { type: int, references: { table: p, name: c_p_fkey } }\n      r2: int\n",
                   p + c + "      r: int\n      r2: { type: int, references: { table: p, name: c_p_fkey } }\n");
}

TEST_CASE("round trip (issue 8): a referenced column and its foreign-key column change type together") {
  const std::string before =
      "tables:\n  p:\n    columns:\n      id: { type: int, primary_key: true }\n"
      "      code: { type: string(10), unique: true }\n"
      "  c:\n    columns:\n      id: { type: int, primary_key: true }\n"
      "      p_code: { type: string(10), references: { table: p, column: code } }\n";
  std::string after = before;
  for (std::size_t at = after.find("string(10)"); at != std::string::npos; at = after.find("string(10)"))
    after.replace(at, 10, "int");
  for (DialectId d : kAllDialects) {
    CAPTURE(dialect_name(d));
    auto server = server_url(d);
    if (!server) continue;
    check_round_trip(d, *server, "i8_fk_retype", before, after,
                     "INSERT INTO p (id, code) VALUES (1, '42');\nINSERT INTO c (id, p_code) VALUES (1, '42');\n");
  }
}

TEST_CASE("round trip (issue 8): reference rows changed and removed in the registry") {
  const std::string table =
      "tables:\n  settings:\n    columns:\n      key: { type: string(50), primary_key: true }\n"
      "      value: text\n    rows:\n      values:\n";
  const std::string a = table + "        - { key: a, value: \"1\" }\n        - { key: b, value: \"2\" }\n";
  const std::string b = table + "        - { key: a, value: \"one\" }\n        - { key: c, value: \"3\" }\n";
  for (DialectId d : kAllDialects) {
    CAPTURE(dialect_name(d));
    auto server = server_url(d);
    if (!server) continue;
    check_round_trip(d, *server, "i8_rows", a, b);
  }
}

// ---------------------------------------------------------------- issue 8: planner items (h/planner)

namespace {
const std::function<std::string(const FreshDatabase&)> kNoCheck;
}  // namespace

TEST_CASE("round trip (issue 8): int to serial on Postgres numbers the rows and goes on past the largest value") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  // (unique: on TiDB a serial column must lead a key)
  const std::string a =
      "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n      n: { type: int, unique: true }\n";
  const std::string b =
      "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n      n: { type: serial, unique: true "
      "}\n";
  // Run twice each: the files say they are safe to repeat.
  check_round_trip(
      DialectId::postgres, *server, "i8_int_serial", a, b, "INSERT INTO t (id, n) VALUES (1, 5), (2, NULL);",
      [](const FreshDatabase& db) {
        std::string out;
        if (db.apply_sql("INSERT INTO t (id) VALUES (3);", out) != 0) return "insert without n failed: " + out;
        std::string got = cell(db, "SELECT string_agg(id || '=' || n, ',' ORDER BY id) FROM t");
        return got == "1=5,2=6,3=7" ? std::string() : "after up the rows read " + got;
      },
      2);
  // The reverse, and a key widened to bigserial on the way.
  check_round_trip(DialectId::postgres, *server, "i8_serial_int", b, a, "INSERT INTO t (id) VALUES (1), (2);", kNoCheck,
                   2);
  const std::string key_int = "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n";
  const std::string key_bigserial = "tables:\n  t:\n    columns:\n      id: { type: bigserial, primary_key: true }\n";
  check_round_trip(
      DialectId::postgres, *server, "i8_key_bigserial", key_int, key_bigserial, "INSERT INTO t (id) VALUES (41);",
      [](const FreshDatabase& db) {
        std::string out;
        if (db.apply_sql("INSERT INTO t DEFAULT VALUES;", out) != 0) return "insert failed: " + out;
        std::string got = cell(db, "SELECT max(id) FROM t");
        return got == "42" ? std::string() : "the next id was " + got;
      },
      2);
}

TEST_CASE("round trip (issue 8): TiDB refuses int to serial (it cannot add AUTO_INCREMENT), naming what to do") {
  try {
    plan_pinned(DialectId::tidb, "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n",
                "tables:\n  t:\n    columns:\n      id: { type: serial, primary_key: true }\n");
    FAIL("planned");
  } catch (const Error& e) {
    CHECK(contains(e.what(), "TiDB cannot add AUTO_INCREMENT to an existing column"));
    CHECK(contains(e.what(), "INSERT ... SELECT"));
  }
}

TEST_CASE(
    "round trip (issue 8): Postgres down after a table rename, and up recreating a view a new view uses, run twice") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  const std::string a =
      "tables:\n  t1:\n    description: old\n    columns:\n      id: { type: serial, primary_key: true }\n"
      "      name: string(20)\n      n: int\n    rows:\n      values:\n        - { id: 1, name: a, n: 1 }\n";
  const std::string b =
      "tables:\n  t2:\n    renamed_from: [t1]\n    description: new\n    columns:\n"
      "      id: { type: serial, primary_key: true }\n      name: { type: string(40), nullable: false, default: x }\n"
      "      n: { type: int, default: 0, description: count }\n      extra: text\n"
      "    checks:\n      - { name: n_positive, expr: \"n >= 0\" }\n    indexes:\n      - { columns: [name] }\n"
      "    rows:\n      values:\n        - { id: 1, name: b, n: 2 }\n        - { id: 2, name: c, n: 3 }\n";
  check_round_trip(DialectId::postgres, *server, "i8_rename_twice", a, b, "", kNoCheck, 2);
  const std::string t = "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n      name: text\n";
  const std::string views_a = t + "views:\n  v_names:\n    depends_on: [t]\n    sql: \"SELECT id, name FROM t\"\n";
  const std::string views_b =
      t +
      "views:\n  v_names:\n    depends_on: [t]\n    sql: \"SELECT id, name, 1 AS one FROM t\"\n"
      "  v_lower:\n    depends_on: [v_names]\n    sql: \"SELECT lower(name) AS name FROM v_names\"\n";
  check_round_trip(DialectId::postgres, *server, "i8_views_twice", views_a, views_b, "", kNoCheck, 2);
}

TEST_CASE("round trip (issue 8): on MariaDB an index or unique a foreign key needs is dropped around the key") {
  auto server = server_url(DialectId::tidb);
  if (!server) return;
  const std::string parent = "tables:\n  p:\n    columns:\n      id: { type: int, primary_key: true }\n";
  const std::string child = "  c:\n    columns:\n      id: { type: int, primary_key: true }\n";
  // Dropping the unique key that the foreign key uses (up), and adding it back (down).
  check_round_trip(DialectId::tidb, *server, "i8_fk_unique",
                   parent + child + "      r: { type: int, unique: true, references: { table: p } }\n",
                   parent + child + "      r: { type: int, references: { table: p } }\n",
                   "INSERT INTO p (id) VALUES (1);\nINSERT INTO c (id, r) VALUES (1, 1);\n");
  // An index that takes over from the key's own index (up), dropped again (down).
  const std::string tables = parent + child + "      r: { type: int, references: { table: p } }\n";
  check_round_trip(DialectId::tidb, *server, "i8_fk_index_undo", tables,
                   tables + "    indexes:\n      - { columns: [r] }\n");
  // An index replaced by one on other columns while the key goes on using it.
  check_round_trip(DialectId::tidb, *server, "i8_fk_index_replace",
                   tables + "      s: int\n    indexes:\n      - { columns: [r], name: idx_c_key }\n",
                   tables + "      s: int\n    indexes:\n      - { columns: [s], name: idx_c_key }\n");
  // An enum column that a foreign key uses, on both sides, gains a value (MySQL error 1832 unless
  // the key is dropped around the change).
  const std::string enums_a =
      "enums:\n  kind:\n    values: [a, b]\ntables:\n  p:\n    columns:\n      id: { type: int, primary_key: true }\n"
      "      k: { type: enum(kind), unique: true }\n  c:\n    columns:\n      id: { type: int, primary_key: true }\n"
      "      k: { type: enum(kind), references: { table: p, column: k } }\n";
  std::string enums_b = enums_a;
  enums_b.replace(enums_b.find("[a, b]"), 6, "[a, b, c]");
  check_round_trip(DialectId::tidb, *server, "i8_fk_enum", enums_a, enums_b,
                   "INSERT INTO p (id, k) VALUES (1, 'a');\nINSERT INTO c (id, k) VALUES (1, 'a');\n");
}

namespace {

// A registry pair that differs in its registry file (postgres.schema, timeouts), planned like plan_pinned.
PinnedPair plan_registries(const std::string& registry_a, const std::string& registry_b, const std::string& entity) {
  PinnedPair p;
  p.a = compile_registry({{"registry.yaml", registry_a}, {"model.yaml", "entity: Model\n" + entity}});
  p.b = compile_registry({{"registry.yaml", registry_b}, {"model.yaml", "entity: Model\n" + entity}});
  p.from = p.a.schemas.at(DialectId::postgres);
  p.to = p.b.schemas.at(DialectId::postgres);
  plan::Options po;
  po.allow_destructive = true;
  auto changes = diff::diff(p.from, p.to, migrate::declared_renames(p.b.registry));
  plan::Plan plan = plan::make_plan(changes, p.from, p.to, dialect_for(DialectId::postgres), po);
  p.text =
      migrate::render_migration(plan, dialect_for(DialectId::postgres), "20251018_000000_schema", migrate::Lineage{});
  return p;
}

// Where each object of the registry below lives: "<kind> <name>: <schema>", sorted.
std::string placement(const FreshDatabase& db) {
  return cell(db,
              "SELECT string_agg(what, ', ' ORDER BY what) FROM ("
              " SELECT 'relation ' || c.relname || ': ' || n.nspname AS what FROM pg_class c JOIN pg_namespace n"
              "  ON n.oid = c.relnamespace WHERE c.relname IN ('t', 't_id_seq', 'v_t', 'idx_t_kind')"
              " UNION ALL SELECT 'type ' || typname || ': ' || n.nspname FROM pg_type t JOIN pg_namespace n"
              "  ON n.oid = t.typnamespace WHERE typname = 'kind'"
              " UNION ALL SELECT 'function ' || proname || ': ' || n.nspname FROM pg_proc p JOIN pg_namespace n"
              "  ON n.oid = p.pronamespace WHERE proname = 't_count') x");
}

const std::string kSchemaEntity =
    "enums:\n  kind:\n    values: [a, b]\ntables:\n  t:\n    columns:\n      id: { type: serial, primary_key: true }\n"
    "      kind: enum(kind)\n    indexes:\n      - { columns: [kind] }\n"
    "views:\n  v_t:\n    depends_on: [t]\n    sql: \"SELECT id, kind FROM t\"\n"
    "functions:\n  t_count:\n    dialects: [postgres]\n    language: sql\n    returns: bigint\n    volatility: stable\n"
    "    depends_on: [t]\n    body: \"SELECT count(*) FROM t\"\n";

}  // namespace

TEST_CASE("round trip (issue 8): postgres.schema changed: everything moves, unqualified bodies still work, and back") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  auto p = plan_registries("registry: pinned\n", "registry: pinned\npostgres:\n  schema: app\n", kSchemaEntity);
  FreshDatabase db(*server, "i8_schema_move");
  std::string output;
  REQUIRE_MESSAGE(install_and_up(db, p, output) == 0, output << p.text.up);
  REQUIRE_MESSAGE(db.apply_sql(p.text.up, output) == 0, output);  // safe to repeat
  CHECK(placement(db) ==
        "function t_count: app, relation idx_t_kind: app, relation t: app, relation t_id_seq: app, "
        "relation v_t: app, type kind: app");
  // The function body names t unqualified: it finds app.t whatever the caller's search_path.
  REQUIRE_MESSAGE(db.apply_sql("SET search_path = public;\nINSERT INTO app.t (kind) VALUES ('a');\n"
                               "DO $$ BEGIN IF app.t_count() <> 1 THEN RAISE 'wrong count'; END IF; END $$;\n",
                               output) == 0,
                  output);
  REQUIRE_MESSAGE(db.apply_sql(p.text.down, output) == 0, output << p.text.down);
  REQUIRE_MESSAGE(db.apply_sql(p.text.down, output) == 0, output);
  CHECK(placement(db) ==
        "function t_count: public, relation idx_t_kind: public, relation t: public, relation t_id_seq: public, "
        "relation v_t: public, type kind: public");
  CHECK(cell(db, "SELECT count(*) FROM t") == "1");
  CHECK(cell(db, "SELECT coalesce(array_to_string(proconfig, ','), '') FROM pg_proc WHERE proname = 't_count'") == "");
}

TEST_CASE(
    "round trip (issue 8): a first migration into a non-public schema, and its install.sql, need no search_path") {
  auto server = server_url(DialectId::postgres);
  if (!server) return;
  const std::string reg = "registry: pinned\npostgres:\n  schema: app\n";
  auto installed = compile_registry({{"registry.yaml", reg}, {"model.yaml", "entity: Model\n" + kSchemaEntity}});
  FreshDatabase by_install(*server, "i8_schema_install");
  std::string output;
  const std::string install =
      dialect_for(DialectId::postgres).render_install(installed.schemas.at(DialectId::postgres));
  REQUIRE_MESSAGE(by_install.apply_sql(install, output) == 0, output << install);
  REQUIRE_MESSAGE(by_install.apply_sql(install, output) == 0, output);
  // The baseline: from nothing (an empty migrations directory) to the registry.
  schema::Schema nothing;
  plan::Options po;
  const schema::Schema& target = installed.schemas.at(DialectId::postgres);
  auto plan = plan::make_plan(diff::diff(nothing, target, {}), nothing, target, dialect_for(DialectId::postgres), po);
  auto text =
      migrate::render_migration(plan, dialect_for(DialectId::postgres), "20251018_000000_base", migrate::Lineage{});
  FreshDatabase by_migration(*server, "i8_schema_baseline");
  REQUIRE_MESSAGE(by_migration.apply_sql(text.up, output) == 0, output << text.up);
  REQUIRE_MESSAGE(by_migration.apply_sql(text.up, output) == 0, output);
  for (const FreshDatabase* db : {&by_install, &by_migration}) {
    CHECK(placement(*db) ==
          "function t_count: app, relation idx_t_kind: app, relation t: app, relation t_id_seq: app, "
          "relation v_t: app, type kind: app");
    CHECK(cell(*db, "SELECT count(*) FROM app.v_t") == "0");
  }
  REQUIRE_MESSAGE(by_migration.apply_sql(text.down, output) == 0, output << text.down);
  CHECK(cell(by_migration,
             "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
             "WHERE n.nspname = 'app'") == "0");
}

TEST_CASE("round trip (issue 8): postgres.lock_timeout and statement_timeout from the registry reach the files") {
  auto p = plan_registries("registry: pinned\n",
                           "registry: pinned\npostgres:\n  lock_timeout: 2s\n  statement_timeout: 30min\n",
                           "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n");
  // Nothing changed but the settings: no steps, and the settings are not part of the schema.
  CHECK(diff::diff(p.from, p.to, {}).empty());
  auto plan = plan::make_plan({}, p.from, p.to, dialect_for(DialectId::postgres), {});
  auto text =
      migrate::render_migration(plan, dialect_for(DialectId::postgres), "20251018_000000_x", migrate::Lineage{});
  CHECK(contains(text.up, "\nSET lock_timeout = '2s';\nSET statement_timeout = '30min';\n"));
  CHECK(contains(text.down, "\nSET lock_timeout = '2s';\nSET statement_timeout = '30min';\n"));
}

TEST_CASE("round trip (misfit): a TiDB type change that also sets NOT NULL names the values it can lose") {
  // One MODIFY COLUMN makes both changes; its note must say that the type change can lose values
  // (MariaDB in strict mode cuts the time of day going to DATE without a word), not only that
  // NOT NULL can fail.
  const std::string a =
      "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n      at: timestamp\n";
  const std::string b =
      "tables:\n  t:\n    columns:\n      id: { type: int, primary_key: true }\n"
      "      at: { type: date, nullable: false, default: { expr: current_date } }\n";
  auto p = plan_pinned(DialectId::tidb, a, b);
  CHECK_MESSAGE(contains(p.text.up, "changes t.at from DATETIME"), p.text.up);
  CHECK_MESSAGE(contains(p.text.up, "NOT NULL"), p.text.up);
  auto server = server_url(DialectId::tidb);
  if (!server) return;
  FreshDatabase db(*server, "misfit_tidb_type_not_null");
  std::string output;
  REQUIRE_MESSAGE(db.apply_sql(dialect_for(DialectId::tidb).render_install(p.from), output) == 0, output);
  REQUIRE_MESSAGE(db.apply_sql("INSERT INTO t (id, at) VALUES (1, '2024-02-29 12:34:56');", output) == 0, output);
  // Either the server refuses, or the value is cut and the note above said it could be.
  if (db.apply_sql(p.text.up, output) == 0)
    CHECK(cell(db, "SELECT CAST(at AS CHAR) FROM t WHERE id = 1") == "2024-02-29");
}

}  // namespace schemactl::test

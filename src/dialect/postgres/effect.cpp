// Postgres: concurrent index builds and what a failed one leaves behind. Everything else a Postgres
// migration runs commits with its history row, so only these can be caught in flight.
#include "dialect/effect.hpp"

#include <pg_query.h>

#include <nlohmann/json.hpp>

#include "dialect/dialect.hpp"
#include "util/text.hpp"

namespace schemactl {
namespace {

// The schema to look in: the statement's, else the session's.
std::string schema_of(db::Connection& conn, const ConcurrentIndex& index) {
  if (!index.schema.empty()) return index.schema;
  return conn.query("SELECT current_schema()").at(0).at(0).value_or("public");
}

// ALTER TABLE clauses that leave the same state when run twice (the steps a lock-safe plan runs one
// by one after its transaction: VALIDATE, SET NOT NULL once a valid check exists, defaults).
bool settles_to_same_state(const std::string& sql) {
  PgQueryParseResult r = pg_query_parse(sql.c_str());
  bool same = false;
  if (!r.error && r.parse_tree) {
    auto tree = nlohmann::json::parse(r.parse_tree, nullptr, false);
    if (tree.is_object() && tree.contains("stmts") && tree["stmts"].size() == 1 &&
        tree["stmts"][0]["stmt"].contains("AlterTableStmt")) {
      const auto& cmds = tree["stmts"][0]["stmt"]["AlterTableStmt"].value("cmds", nlohmann::json::array());
      same = !cmds.empty();
      for (const auto& c : cmds) {
        std::string sub = c.value("AlterTableCmd", nlohmann::json::object()).value("subtype", "");
        same = same && (sub == "AT_ValidateConstraint" || sub == "AT_SetNotNull" || sub == "AT_DropNotNull" ||
                        sub == "AT_ColumnDefault");
      }
    }
  }
  pg_query_free_parse_result(r);
  return same;
}

}  // namespace

std::optional<ConcurrentIndex> concurrent_index_build(const std::string& sql) {
  PgQueryParseResult r = pg_query_parse(sql.c_str());
  std::optional<ConcurrentIndex> out;
  if (!r.error && r.parse_tree) {
    auto tree = nlohmann::json::parse(r.parse_tree, nullptr, false);
    if (tree.is_object() && tree.contains("stmts") && tree["stmts"].size() == 1) {
      const auto& stmt = tree["stmts"][0]["stmt"];
      if (stmt.contains("IndexStmt")) {
        const auto& ix = stmt["IndexStmt"];
        if (ix.value("concurrent", false) && ix.contains("idxname")) {
          ConcurrentIndex c;
          c.name = ix["idxname"].get<std::string>();
          if (ix.contains("relation")) c.schema = ix["relation"].value("schemaname", "");
          out = c;
        }
      }
    }
  }
  pg_query_free_parse_result(r);
  return out;
}

std::optional<bool> index_valid(db::Connection& conn, const ConcurrentIndex& index) {
  auto rows = conn.query(
      "SELECT i.indisvalid AND i.indisready FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
      "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = $1 AND n.nspname = $2",
      {index.name, schema_of(conn, index)});
  if (rows.empty()) return std::nullopt;
  return rows[0][0] == std::optional<std::string>("t");
}

std::string drop_invalid_index_sql(db::Connection& conn, const ConcurrentIndex& index) {
  const Dialect& pg = dialect_for(DialectId::postgres);
  return "DROP INDEX CONCURRENTLY IF EXISTS " + pg.quote(schema_of(conn, index)) + "." + pg.quote(index.name);
}

std::vector<std::string> catalog_problems(db::Connection& conn) {
  std::vector<std::string> out;
  if (conn.dialect() != DialectId::postgres) return out;
  for (const auto& r :
       conn.query("SELECT n.nspname, c.relname, t.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                  "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                  "WHERE NOT (i.indisvalid AND i.indisready) ORDER BY 1, 2"))
    out.push_back("index " + r.at(0).value_or("") + "." + r.at(1).value_or("") + " on " + r.at(2).value_or("") +
                  " is INVALID (a CREATE INDEX CONCURRENTLY failed or was interrupted): it is maintained but not "
                  "used, and a unique one enforces nothing; `schemactl migrate up` drops and rebuilds it when a "
                  "pending or partial migration builds it, or drop it by hand");
  return out;
}

EffectProbe detail::probe_postgres(db::Connection& conn, const std::string& sql) {
  if (auto ix = concurrent_index_build(sql)) {
    auto valid = index_valid(conn, *ix);
    if (!valid) return {Effect::no_effect, "index " + ix->name + " does not exist"};
    if (*valid) return {Effect::took_effect, "index " + ix->name + " exists and is valid"};
    return {Effect::no_effect, "index " + ix->name + " is INVALID: it is dropped and built again"};
  }
  if (settles_to_same_state(sql)) return {Effect::repeatable, "running it again leaves the same state"};
  std::string upper = to_upper(sql);
  if (upper.find(" IF EXISTS ") != std::string::npos || upper.find(" IF NOT EXISTS ") != std::string::npos ||
      starts_with(upper, "SET "))
    return {Effect::repeatable, "the statement is written to be run again"};
  return {Effect::unknown, "the catalog cannot tell whether it ran"};
}

}  // namespace schemactl

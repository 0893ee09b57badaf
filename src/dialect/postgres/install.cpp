// The Postgres install script: every object in dependency order, each statement idempotent.
#include "dialect/postgres/ddl.hpp"
#include "dialect/postgres/postgres.hpp"
#include "output/banner.hpp"
#include "util/text.hpp"

namespace schemactl {

std::string PostgresDialect::render_install(const schema::Schema& s) const {
  postgres::Ddl ddl(*this, s.pg_schema);
  auto order = schema::order_tables(s);
  std::string out = install_banner(s);
  out += "SET client_min_messages = warning;\n";
  // Outside public: view bodies (and anything else) written unqualified resolve in the schema.
  if (s.pg_schema != "public")
    out += "CREATE SCHEMA IF NOT EXISTS " + quote(s.pg_schema) + ";\n" + ddl.search_path_clause() + ";\n";
  out += "\n";
  if (!s.extensions.empty()) {
    out += "-- Extensions\n";
    for (const auto& e : s.extensions) out += ddl.create_extension(e);
    for (const auto& e : s.extensions)
      if (!e.comment.empty()) out += ddl.comment_on("EXTENSION", quote(e.name), e.comment);
    out += "\n";
  }
  if (!s.enums.empty()) {
    out += "-- Enum types\n";
    for (const auto& e : s.enums) {
      out += ddl.create_enum_once(e);
      if (!e.comment.empty()) out += ddl.comment_on("TYPE", ddl.qualified(e.name), e.comment);
    }
    out += "\n";
  }
  for (const auto* t : order.tables) {
    out += "-- Table " + t->name + "\n";
    out += ddl.create_table(*t, order);
    out += ddl.table_comments(*t);
    for (const auto& ix : t->indexes) out += ddl.create_index(ix, t->name);
    out += "\n";
  }
  if (!order.deferred_foreign_keys.empty()) {
    out += "-- Foreign keys that close a reference cycle\n";
    for (const auto* t : order.tables)
      for (const auto& fk : t->foreign_keys)
        if (order.deferred(*t, fk)) out += ddl.add_constraint_once(t->name, fk.name, ddl.foreign_key_clause(fk));
    out += "\n";
  }
  for (const auto& f : s.functions) {
    out += "-- Function " + f.name + "\n" + ddl.create_function(f);
    if (!f.comment.empty()) out += ddl.comment_on("FUNCTION", ddl.qualified(f.name), f.comment);
    out += "\n";
  }
  for (const auto* v : schema::order_views(s)) {
    out += std::string("-- ") + (v->materialized ? "Materialized view " : "View ") + v->name + "\n";
    out += ddl.create_view(*v);
    if (!v->comment.empty())
      out += ddl.comment_on(v->materialized ? "MATERIALIZED VIEW" : "VIEW", ddl.qualified(v->name), v->comment);
    for (const auto& ix : v->indexes) out += ddl.create_index(ix, v->name);
    out += "\n";
  }
  bool rows_header = false;
  for (const auto* t : order.tables) {
    std::string rows = ddl.insert_rows(*t);
    if (rows.empty()) continue;
    if (!rows_header) out += "-- Reference rows\n";
    rows_header = true;
    out += rows;
  }
  if (rows_header) out += "\n";
  out += skipped_section(s);
  return out;
}

}  // namespace schemactl

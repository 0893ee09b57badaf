#include "dialect/postgres/ddl.hpp"

#include "util/dollar_quote.hpp"
#include "util/text.hpp"

namespace schemactl::postgres {

std::string Ddl::qualified(const std::string& name) const {
  return d_.quote(schema_) + "." + d_.quote(name);
}

std::string Ddl::columns(const std::vector<std::string>& names) const {
  std::vector<std::string> quoted;
  for (const auto& n : names) quoted.push_back(d_.quote(n));
  return join(quoted, ", ");
}

std::string Ddl::column_definition(const schema::Column& c) const {
  std::string out = d_.quote(c.name) + " " + c.type;
  if (!c.nullable) out += " NOT NULL";
  if (!c.default_sql.empty()) out += " DEFAULT " + c.default_sql;
  return out;
}

std::string Ddl::foreign_key_clause(const schema::ForeignKey& fk) const {
  std::string out = "CONSTRAINT " + d_.quote(fk.name) + " FOREIGN KEY (" + columns(fk.columns) + ") REFERENCES " +
                    qualified(fk.ref_table) + " (" + columns(fk.ref_columns) + ")";
  if (!fk.on_delete.empty()) out += " ON DELETE " + fk.on_delete;
  if (!fk.on_update.empty()) out += " ON UPDATE " + fk.on_update;
  return out;
}

std::string Ddl::exclusion_clause(const schema::Exclusion& x) const {
  std::vector<std::string> elements;
  for (const auto& e : x.elements)
    elements.push_back((e.expression ? "(" + e.text + ")" : d_.quote(e.text)) + " WITH " + e.op);
  std::string out = "CONSTRAINT " + d_.quote(x.name) + " EXCLUDE USING " + x.method + " (" + join(elements, ", ") + ")";
  if (!x.where.empty()) out += " WHERE (" + x.where + ")";
  return out;
}

std::string Ddl::create_table(const schema::Table& t, const schema::TableOrder& order) const {
  std::vector<std::string> lines;
  for (const auto& c : t.columns) lines.push_back(column_definition(c));
  if (t.primary_key)
    lines.push_back("CONSTRAINT " + d_.quote(t.primary_key->name) + " PRIMARY KEY (" + columns(t.primary_key->columns) +
                    ")");
  for (const auto& u : t.uniques)
    lines.push_back("CONSTRAINT " + d_.quote(u.name) + " UNIQUE (" + columns(u.columns) + ")");
  for (const auto& c : t.checks) lines.push_back("CONSTRAINT " + d_.quote(c.name) + " CHECK (" + c.expr + ")");
  for (const auto& fk : t.foreign_keys)
    if (!order.deferred(t, fk)) lines.push_back(foreign_key_clause(fk));
  for (const auto& x : t.exclusions) lines.push_back(exclusion_clause(x));
  return "CREATE TABLE IF NOT EXISTS " + qualified(t.name) + " (\n    " + join(lines, ",\n    ") + "\n);\n";
}

std::string Ddl::create_index(const schema::Index& ix, const std::string& relation) const {
  std::vector<std::string> keys;
  for (const auto& k : ix.keys) {
    std::string key = k.expression ? "(" + k.text + ")" : d_.quote(k.text);
    if (!k.opclass.empty()) key += " " + k.opclass;
    if (!k.order.empty()) key += " " + k.order;
    if (!k.nulls.empty()) key += " NULLS " + k.nulls;
    keys.push_back(key);
  }
  std::string out = std::string("CREATE ") + (ix.unique ? "UNIQUE " : "") + "INDEX IF NOT EXISTS " + d_.quote(ix.name) +
                    " ON " + qualified(relation);
  if (!ix.method.empty() && ix.method != "btree") out += " USING " + ix.method;
  out += " (" + join(keys, ", ") + ")";
  if (!ix.include.empty()) out += " INCLUDE (" + columns(ix.include) + ")";
  if (!ix.with.empty()) {
    std::vector<std::string> params;
    for (const auto& [k, v] : ix.with) params.push_back(k + " = " + v);
    out += " WITH (" + join(params, ", ") + ")";
  }
  if (!ix.where.empty()) out += " WHERE (" + ix.where + ")";
  return out + ";\n";
}

std::string Ddl::add_constraint_once(const std::string& table, const std::string& name,
                                     const std::string& clause) const {
  // Looked up by name: a repeated unique or primary key fails with other errors than duplicate_object.
  return do_block("BEGIN\n    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = " + d_.string_literal(name) +
                  " AND conrelid = " + d_.string_literal(qualified(table)) + "::regclass) THEN\n        ALTER TABLE " +
                  qualified(table) + " ADD " + clause + ";\n    END IF;\nEND\n") +
         "\n";
}

std::string Ddl::create_enum_once(const schema::EnumType& e) const {
  std::vector<std::string> values;
  for (const auto& v : e.values) values.push_back(d_.string_literal(v));
  return do_block("BEGIN\n    CREATE TYPE " + qualified(e.name) + " AS ENUM (" + join(values, ", ") +
                  ");\nEXCEPTION WHEN duplicate_object THEN NULL;\nEND\n") +
         "\n";
}

std::string Ddl::create_extension(const schema::Extension& e) const {
  return "CREATE EXTENSION IF NOT EXISTS " + d_.quote(e.name) + ";\n";
}

std::string Ddl::create_view(const schema::View& v) const {
  if (v.materialized) return "CREATE MATERIALIZED VIEW IF NOT EXISTS " + qualified(v.name) + " AS\n" + v.sql + ";\n";
  return "CREATE OR REPLACE VIEW " + qualified(v.name) + " AS\n" + v.sql + ";\n";
}

std::string Ddl::create_function(const schema::Function& f) const {
  // The body goes between the quotes exactly as the registry has it, so the server's prosrc is the
  // registry's text (pg_get_functiondef and pg_dump print it the same way); the tag cannot close early.
  std::string path = search_path_clause();
  return "CREATE OR REPLACE FUNCTION " + qualified(f.name) + "(" + f.arguments + ")\nRETURNS " + f.returns +
         "\nLANGUAGE " + f.language + "\n" + f.volatility + "\n" + (path.empty() ? "" : path + "\n") + "AS " +
         dollar_quote(f.body, "function") + ";\n";
}

std::string Ddl::search_path_clause() const {
  return schema_ == "public" ? "" : "SET search_path = " + d_.quote(schema_) + ", public";
}

std::string Ddl::do_block(const std::string& body) {
  return "DO " + dollar_quote("\n" + body) + ";";
}

std::string Ddl::comment_on(const std::string& kind, const std::string& object, const std::string& text) const {
  return "COMMENT ON " + kind + " " + object + " IS " + d_.string_literal(text) + ";\n";
}

std::string Ddl::table_comments(const schema::Table& t) const {
  std::string out;
  if (!t.comment.empty()) out += comment_on("TABLE", qualified(t.name), t.comment);
  for (const auto& c : t.columns)
    if (!c.comment.empty()) out += comment_on("COLUMN", qualified(t.name) + "." + d_.quote(c.name), c.comment);
  return out;
}

std::string Ddl::insert_rows(const schema::Table& t) const {
  if (t.rows.values.empty()) return {};
  std::vector<std::string> rows;
  for (const auto& r : t.rows.values) rows.push_back("(" + join(r, ", ") + ")");
  return "INSERT INTO " + qualified(t.name) + " (" + columns(t.rows.columns) + ") VALUES\n    " +
         join(rows, ",\n    ") + "\nON CONFLICT (" + columns(t.rows.conflict_columns) + ") DO NOTHING;\n";
}

}  // namespace schemactl::postgres

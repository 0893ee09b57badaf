#include "dialect/tidb/ddl.hpp"

#include "util/text.hpp"

namespace schemactl::tidb {

std::string Ddl::columns(const std::vector<std::string>& names) const {
  std::vector<std::string> quoted;
  for (const auto& n : names) quoted.push_back(d_.quote(n));
  return join(quoted, ", ");
}

std::string Ddl::column_definition(const schema::Column& c) const {
  std::string out = d_.quote(c.name) + " " + c.type;
  if (!c.nullable) out += " NOT NULL";
  if (c.auto_increment) out += " AUTO_INCREMENT";
  if (!c.default_sql.empty()) out += " DEFAULT " + c.default_sql;
  if (!c.on_update.empty()) out += " ON UPDATE " + c.on_update;
  if (!c.comment.empty()) out += " COMMENT " + d_.string_literal(c.comment);
  return out;
}

std::string Ddl::foreign_key_clause(const schema::ForeignKey& fk) const {
  std::string out = "CONSTRAINT " + d_.quote(fk.name) + " FOREIGN KEY (" + columns(fk.columns) + ") REFERENCES " +
                    d_.quote(fk.ref_table) + " (" + columns(fk.ref_columns) + ")";
  if (!fk.on_delete.empty()) out += " ON DELETE " + fk.on_delete;
  if (!fk.on_update.empty()) out += " ON UPDATE " + fk.on_update;
  return out;
}

std::string Ddl::create_table(const schema::Table& t, const std::string& charset, const std::string& collation) const {
  std::vector<std::string> lines;
  for (const auto& c : t.columns) lines.push_back(column_definition(c));
  // TiDB clusters rows by a primary key only when asked; the comment syntax is a no-op elsewhere.
  if (t.primary_key)
    lines.push_back("PRIMARY KEY (" + columns(t.primary_key->columns) + ") /*T![clustered_index] CLUSTERED */");
  for (const auto& u : t.uniques) lines.push_back("UNIQUE KEY " + d_.quote(u.name) + " (" + columns(u.columns) + ")");
  // Indexes inline, before the foreign keys, so that a key finds its index instead of making one up.
  for (const auto& ix : t.indexes)
    lines.push_back(std::string(ix.unique ? "UNIQUE KEY " : "KEY ") + d_.quote(ix.name) + " (" + key_parts(ix) + ")");
  for (const auto& c : t.checks) lines.push_back("CONSTRAINT " + d_.quote(c.name) + " CHECK (" + c.expr + ")");
  for (const auto& fk : t.foreign_keys) lines.push_back(foreign_key_clause(fk));
  std::string out = "CREATE TABLE IF NOT EXISTS " + d_.quote(t.name) + " (\n    " + join(lines, ",\n    ") +
                    "\n) ENGINE=InnoDB DEFAULT CHARSET=" + charset + " COLLATE=" + collation;
  if (!t.comment.empty()) out += " COMMENT=" + d_.string_literal(t.comment);
  return out + ";\n";
}

std::string Ddl::key_parts(const schema::Index& ix) const {
  std::vector<std::string> keys;
  for (const auto& k : ix.keys) {
    std::string key = d_.quote(k.text);
    if (k.prefix > 0) key += "(" + std::to_string(k.prefix) + ")";
    if (k.order == "DESC") key += " DESC";
    keys.push_back(key);
  }
  return join(keys, ", ");
}

std::string Ddl::create_index(const schema::Index& ix) const {
  return std::string("CREATE ") + (ix.unique ? "UNIQUE " : "") + "INDEX IF NOT EXISTS " + d_.quote(ix.name) + " ON " +
         d_.quote(ix.table) + " (" + key_parts(ix) + ");\n";
}

std::string Ddl::create_view(const schema::View& v) const {
  return "CREATE OR REPLACE VIEW " + d_.quote(v.name) + " AS\n" + v.sql + ";\n";
}

std::string Ddl::insert_rows(const schema::Table& t) const {
  if (t.rows.values.empty()) return {};
  std::vector<std::string> rows;
  for (const auto& r : t.rows.values) rows.push_back("(" + join(r, ", ") + ")");
  return "INSERT IGNORE INTO " + d_.quote(t.name) + " (" + columns(t.rows.columns) + ") VALUES\n    " +
         join(rows, ",\n    ") + ";\n";
}

}  // namespace schemactl::tidb

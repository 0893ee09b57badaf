#include "catalog_form.hpp"

#include <regex>

#include "dialect/dialect.hpp"
#include "util/text.hpp"

namespace schemactl::test {

std::string pg_catalog_type(const std::string& lowered) {
  std::string t = trim(lowered);
  if (t.size() > 2 && t.compare(t.size() - 2, 2, "[]") == 0) return pg_catalog_type(t.substr(0, t.size() - 2)) + "[]";
  if (auto dot = t.find('.'); dot != std::string::npos && t.find('(') == std::string::npos) return t.substr(dot + 1);
  std::string u = to_upper(t);
  static const std::pair<const char*, const char*> names[] = {{"UUID", "uuid"},
                                                              {"TEXT", "text"},
                                                              {"SMALLINT", "smallint"},
                                                              {"INTEGER", "integer"},
                                                              {"INT", "integer"},
                                                              {"INT4", "integer"},
                                                              {"BIGINT", "bigint"},
                                                              {"INT8", "bigint"},
                                                              {"SERIAL", "integer"},
                                                              {"BIGSERIAL", "bigint"},
                                                              {"REAL", "real"},
                                                              {"FLOAT4", "real"},
                                                              {"DOUBLE PRECISION", "double precision"},
                                                              {"FLOAT8", "double precision"},
                                                              {"FLOAT", "double precision"},
                                                              {"BOOLEAN", "boolean"},
                                                              {"BOOL", "boolean"},
                                                              {"DATE", "date"},
                                                              {"TIME", "time without time zone"},
                                                              {"TIMESTAMP", "timestamp without time zone"},
                                                              {"TIMESTAMPTZ", "timestamp with time zone"},
                                                              {"JSONB", "jsonb"},
                                                              {"JSON", "json"},
                                                              {"BYTEA", "bytea"}};
  for (const auto& [from, to] : names)
    if (u == from) return to;
  if (starts_with(u, "VARCHAR(")) return "character varying" + t.substr(7);
  if (starts_with(u, "NUMERIC(") || starts_with(u, "DECIMAL(")) return "numeric" + t.substr(7);
  return to_lower(t);
}

std::string pg_catalog_default(const std::string& value) {
  static const std::regex cast("::[a-z_ ]+(\\[\\])?");
  std::string v = std::regex_replace(to_lower(trim(value)), cast, "");
  if (v.size() > 1 && v.front() == '(' && v.back() == ')') v = v.substr(1, v.size() - 2);
  return v;
}

std::string mariadb_catalog_type(const std::string& lowered) {
  std::string u = to_upper(trim(lowered));
  if (u == "INT") return "int(11)";
  if (u == "BIGINT") return "bigint(20)";
  if (u == "SMALLINT") return "smallint(6)";
  if (u == "BOOLEAN") return "tinyint(1)";
  if (u == "JSON") return "longtext";
  if (starts_with(u, "ENUM(")) {
    std::string out;
    std::string t = trim(lowered);
    bool quoted = false;
    for (char c : t) {
      if (c == '\'') quoted = !quoted;
      if (!quoted && c == ' ') continue;
      out += c;
    }
    return "enum" + out.substr(4);
  }
  return to_lower(trim(lowered));
}

std::string mariadb_catalog_default(const std::string& value) {
  std::string v = to_lower(trim(value));
  if (v.empty()) return "null";
  if (v == "true") return "1";
  if (v == "false") return "0";
  if (v == "(current_date)") return "curdate()";
  if (v.size() > 1 && v.front() == '(' && v.back() == ')') v = v.substr(1, v.size() - 2);
  // MariaDB prints numeric defaults in their shortest form: 1.0 -> 1.
  static const std::regex trailing_zeros("^(-?[0-9]+)\\.0+$");
  return std::regex_replace(v, trailing_zeros, "$1");
}

std::string dump(const schema::Schema& s) {
  std::string out;
  for (const auto& t : s.tables) {
    out += "table " + t.name + " comment=" + t.comment + "\n";
    for (const auto& c : t.columns)
      out += "  column " + c.name + " " + c.type + (c.nullable ? " null" : " not null") + " default=" + c.default_sql +
             " comment=" + c.comment + "\n";
    if (t.primary_key) out += "  pk " + t.primary_key->name + " " + join(t.primary_key->columns, ",") + "\n";
    for (const auto& u : t.uniques) out += "  unique " + u.name + " " + join(u.columns, ",") + "\n";
    for (const auto& c : t.checks) out += "  check " + c.name + " " + c.expr + "\n";
    for (const auto& f : t.foreign_keys)
      out += "  fk " + f.name + " " + join(f.columns, ",") + " -> " + f.ref_table + "(" + join(f.ref_columns, ",") +
             ") " + f.on_delete + "/" + f.on_update + "\n";
    for (const auto& x : t.exclusions) out += "  exclusion " + x.name + "\n";
    for (const auto& ix : t.indexes) {
      out += "  index " + ix.name + (ix.unique ? " unique " : " ") + ix.method;
      for (const auto& k : ix.keys) out += " " + k.text + ":" + k.order + ":" + std::to_string(k.prefix);
      out += "\n";
    }
  }
  for (const auto& v : s.views)
    out += std::string(v.materialized ? "matview " : "view ") + v.name + "\n" + v.sql + "\n";
  for (const auto& f : s.functions) out += "function " + f.name + "(" + f.arguments + ") " + f.returns + "\n";
  for (const auto& e : s.enums) out += "enum " + e.name + " " + join(e.values, ",") + "\n";
  for (const auto& e : s.extensions) out += "extension " + e.name + "\n";
  return out;
}

// The application's own tables that the registry only references, created so install.sql can
// point foreign keys at them (as they exist in the application's database).
std::string external_fixture(const schema::Schema& s) {
  schema::Schema fixture;
  fixture.dialect = s.dialect;
  fixture.pg_schema = s.pg_schema;
  fixture.tidb_charset = s.tidb_charset;
  fixture.tidb_collation = s.tidb_collation;
  for (const auto& t : s.tables)
    if (t.external) {
      schema::Table copy = t;
      copy.external = false;
      copy.primary_key = schema::PrimaryKey{t.name + "_pkey", {}};
      for (const auto& c : t.columns)
        if (!c.nullable) copy.primary_key->columns.push_back(c.name);
      fixture.tables.push_back(copy);
    }
  return fixture.tables.empty() ? std::string() : dialect_for(s.dialect).render_install(fixture);
}

}  // namespace schemactl::test

#include "inspect/column_type.hpp"

#include <regex>

#include "util/text.hpp"

namespace schemactl::inspect {
namespace {

// Postgres scalar types that a logical type lowers to, spelled as format_type() prints them.
std::string pg_scalar(const std::string& t, const std::set<std::string>& enums) {
  static const std::pair<const char*, const char*> names[] = {{"uuid", "uuid"},
                                                              {"text", "text"},
                                                              {"smallint", "smallint"},
                                                              {"integer", "int"},
                                                              {"bigint", "bigint"},
                                                              {"real", "float"},
                                                              {"double precision", "double"},
                                                              {"boolean", "bool"},
                                                              {"date", "date"},
                                                              {"time without time zone", "time"},
                                                              {"timestamp without time zone", "timestamp"},
                                                              {"timestamp with time zone", "timestamptz"},
                                                              {"jsonb", "json"},
                                                              {"bytea", "bytes"}};
  for (const auto& [from, to] : names)
    if (t == from) return to;
  static const std::regex varchar("^character varying\\(([0-9]+)\\)$");
  static const std::regex numeric("^numeric\\(([0-9]+),([0-9]+)\\)$");
  static const std::regex vector("^vector\\(([0-9]+)\\)$");
  std::smatch m;
  if (std::regex_match(t, m, varchar)) return "string(" + m[1].str() + ")";
  if (std::regex_match(t, m, numeric)) return "decimal(" + m[1].str() + "," + m[2].str() + ")";
  if (std::regex_match(t, m, vector)) return "vector(" + m[1].str() + ")";
  std::string name = t;
  if (name.size() > 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
  if (enums.count(name)) return "enum(" + name + ")";
  return {};
}

// The logical type closest to a Postgres type no logical type lowers to exactly (its override
// carries the real type).
std::string pg_fallback(const std::string& t) {
  if (starts_with(t, "character varying") || starts_with(t, "character") || t == "citext" || t == "name") return "text";
  if (starts_with(t, "numeric")) return "decimal(38,10)";
  if (starts_with(t, "timestamp") && t.find("with time zone") != std::string::npos) return "timestamptz";
  if (starts_with(t, "timestamp")) return "timestamp";
  if (starts_with(t, "time")) return "time";
  if (t == "json") return "json";
  if (t.size() > 2 && t.compare(t.size() - 2, 2, "[]") == 0) return "json";
  return "text";
}

std::string mysql_scalar(const std::string& t, bool serial) {
  static const std::pair<const char*, const char*> names[] = {{"int(11)", "int"},
                                                              {"bigint(20)", "bigint"},
                                                              {"smallint(6)", "smallint"},
                                                              {"int", "int"},
                                                              {"bigint", "bigint"},
                                                              {"smallint", "smallint"},
                                                              {"float", "float"},
                                                              {"double", "double"},
                                                              {"tinyint(1)", "bool"},
                                                              {"date", "date"},
                                                              {"time(6)", "time"},
                                                              {"datetime(6)", "timestamp"},
                                                              {"timestamp(6)", "timestamptz"},
                                                              {"text", "text"},
                                                              {"longblob", "bytes"},
                                                              {"json", "json"}};
  for (const auto& [from, to] : names)
    if (t == from) {
      std::string logical = to;
      if (serial && logical == "int") return "serial";
      if (serial && logical == "bigint") return "bigserial";
      return logical;
    }
  static const std::regex varchar("^varchar\\(([0-9]+)\\)$");
  static const std::regex decimal("^decimal\\(([0-9]+),([0-9]+)\\)$");
  std::smatch m;
  if (std::regex_match(t, m, varchar)) return "string(" + m[1].str() + ")";
  if (std::regex_match(t, m, decimal)) return "decimal(" + m[1].str() + "," + m[2].str() + ")";
  return {};
}

std::string mysql_fallback(const std::string& t, bool serial) {
  if (serial) return starts_with(t, "bigint") ? "bigserial" : "serial";
  if (starts_with(t, "bigint")) return "bigint";
  if (starts_with(t, "int") || starts_with(t, "mediumint")) return "int";
  if (starts_with(t, "smallint") || starts_with(t, "tinyint")) return "smallint";
  if (starts_with(t, "decimal")) return "decimal(38,10)";
  if (starts_with(t, "double")) return "double";
  if (starts_with(t, "float")) return "float";
  if (starts_with(t, "datetime")) return "timestamp";
  if (starts_with(t, "timestamp")) return "timestamptz";
  if (starts_with(t, "time")) return "time";
  if (t.find("blob") != std::string::npos || starts_with(t, "binary") || starts_with(t, "varbinary")) return "bytes";
  return "text";
}

}  // namespace

bool parse_mysql_enum(const std::string& catalog_type, std::vector<std::string>& values) {
  values.clear();
  if (!starts_with(to_lower(catalog_type), "enum(") || catalog_type.back() != ')') return false;
  std::string body = catalog_type.substr(5, catalog_type.size() - 6);
  std::size_t i = 0;
  while (i < body.size()) {
    if (body[i] != '\'') return false;
    std::string v;
    ++i;
    for (; i < body.size(); ++i) {
      if (body[i] == '\'' && i + 1 < body.size() && body[i + 1] == '\'') {
        v += '\'';
        ++i;
      } else if (body[i] == '\\' && i + 1 < body.size()) {
        v += body[++i];
      } else if (body[i] == '\'') {
        break;
      } else {
        v += body[i];
      }
    }
    if (i >= body.size()) return false;
    values.push_back(v);
    ++i;
    if (i < body.size()) {
      if (body[i] != ',') return false;
      ++i;
    }
  }
  return !values.empty();
}

ColumnType read_column_type(DialectId dialect, const std::string& catalog_type, const std::set<std::string>& enums,
                            bool serial) {
  std::string t = trim(catalog_type);
  if (dialect == DialectId::postgres) {
    if (serial && (t == "integer" || t == "bigint")) return {t == "integer" ? "serial" : "bigserial", ""};
    if (t.size() > 2 && t.compare(t.size() - 2, 2, "[]") == 0) {
      std::string element = pg_scalar(t.substr(0, t.size() - 2), enums);
      if (!element.empty() && element != "json" && element != "bytes" && !starts_with(element, "enum(") &&
          !starts_with(element, "vector("))
        return {"list<" + element + ">", ""};
      return {"json", t};
    }
    if (std::string logical = pg_scalar(t, enums); !logical.empty()) return {logical, ""};
    return {pg_fallback(t), t};
  }
  std::string lower = to_lower(t);
  if (std::string logical = mysql_scalar(lower, serial); !logical.empty()) return {logical, ""};
  return {mysql_fallback(lower, serial), t};
}

}  // namespace schemactl::inspect

#include "inspect/column_default.hpp"

#include <regex>

#include "inspect/document.hpp"
#include "util/text.hpp"

namespace schemactl::inspect {
namespace {

using json = nlohmann::ordered_json;

bool is_number(const std::string& s) {
  static const std::regex number("^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$");
  return std::regex_match(s, number);
}

bool numeric_type(const std::string& logical) {
  for (const char* k : {"smallint", "int", "bigint", "float", "double", "decimal("})
    if (logical == k || (k[std::char_traits<char>::length(k) - 1] == '(' && starts_with(logical, k))) return true;
  return false;
}

// Types whose values a plain YAML string literal gives (the dialect quotes it).
bool string_type(const std::string& logical) {
  return logical == "text" || logical == "uuid" || logical == "date" || logical == "time" || logical == "timestamp" ||
         logical == "timestamptz" || starts_with(logical, "string(") || starts_with(logical, "enum(");
}

// "'it''s'" -> "it's"; false when `quoted` is not one complete quoted string. `backslashes`: MySQL
// escapes (\\, \', \n ...) inside the quotes.
bool unquote(const std::string& quoted, bool backslashes, std::string& out) {
  if (quoted.size() < 2 || quoted.front() != '\'' || quoted.back() != '\'') return false;
  out.clear();
  for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
    char c = quoted[i];
    if (c == '\'') {
      if (i + 2 < quoted.size() && quoted[i + 1] == '\'') {
        out += '\'';
        ++i;
        continue;
      }
      return false;
    }
    if (backslashes && c == '\\' && i + 2 < quoted.size()) {
      char n = quoted[++i];
      out += n == 'n' ? '\n' : n == 't' ? '\t' : n == 'r' ? '\r' : n == '0' ? '\0' : n;
      continue;
    }
    out += c;
  }
  return true;
}

json named(const char* expr) {
  return json{{"expr", expr}};
}

ColumnDefault raw(DialectId d, const std::string& sql) {
  return {ColumnDefault::Kind::sql, json{{"sql", json{{dialect_name(d), sql}}}}};
}

ColumnDefault postgres_default(const std::string& v, const std::string& logical, const std::string& type) {
  bool list = starts_with(logical, "list<");
  if (v == "now()" && (logical == "timestamptz" || logical == "timestamp"))
    return {ColumnDefault::Kind::named, named("now")};
  if (v == "CURRENT_DATE" && logical == "date") return {ColumnDefault::Kind::named, named("current_date")};
  if (v == "gen_random_uuid()" && logical == "uuid") return {ColumnDefault::Kind::named, named("uuid")};
  if (logical == "json" && (type == "jsonb" || type == "json")) {
    if (v == "'{}'::" + type) return {ColumnDefault::Kind::named, named("empty_object")};
    if (v == "'[]'::" + type) return {ColumnDefault::Kind::named, named("empty_array")};
  }
  if (list && v == "'{}'::" + type) return {ColumnDefault::Kind::named, named("empty_array")};
  if (logical == "bool" && (v == "true" || v == "false")) return {ColumnDefault::Kind::literal, json(v == "true")};
  if (numeric_type(logical)) {
    std::string number = v, inner;
    // Negative numbers come back quoted and cast: '-1'::integer.
    static const std::regex cast("^('[^']*')::(integer|bigint|smallint|numeric|real|double precision)$");
    std::smatch m;
    if (std::regex_match(v, m, cast) && unquote(m[1].str(), false, inner)) number = inner;
    if (is_number(number)) return {ColumnDefault::Kind::literal, inspect::number(number)};
  }
  if (string_type(logical)) {
    // 'text'::type, with the cast the column's own type (or text for a varchar column).
    auto cast = v.rfind("'::");
    std::string text;
    if (cast != std::string::npos && unquote(v.substr(0, cast + 1), false, text)) {
      std::string to = v.substr(cast + 3);
      std::string bare = type;
      if (auto paren = bare.find('('); paren != std::string::npos) bare = bare.substr(0, paren);
      if (to == type || to == bare || to == "\"" + type + "\"" || to == "text")
        return {ColumnDefault::Kind::literal, json(text)};
    }
  }
  return raw(DialectId::postgres, v);
}

ColumnDefault mysql_default(const std::string& v, const std::string& logical, const std::string& type) {
  std::string lower = to_lower(v);
  auto open = type.find('(');
  std::string fsp = open == std::string::npos ? "()" : type.substr(open);
  if ((logical == "timestamptz" || logical == "timestamp") && lower == "current_timestamp" + fsp)
    return {ColumnDefault::Kind::named, named("now")};
  bool json_like = logical == "json" || starts_with(logical, "list<");
  if (lower == "curdate()" && logical == "date") return {ColumnDefault::Kind::named, named("current_date")};
  if (lower == "uuid()" && (logical == "uuid" || starts_with(logical, "string(")))
    return {ColumnDefault::Kind::named, named("uuid")};
  if (lower == "json_object()" && logical == "json") return {ColumnDefault::Kind::named, named("empty_object")};
  if (lower == "json_array()" && json_like) return {ColumnDefault::Kind::named, named("empty_array")};
  if (logical == "bool" && (v == "1" || v == "0")) return {ColumnDefault::Kind::literal, json(v == "1")};
  if (numeric_type(logical) && is_number(v)) return {ColumnDefault::Kind::literal, inspect::number(v)};
  std::string text;
  if (string_type(logical) && unquote(v, true, text)) return {ColumnDefault::Kind::literal, json(text)};
  // The catalog shows an expression default without the parentheses its DEFAULT clause needs.
  bool constant = v.front() == '\'' || is_number(v) || starts_with(lower, "current_timestamp");
  return raw(DialectId::tidb, constant ? v : "(" + v + ")");
}

}  // namespace

ColumnDefault read_column_default(DialectId dialect, const std::string& catalog_default, const std::string& logical,
                                  const std::string& catalog_type) {
  std::string v = trim(catalog_default);
  if (v.empty()) return {};
  if (dialect == DialectId::postgres) return postgres_default(v, logical, catalog_type);
  if (v == "NULL") return {};  // MariaDB: a nullable column without a default
  return mysql_default(v, logical, to_lower(catalog_type));
}

}  // namespace schemactl::inspect

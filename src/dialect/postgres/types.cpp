// How the registry's logical types, defaults and literals become Postgres SQL.
#include <algorithm>
#include <set>

#include "dialect/postgres/postgres.hpp"
#include "util/text.hpp"

namespace schemactl {

using registry::LogicalType;
using registry::TypeKind;

namespace {

std::string scalar_type(const PostgresDialect& d, const LogicalType& t, const registry::Registry& reg) {
  switch (t.kind) {
    case TypeKind::uuid:
      return "UUID";
    case TypeKind::string:
      return "VARCHAR(" + std::to_string(t.length) + ")";
    case TypeKind::text:
      return "TEXT";
    case TypeKind::smallint:
      return "SMALLINT";
    case TypeKind::int_:
      return "INTEGER";
    case TypeKind::bigint:
      return "BIGINT";
    case TypeKind::serial:
      return "SERIAL";
    case TypeKind::bigserial:
      return "BIGSERIAL";
    case TypeKind::float_:
      return "REAL";
    case TypeKind::double_:
      return "DOUBLE PRECISION";
    case TypeKind::decimal:
      return "NUMERIC(" + std::to_string(t.precision) + "," + std::to_string(t.scale) + ")";
    case TypeKind::bool_:
      return "BOOLEAN";
    case TypeKind::date:
      return "DATE";
    case TypeKind::time:
      return "TIME";
    case TypeKind::timestamp:
      return "TIMESTAMP";
    case TypeKind::timestamptz:
      return "TIMESTAMPTZ";
    case TypeKind::json:
      return "JSONB";
    case TypeKind::list:
      return t.element.empty() ? "TEXT[]" : scalar_type(d, t.element[0], reg) + "[]";
    case TypeKind::enum_:
      return d.quote(reg.pg_schema) + "." + d.quote(t.enum_name);
    case TypeKind::vector:
      return "vector(" + std::to_string(t.length) + ")";
    case TypeKind::bytes:
      return "BYTEA";
  }
  return "TEXT";
}

// Reserved, type/function-name and column-name keywords of PostgreSQL 15: a name among them is
// quoted (unreserved keywords such as "name" or "key" need no quotes).
const std::set<std::string>& keywords() {
  static const std::set<std::string> words = {"all",
                                              "analyse",
                                              "analyze",
                                              "and",
                                              "any",
                                              "array",
                                              "as",
                                              "asc",
                                              "asymmetric",
                                              "authorization",
                                              "between",
                                              "bigint",
                                              "binary",
                                              "bit",
                                              "boolean",
                                              "both",
                                              "case",
                                              "cast",
                                              "char",
                                              "character",
                                              "check",
                                              "coalesce",
                                              "collate",
                                              "collation",
                                              "column",
                                              "concurrently",
                                              "constraint",
                                              "create",
                                              "cross",
                                              "current_catalog",
                                              "current_date",
                                              "current_role",
                                              "current_schema",
                                              "current_time",
                                              "current_timestamp",
                                              "current_user",
                                              "dec",
                                              "decimal",
                                              "default",
                                              "deferrable",
                                              "desc",
                                              "distinct",
                                              "do",
                                              "else",
                                              "end",
                                              "except",
                                              "exists",
                                              "extract",
                                              "false",
                                              "fetch",
                                              "float",
                                              "for",
                                              "foreign",
                                              "freeze",
                                              "from",
                                              "full",
                                              "grant",
                                              "greatest",
                                              "group",
                                              "grouping",
                                              "having",
                                              "ilike",
                                              "in",
                                              "initially",
                                              "inner",
                                              "inout",
                                              "int",
                                              "integer",
                                              "intersect",
                                              "interval",
                                              "into",
                                              "is",
                                              "isnull",
                                              "join",
                                              "lateral",
                                              "leading",
                                              "least",
                                              "left",
                                              "like",
                                              "limit",
                                              "localtime",
                                              "localtimestamp",
                                              "national",
                                              "natural",
                                              "nchar",
                                              "none",
                                              "normalize",
                                              "not",
                                              "notnull",
                                              "null",
                                              "nullif",
                                              "numeric",
                                              "offset",
                                              "on",
                                              "only",
                                              "or",
                                              "order",
                                              "out",
                                              "outer",
                                              "overlaps",
                                              "overlay",
                                              "placing",
                                              "position",
                                              "precision",
                                              "primary",
                                              "real",
                                              "references",
                                              "returning",
                                              "right",
                                              "row",
                                              "select",
                                              "session_user",
                                              "setof",
                                              "similar",
                                              "smallint",
                                              "some",
                                              "substring",
                                              "symmetric",
                                              "table",
                                              "tablesample",
                                              "then",
                                              "time",
                                              "timestamp",
                                              "to",
                                              "trailing",
                                              "treat",
                                              "trim",
                                              "true",
                                              "union",
                                              "unique",
                                              "user",
                                              "using",
                                              "values",
                                              "varchar",
                                              "variadic",
                                              "verbose",
                                              "when",
                                              "where",
                                              "window",
                                              "with",
                                              "xmlattributes",
                                              "xmlconcat",
                                              "xmlelement",
                                              "xmlexists",
                                              "xmlforest",
                                              "xmlnamespaces",
                                              "xmlparse",
                                              "xmlpi",
                                              "xmlroot",
                                              "xmlserialize",
                                              "xmltable"};
  return words;
}

}  // namespace

std::string PostgresDialect::sql_type(const LogicalType& type, const registry::Registry& reg) const {
  return scalar_type(*this, type, reg);
}

std::string PostgresDialect::type_problem(const LogicalType& type, const registry::Registry& reg) const {
  if (type.kind != TypeKind::vector) return {};
  for (const auto& e : reg.extensions)
    if (e.name == "vector" && exists_in(e.dialects, DialectId::postgres)) return {};
  return "vector(" + std::to_string(type.length) +
         ") needs the pgvector extension on postgres: declare `vector` under `extensions:`";
}

std::string PostgresDialect::named_on_update(const std::string&, const schema::Column&, std::string& problem) const {
  problem =
      "PostgreSQL has no ON UPDATE for a column (it takes a trigger, which schemactl does not write); "
      "on_update belongs in the column's tidb override";
  return {};
}

std::string PostgresDialect::named_default(const std::string& expr, const LogicalType& type,
                                           const std::string& sql_type) const {
  if (expr == "now") return "now()";
  if (expr == "current_date") return "CURRENT_DATE";
  if (expr == "uuid") return "gen_random_uuid()";
  bool array = sql_type.size() > 2 && sql_type.compare(sql_type.size() - 2, 2, "[]") == 0;
  if (expr == "empty_array") return array ? "'{}'" : "'[]'::" + to_lower(sql_type);
  if (expr == "empty_object") return "'{}'::" + to_lower(sql_type);
  (void)type;
  return expr;
}

std::string PostgresDialect::string_literal(std::string_view value) const {
  // Read the same whatever standard_conforming_strings says: without a backslash, '...' with the
  // quote doubled; with one, an escape string E'...' with backslashes and quotes doubled (in a plain
  // '...' a backslash would be an escape when the setting is off).
  bool backslash = value.find('\\') != std::string_view::npos;
  std::string out = backslash ? "E'" : "'";
  for (char c : value) {
    if (c == '\'')
      out += "''";
    else if (c == '\\')
      out += "\\\\";
    else
      out += c;
  }
  return out + "'";
}

std::string PostgresDialect::quote(std::string_view identifier) const {
  std::string id(identifier);
  bool plain = !id.empty() && (std::islower(static_cast<unsigned char>(id[0])) || id[0] == '_');
  for (char c : id)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      plain = false;
  if (plain && !keywords().count(id)) return id;
  std::string out = "\"";
  for (char c : id) {
    if (c == '"')
      out += "\"\"";
    else
      out += c;
  }
  return out + "\"";
}

// Postgres holds every index form the registry can express; a key-part `prefix:` is a TiDB
// notion that Postgres ignores (it indexes the whole value).
std::string PostgresDialect::adapt_index(schema::Index&, const schema::Table&) const {
  return {};
}

}  // namespace schemactl

namespace schemactl {

// Text compares byte for byte (the registry's columns have deterministic collations), but a
// CHAR(n) (an override) ignores trailing spaces; a uuid compares its value, however it is spelled
// (case, hyphens, braces).
Dialect::UniqueForm PostgresDialect::unique_form(const LogicalType& type, const std::string& value,
                                                 const schema::Column& column, const registry::Registry&) const {
  std::string sql = to_lower(trim(column.type));
  if ((starts_with(sql, "char") && !starts_with(sql, "character varying")) || starts_with(sql, "bpchar")) {
    if (type.kind == TypeKind::uuid || type.kind == TypeKind::string || type.kind == TypeKind::text) {
      std::string form = value;
      form.erase(form.find_last_not_of(' ') + 1);
      return {form, column.type + " ignores trailing spaces"};
    }
  }
  if (type.kind != TypeKind::uuid) return {value, ""};
  std::string form;
  for (char c : to_lower(value))
    if (c != '-' && c != '{' && c != '}') form += c;
  return {form, "a uuid compares by its value, not its spelling"};
}

// NUMERIC without a precision keeps any number of digits.
std::optional<int> PostgresDialect::fraction_digits(const std::string& sql_type) const {
  return exact_number_digits(sql_type, std::nullopt);
}

}  // namespace schemactl

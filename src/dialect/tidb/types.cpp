// How the registry's logical types, defaults and literals become TiDB SQL.
#include <set>

#include "dialect/tidb/tidb.hpp"
#include "util/text.hpp"

namespace schemactl {

using registry::LogicalType;
using registry::TypeKind;

namespace {

// Reserved words of MySQL 8.0 (docs: "Keywords and Reserved Words in MySQL 8.0", marked R) and of
// TiDB (docs: "Keywords", marked R and R-Window), plus older TiDB ones: any of them as a name is
// backquoted. The MySQL list matters because MariaDB stands in for TiDB and because a registry
// may be installed on MySQL itself (`return`, `signal`, `before`, ... are reserved there).
const std::set<std::string>& reserved() {
  static const std::set<std::string> words = {"accessible",
                                              "add",
                                              "all",
                                              "alter",
                                              "analyze",
                                              "and",
                                              "array",
                                              "as",
                                              "asc",
                                              "asensitive",
                                              "before",
                                              "between",
                                              "bigint",
                                              "binary",
                                              "blob",
                                              "both",
                                              "by",
                                              "call",
                                              "cascade",
                                              "case",
                                              "change",
                                              "char",
                                              "character",
                                              "check",
                                              "collate",
                                              "column",
                                              "condition",
                                              "constraint",
                                              "continue",
                                              "convert",
                                              "create",
                                              "cross",
                                              "cube",
                                              "cume_dist",
                                              "current_date",
                                              "current_role",
                                              "current_time",
                                              "current_timestamp",
                                              "current_user",
                                              "cursor",
                                              "database",
                                              "databases",
                                              "day_hour",
                                              "day_microsecond",
                                              "day_minute",
                                              "day_second",
                                              "dec",
                                              "decimal",
                                              "declare",
                                              "default",
                                              "delayed",
                                              "delete",
                                              "dense_rank",
                                              "desc",
                                              "describe",
                                              "deterministic",
                                              "distinct",
                                              "distinctrow",
                                              "div",
                                              "double",
                                              "drop",
                                              "dual",
                                              "each",
                                              "else",
                                              "elseif",
                                              "empty",
                                              "enclosed",
                                              "escaped",
                                              "except",
                                              "exists",
                                              "exit",
                                              "explain",
                                              "false",
                                              "fetch",
                                              "first_value",
                                              "float",
                                              "float4",
                                              "float8",
                                              "for",
                                              "force",
                                              "foreign",
                                              "from",
                                              "fulltext",
                                              "function",
                                              "generated",
                                              "get",
                                              "grant",
                                              "group",
                                              "grouping",
                                              "groups",
                                              "having",
                                              "high_priority",
                                              "hour_microsecond",
                                              "hour_minute",
                                              "hour_second",
                                              "if",
                                              "ignore",
                                              "ilike",
                                              "in",
                                              "index",
                                              "infile",
                                              "inner",
                                              "inout",
                                              "insensitive",
                                              "insert",
                                              "int",
                                              "int1",
                                              "int2",
                                              "int3",
                                              "int4",
                                              "int8",
                                              "integer",
                                              "intersect",
                                              "interval",
                                              "into",
                                              "io_after_gtids",
                                              "io_before_gtids",
                                              "is",
                                              "iterate",
                                              "join",
                                              "json_table",
                                              "key",
                                              "keys",
                                              "kill",
                                              "lag",
                                              "last_value",
                                              "lateral",
                                              "lead",
                                              "leading",
                                              "leave",
                                              "left",
                                              "like",
                                              "limit",
                                              "linear",
                                              "lines",
                                              "load",
                                              "localtime",
                                              "localtimestamp",
                                              "lock",
                                              "long",
                                              "longblob",
                                              "longtext",
                                              "loop",
                                              "low_priority",
                                              "master_bind",
                                              "master_ssl_verify_server_cert",
                                              "match",
                                              "maxvalue",
                                              "mediumblob",
                                              "mediumint",
                                              "mediumtext",
                                              "middleint",
                                              "minute_microsecond",
                                              "minute_second",
                                              "mod",
                                              "modifies",
                                              "natural",
                                              "no_write_to_binlog",
                                              "not",
                                              "nth_value",
                                              "ntile",
                                              "null",
                                              "numeric",
                                              "of",
                                              "on",
                                              "optimize",
                                              "optimizer_costs",
                                              "option",
                                              "optionally",
                                              "or",
                                              "order",
                                              "out",
                                              "outer",
                                              "outfile",
                                              "over",
                                              "partition",
                                              "percent_rank",
                                              "precision",
                                              "primary",
                                              "procedure",
                                              "purge",
                                              "qualify",
                                              "range",
                                              "rank",
                                              "read",
                                              "read_write",
                                              "reads",
                                              "real",
                                              "recursive",
                                              "references",
                                              "regexp",
                                              "release",
                                              "rename",
                                              "repeat",
                                              "replace",
                                              "require",
                                              "resignal",
                                              "restrict",
                                              "return",
                                              "revoke",
                                              "right",
                                              "rlike",
                                              "row",
                                              "row_number",
                                              "rows",
                                              "schema",
                                              "schemas",
                                              "second_microsecond",
                                              "select",
                                              "sensitive",
                                              "separator",
                                              "set",
                                              "show",
                                              "signal",
                                              "smallint",
                                              "spatial",
                                              "specific",
                                              "sql",
                                              "sql_big_result",
                                              "sql_calc_found_rows",
                                              "sql_small_result",
                                              "sqlexception",
                                              "sqlstate",
                                              "sqlwarning",
                                              "ssl",
                                              "starting",
                                              "stats_extended",
                                              "stored",
                                              "straight_join",
                                              "system",
                                              "table",
                                              "tablesample",
                                              "terminated",
                                              "then",
                                              "tidb_current_tso",
                                              "tinyblob",
                                              "tinyint",
                                              "tinytext",
                                              "to",
                                              "trailing",
                                              "trigger",
                                              "true",
                                              "undo",
                                              "union",
                                              "unique",
                                              "unlock",
                                              "unsigned",
                                              "until",
                                              "update",
                                              "usage",
                                              "use",
                                              "using",
                                              "utc_date",
                                              "utc_time",
                                              "utc_timestamp",
                                              "values",
                                              "varbinary",
                                              "varchar",
                                              "varcharacter",
                                              "varying",
                                              "virtual",
                                              "when",
                                              "where",
                                              "while",
                                              "window",
                                              "with",
                                              "write",
                                              "xor",
                                              "year_month",
                                              "zerofill"};
  return words;
}

std::string type_of(const LogicalType& t) {
  switch (t.kind) {
    case TypeKind::uuid:
      return "VARCHAR(36)";
    case TypeKind::string:
      return "VARCHAR(" + std::to_string(t.length) + ")";
    case TypeKind::text:
      return "TEXT";
    case TypeKind::smallint:
      return "SMALLINT";
    case TypeKind::int_:
    case TypeKind::serial:
      return "INT";
    case TypeKind::bigint:
    case TypeKind::bigserial:
      return "BIGINT";
    case TypeKind::float_:
      return "FLOAT";
    case TypeKind::double_:
      return "DOUBLE";
    case TypeKind::decimal:
      return "DECIMAL(" + std::to_string(t.precision) + "," + std::to_string(t.scale) + ")";
    case TypeKind::bool_:
      return "BOOLEAN";
    case TypeKind::date:
      return "DATE";
    case TypeKind::time:
      return "TIME(6)";
    case TypeKind::timestamp:
      return "DATETIME(6)";
    case TypeKind::timestamptz:
      return "TIMESTAMP(6)";
    case TypeKind::json:
    case TypeKind::list:
      return "JSON";
    case TypeKind::enum_:
      break;  // rendered by sql_type, which escapes the values
    case TypeKind::vector:
      return "VECTOR(" + std::to_string(t.length) + ")";
    case TypeKind::bytes:
      return "LONGBLOB";
  }
  return "TEXT";
}

}  // namespace

std::string TidbDialect::sql_type(const LogicalType& type, const registry::Registry& reg) const {
  if (type.kind == TypeKind::enum_) {
    // Enum values are literals inside the type: escape them like any literal.
    std::vector<std::string> values;
    if (const auto* e = reg.enum_type(type.enum_name))
      for (const auto& v : e->values) values.push_back(string_literal(v));
    return "ENUM(" + join(values, ", ") + ")";
  }
  return type_of(type);
}

bool TidbDialect::auto_increment(const LogicalType& type) const {
  return type.kind == TypeKind::serial || type.kind == TypeKind::bigserial;
}

std::string TidbDialect::named_default(const std::string& expr, const LogicalType&, const std::string& sql_type) const {
  // TIMESTAMP(6) needs CURRENT_TIMESTAMP(6): the precision of default and column must agree.
  auto open = sql_type.find('(');
  std::string fsp = open == std::string::npos ? "" : sql_type.substr(open);
  if (expr == "now") return "CURRENT_TIMESTAMP" + fsp;
  if (expr == "current_date") return "(CURRENT_DATE)";
  if (expr == "uuid") return "(UUID())";
  if (expr == "empty_object") return "(JSON_OBJECT())";
  if (expr == "empty_array") return "(JSON_ARRAY())";
  return expr;
}

std::string TidbDialect::named_on_update(const std::string& expr, const schema::Column& column,
                                         std::string& problem) const {
  // MySQL, MariaDB and TiDB take ON UPDATE only on TIMESTAMP and DATETIME, with the column's precision
  // (TIMESTAMP(3) ... ON UPDATE CURRENT_TIMESTAMP(3)); another precision is error 1067.
  std::string type = to_upper(trim(column.type));
  auto open = type.find('(');
  std::string base = trim(type.substr(0, open));
  if (base != "TIMESTAMP" && base != "DATETIME") {
    problem = "ON UPDATE " + std::string(expr == "now" ? "CURRENT_TIMESTAMP" : expr) +
              " needs a TIMESTAMP or DATETIME column; " + column.name + " is " + column.type;
    return {};
  }
  std::string fsp = open == std::string::npos ? "" : type.substr(open);
  if (expr == "now") return "CURRENT_TIMESTAMP" + fsp;
  problem = "unknown on_update expression '" + expr + "'";
  return {};
}

std::string TidbDialect::string_literal(std::string_view value) const {
  // MySQL strings treat the backslash as an escape: double it, as well as the quote.
  std::string out = "'";
  for (char c : value) {
    if (c == '\'')
      out += "''";
    else if (c == '\\')
      out += "\\\\";
    else if (c == '\0')
      out += "\\0";
    else
      out += c;
  }
  return out + "'";
}

std::string TidbDialect::quote(std::string_view identifier) const {
  std::string id(identifier);
  bool plain = !id.empty() && !std::isdigit(static_cast<unsigned char>(id[0]));
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) plain = false;
  if (plain && !reserved().count(to_lower(id))) return id;
  std::string out = "`";
  for (char c : id) {
    if (c == '`')
      out += "``";
    else
      out += c;
  }
  return out + "`";
}

bool TidbDialect::is_json_type(const std::string& sql_type) {
  return starts_with(to_upper(sql_type), "JSON");
}

bool TidbDialect::is_long_type(const std::string& sql_type) {
  std::string t = to_upper(sql_type);
  for (const char* prefix :
       {"TEXT", "TINYTEXT", "MEDIUMTEXT", "LONGTEXT", "BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB", "JSON"})
    if (starts_with(t, prefix)) return true;
  return false;
}

std::string TidbDialect::key_problem(const std::vector<std::string>& columns, const schema::Table& table) const {
  for (const auto& name : columns) {
    const schema::Column* c = table.column(name);
    if (c && is_long_type(c->type))
      return "column " + name + " is " + c->type + ", which TiDB cannot use in a key without a prefix length";
  }
  return {};
}

std::string TidbDialect::auto_increment_problem(const std::string& column, const schema::Table& table) const {
  for (const auto& c : table.columns) {
    if (c.name == column) break;
    if (c.auto_increment)
      return "the table has another AUTO_INCREMENT column (" + c.name +
             "): TiDB (like MySQL and MariaDB) allows one per table";
  }
  if (table.primary_key && !table.primary_key->columns.empty() && table.primary_key->columns.front() == column)
    return {};
  for (const auto& u : table.uniques)
    if (!u.columns.empty() && u.columns.front() == column) return {};
  for (const auto& ix : table.indexes)
    if (!ix.keys.empty() && !ix.keys.front().expression && ix.keys.front().text == column) return {};
  return "TiDB (like MySQL and MariaDB) requires an AUTO_INCREMENT column to be the first column of a key, and " +
         column + " leads none: give it `unique: true` or an index whose first column is " + column;
}

std::string TidbDialect::adapt_index(schema::Index& ix, const schema::Table& table) const {
  if (!ix.method.empty() && ix.method != "btree") return "TiDB has no " + ix.method + " indexes";
  if (!ix.where.empty()) return "TiDB has no partial indexes";
  if (!ix.include.empty()) return "TiDB has no INCLUDE columns";
  if (!ix.with.empty()) return "TiDB has no index storage parameters";
  for (auto& k : ix.keys) {
    if (k.expression) return "its expression is Postgres SQL";
    if (!k.opclass.empty()) return "TiDB has no operator classes";
    // MySQL sorts NULLs first ascending and last descending; those orders need no clause.
    if (!k.nulls.empty()) {
      bool desc = k.order == "DESC";
      if ((desc && k.nulls == "LAST") || (!desc && k.nulls == "FIRST"))
        k.nulls.clear();
      else
        return "TiDB cannot put NULLs " + to_lower(k.nulls) + " in " + (desc ? "descending" : "ascending") + " order";
    }
    const schema::Column* c = table.column(k.text);
    if (c && is_json_type(c->type)) return "TiDB cannot index the JSON column " + k.text;
    if (c && is_long_type(c->type) && k.prefix == 0)
      return "column " + k.text + " is " + c->type + ": a TiDB key on it needs a `prefix:` length";
  }
  return {};
}

std::string TidbDialect::default_problem(const schema::Column& column, const registry::DefaultSpec& spec) const {
  if (spec.kind == registry::DefaultSpec::Kind::literal && spec.literal.kind != registry::Literal::Kind::null &&
      is_long_type(column.type))
    return "TiDB accepts only expression defaults on TEXT, BLOB and JSON columns (" + column.type +
           "); use { expr: ... } or a tidb override";
  return {};
}

}  // namespace schemactl

namespace schemactl {

// A character column compares under its collation: the column's own (`COLLATE x` in an override
// type) or the registry's. PAD SPACE collations (all but binary, *_nopad_* and the 0900 ones)
// ignore trailing spaces; *_ci ones ignore case. Only ASCII letters are folded here: what else a
// _ci collation takes as equal (accents, other scripts) is left to the server.
Dialect::UniqueForm TidbDialect::unique_form(const LogicalType& type, const std::string& value,
                                             const schema::Column& column, const registry::Registry& reg) const {
  if (type.kind != TypeKind::uuid && type.kind != TypeKind::string && type.kind != TypeKind::text &&
      type.kind != TypeKind::enum_)
    return {value, ""};
  std::string sql = to_lower(column.type);
  if (sql.find("binary") != std::string::npos || sql.find("blob") != std::string::npos) return {value, ""};
  std::string collation = to_lower(reg.tidb_collation);
  if (auto at = sql.find("collate "); at != std::string::npos) {
    collation = sql.substr(at + 8);
    collation = collation.substr(0, collation.find_first_of(" ,)"));
  } else if (sql.find("character set") != std::string::npos || sql.find("charset") != std::string::npos) {
    // The set's default collation: _bin on TiDB, but _ci on MySQL and MariaDB (latin1_swedish_ci,
    // utf8mb4_general_ci): taken as the looser, until COLLATE says.
    std::string form = to_lower(value);
    form.erase(form.find_last_not_of(' ') + 1);
    return {form,
            "a CHARACTER SET without COLLATE takes the set's default collation, which MySQL and MariaDB make "
            "ignore case and trailing spaces (give COLLATE to say which)"};
  }
  bool pad = collation != "binary" && collation.find("nopad") == std::string::npos &&
             collation.find("_0900_") == std::string::npos;
  bool ci = collation.size() > 3 && collation.compare(collation.size() - 3, 3, "_ci") == 0;
  std::string form = value;
  std::vector<std::string> ignores;
  if (ci) {
    form = to_lower(form);
    ignores.push_back("case");
  }
  if (pad) {
    form.erase(form.find_last_not_of(' ') + 1);
    ignores.push_back("trailing spaces");
  }
  if (ignores.empty()) return {form, ""};
  return {form, "its collation " + collation + " ignores " + join(ignores, " and ")};
}

// DECIMAL without a precision is DECIMAL(10,0).
std::optional<int> TidbDialect::fraction_digits(const std::string& sql_type) const {
  return exact_number_digits(sql_type, 0);
}

}  // namespace schemactl

// The registry as written: entities, tables, fields ..., each with the source position it came from.
// Nothing here is dialect-specific except explicit per-dialect overrides.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "registry/types.hpp"
#include "schema/dialect_id.hpp"
#include "util/diagnostic.hpp"

namespace schemactl::registry {

// SQL text that is either the same for every dialect or given per dialect.
struct PerDialectSql {
  std::optional<std::string> common;
  std::map<DialectId, std::string> specific;
  // The text for `d`, or nullptr when the registry gives none.
  const std::string* get(DialectId d) const;
};

// A YAML scalar used as a SQL literal (defaults, IN lists, reference rows).
struct Literal {
  enum class Kind { string, number, boolean, null } kind = Kind::null;
  std::string text;
  SourcePos pos;
};

struct DefaultSpec {
  enum class Kind { none, literal, expr, sql } kind = Kind::none;
  Literal literal;
  std::string expr;  // now | uuid | empty_object | empty_array | current_date
  PerDialectSql sql;
  SourcePos pos;
};

struct CheckSpec {
  enum class Kind { in_list, range, expr } kind = Kind::expr;
  std::string name;                 // empty: derived
  std::string column;               // set for column-level checks
  std::vector<Literal> values;      // in_list
  std::optional<Literal> min, max;  // range
  PerDialectSql expr;
  std::vector<DialectId> dialects;
  SourcePos pos;
};

struct ForeignKeySpec {
  std::string name;
  std::vector<std::string> columns;
  std::string ref_table;
  std::vector<std::string> ref_columns;
  std::string on_delete, on_update;  // normalized upper case ("CASCADE", "SET NULL"); empty = none
  std::vector<DialectId> dialects;
  SourcePos pos;
};

struct ColumnOverride {
  std::string type;  // SQL type text; empty = keep the lowered type
  std::optional<DefaultSpec> default_value;
  std::string on_update;  // named expression (`now`); empty = none. Only a MySQL-family column has one
  SourcePos on_update_pos;
  SourcePos pos;
};

struct FieldSpec {
  std::string name;
  SourcePos pos;
  LogicalType type;
  bool type_ok = false;  // false when the type did not parse (checks that depend on it are skipped)
  SourcePos type_pos;
  bool nullable = true;
  bool nullable_given = false;
  bool primary_key = false;
  std::optional<std::string> unique;  // set (possibly "") when `unique:` is given; value = name
  DefaultSpec default_value;
  std::optional<CheckSpec> check;
  std::optional<ForeignKeySpec> references;
  std::string description;
  std::string cpp_name;
  std::vector<std::string> renamed_from;  // earlier names: a declared rename, never a guessed one
  std::map<DialectId, ColumnOverride> overrides;
};

struct IndexKeySpec {
  std::string column;      // a column ...
  std::string expression;  // ... or an expression
  std::string order;       // "", "ASC", "DESC"
  std::string nulls;       // "", "FIRST", "LAST"
  std::string opclass;
  int prefix = 0;  // TiDB key-part length
  SourcePos pos;
};

struct IndexSpec {
  std::string name;
  std::vector<IndexKeySpec> keys;
  bool unique = false;
  std::string method;  // "", btree, gin, gist, ivfflat, hash, brin
  std::string where;
  std::vector<std::string> include;
  std::vector<std::pair<std::string, std::string>> with;
  std::vector<DialectId> dialects;
  SourcePos pos;
};

struct UniqueSpec {
  std::string name;
  std::vector<std::string> columns;
  std::vector<DialectId> dialects;
  SourcePos pos;
};

struct ExclusionElement {
  std::string column;
  std::string expression;
  std::string op;
  SourcePos pos;
};

struct ExclusionSpec {
  std::string name;
  std::string method = "gist";
  std::vector<ExclusionElement> elements;
  std::string where;
  std::vector<DialectId> dialects;
  SourcePos pos;
};

struct RowSpec {
  std::vector<std::pair<std::string, Literal>> values;  // in the order written
  SourcePos pos;
};

struct RowsSpec {
  std::vector<std::string> key;  // conflict target; empty = primary key
  std::vector<RowSpec> rows;
  SourcePos pos;
};

struct TableSpec {
  std::string name;
  std::string entity;
  SourcePos pos;
  std::string cpp_name;
  std::string description;
  bool external = false;
  std::vector<std::string> renamed_from;
  std::vector<FieldSpec> fields;
  std::vector<std::string> primary_key;  // table-level `primary_key:`
  SourcePos primary_key_pos;
  std::vector<UniqueSpec> uniques;
  std::vector<CheckSpec> checks;
  std::vector<ForeignKeySpec> foreign_keys;
  std::vector<IndexSpec> indexes;
  std::vector<ExclusionSpec> exclusions;
  std::optional<RowsSpec> rows;

  const FieldSpec* field(const std::string& name) const;
  // The primary key columns, wherever they were declared.
  std::vector<std::string> key_columns() const;
};

struct EnumSpec {
  std::string name;
  std::string cpp_name;  // C++ enum name (default: PascalCase of the name)
  std::string entity;
  std::vector<std::string> values;
  std::string description;
  SourcePos pos;
};

struct ViewSpec {
  std::string name;
  std::string entity;
  bool materialized = false;
  std::string description;
  std::vector<std::string> depends_on;
  PerDialectSql sql;
  std::vector<DialectId> dialects;
  std::vector<IndexSpec> indexes;  // materialized views only
  SourcePos pos;
};

struct FunctionSpec {
  std::string name;
  std::string entity;
  std::string description;
  std::string language = "plpgsql";
  std::string arguments;
  std::string returns;
  std::string volatility = "VOLATILE";
  std::string body;
  std::vector<std::string> depends_on;
  std::vector<DialectId> dialects;
  SourcePos pos;
  SourcePos body_pos;
};

struct ExtensionSpec {
  std::string name;
  std::string description;
  std::vector<DialectId> dialects;
  SourcePos pos;
};

struct EntitySpec {
  std::string name;
  std::string description;
  std::string file;
  SourcePos pos;
  std::vector<TableSpec> tables;
  std::vector<EnumSpec> enums;
  std::vector<ViewSpec> views;  // plain and materialized, in file order
  std::vector<FunctionSpec> functions;
};

struct Registry {
  std::string name;
  std::string description;
  SourcePos pos;
  std::string pg_schema = "public";
  // `postgres.lock_timeout` / `postgres.statement_timeout`: what Postgres migration files set first.
  std::string pg_lock_timeout = "5s";
  std::string pg_statement_timeout;  // empty: not set
  std::string tidb_charset = "utf8mb4";
  std::string tidb_collation = "utf8mb4_bin";
  SourcePos tidb_charset_pos, tidb_collation_pos;  // where `tidb.charset` / `tidb.collation` were given
  std::string cpp_namespace;
  SourcePos cpp_namespace_pos;  // where `codegen.namespace` was given (empty file: derived)
  // Registry-wide SQL type overrides: dialect -> logical kind name -> SQL type.
  std::map<DialectId, std::map<std::string, std::string>> type_overrides;
  std::vector<ExtensionSpec> extensions;
  std::vector<EntitySpec> entities;
  std::string content_hash;  // SHA-256 over the registry files (names and bytes)

  const TableSpec* table(const std::string& name) const;
  const EnumSpec* enum_type(const std::string& name) const;
  const EntitySpec* entity_of_enum(const std::string& name) const;
  // Builds the name lookups used by table() and enum_type(); call once the entities are complete.
  void build_index();

 private:
  // name -> (entity, position); positions rather than pointers, so copies of a Registry stay valid.
  std::map<std::string, std::pair<std::size_t, std::size_t>> table_index_, enum_index_;
};

}  // namespace schemactl::registry

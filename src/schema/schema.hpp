// The concrete schema of one dialect: SQL types, final names, rendered defaults and expressions.
// Lowering produces it from the registry; install scripts, migrations and drift checks use it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "schema/dialect_id.hpp"

namespace schemactl::schema {

struct Column {
  std::string name;
  std::string type;  // SQL type as rendered, e.g. "VARCHAR(255)", "public.status"
  bool nullable = true;
  std::string default_sql;  // empty: no default
  bool auto_increment = false;
  std::string comment;
  // Filled by catalog inspection only (a lowered schema leaves them empty):
  std::string identity;  // Postgres identity column: "ALWAYS" or "BY DEFAULT"
  std::string sequence;  // Postgres: the sequence a serial column owns (its default is nextval of it)
  // Lowered and inspected alike: the MySQL family's ON UPDATE, what the server sets the column to
  // when its row is updated ("CURRENT_TIMESTAMP(3)"); empty: none (always, on Postgres).
  std::string on_update;
};

struct IndexKey {
  std::string text;  // a column name, or an expression
  bool expression = false;
  std::string opclass;
  std::string order;  // "", ASC, DESC
  std::string nulls;  // "", FIRST, LAST
  int prefix = 0;
};

// How a catalog lists an index, key by key. Filled by catalog inspection only: on Postgres an
// inspected Index keeps its whole definition as one expression key in `keys` (what the catalog
// comparisons expect), and the parsed keys, INCLUDE columns, predicate and options are here.
struct CatalogIndex {
  std::vector<IndexKey> keys;
  std::vector<std::string> include;
  std::string where;
  std::vector<std::pair<std::string, std::string>> with;
  std::string kind;  // Postgres: the access method; MySQL family: INDEX_TYPE (BTREE, FULLTEXT, ...)
};

struct Index {
  std::string name;
  std::string table;
  std::vector<IndexKey> keys;
  bool unique = false;
  std::string method;  // empty: the dialect's default
  std::string where;
  std::vector<std::string> include;
  std::vector<std::pair<std::string, std::string>> with;
  CatalogIndex catalog;  // inspection only
};

struct PrimaryKey {
  std::string name;
  std::vector<std::string> columns;
};

struct Unique {
  std::string name;
  std::vector<std::string> columns;
};

struct Check {
  std::string name;
  std::string expr;
};

struct ForeignKey {
  std::string name;
  std::vector<std::string> columns;
  std::string ref_table;
  std::vector<std::string> ref_columns;
  std::string on_delete;  // "" or CASCADE, SET NULL, ...
  std::string on_update;
};

struct ExclusionElement {
  std::string text;
  bool expression = false;
  std::string op;
};

// An exclusion constraint element by element, as the catalog lists it (inspection only; an
// inspected Exclusion keeps its whole definition as one expression element in `elements`).
struct CatalogExclusion {
  std::string method;
  std::vector<ExclusionElement> elements;
  std::string where;
};

struct Exclusion {
  std::string name;
  std::string method;
  std::vector<ExclusionElement> elements;
  std::string where;
  CatalogExclusion catalog;  // inspection only
};

// Reference rows; values are rendered SQL literals ("DEFAULT" where a row leaves a column out).
struct RowSet {
  std::vector<std::string> conflict_columns;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> values;

  // A row's values of the conflict columns (its key).
  std::vector<std::string> key_of(const std::vector<std::string>& row) const;
};

struct Table {
  std::string name;
  std::string comment;
  bool external = false;  // owned by the application: referenced, never created
  std::vector<Column> columns;
  std::optional<PrimaryKey> primary_key;
  std::vector<Unique> uniques;
  std::vector<Check> checks;
  std::vector<ForeignKey> foreign_keys;
  std::vector<Exclusion> exclusions;
  std::vector<Index> indexes;
  RowSet rows;

  const Column* column(const std::string& n) const;
};

struct View {
  std::string name;
  std::string sql;
  std::string comment;
  bool materialized = false;
  std::vector<std::string> depends_on;
  std::vector<Index> indexes;
};

struct Function {
  std::string name;
  std::string arguments;
  std::string returns;
  std::string language;
  std::string volatility;
  std::string body;
  std::string comment;
  std::vector<std::string> depends_on;
};

struct EnumType {
  std::string name;
  std::vector<std::string> values;
  std::string comment;
};

struct Extension {
  std::string name;
  std::string comment;
};

// A Postgres sequence (inspection only: the registry has serial columns, not sequences).
struct Sequence {
  std::string name;
  std::string type;  // bigint, integer, smallint
  std::string start, increment, min, max, cache;
  bool cycle = false;
  std::string owner_table, owner_column;  // empty: owned by no column
  std::string owner_kind;                 // "serial" (OWNED BY) or "identity"
};

// Something the registry declares that this dialect does not get, and why; rendered as a comment.
struct Skipped {
  std::string what;  // e.g. "index idx_moments_speakers_gin on moments"
  std::string reason;
};

// What catalog inspection found that the registry cannot say without changing the database's
// meaning (inspection only): `inspect` refuses the database, naming each one.
struct Refused {
  std::string owner;   // the table or view it belongs to (what --tables selects it by)
  std::string what;    // e.g. "column g.b"
  std::string reason;  // e.g. "is generated (GENERATED ALWAYS AS (a * 2) STORED)"
};

struct Schema {
  DialectId dialect = DialectId::postgres;
  std::string registry_name;
  std::string registry_hash;
  std::string pg_schema = "public";
  // What Postgres migration files set before their statements (registry `postgres:`).
  std::string pg_lock_timeout = "5s";
  std::string pg_statement_timeout;  // empty: not set
  std::string tidb_charset = "utf8mb4";
  std::string tidb_collation = "utf8mb4_bin";
  std::vector<Extension> extensions;
  std::vector<EnumType> enums;
  std::vector<Table> tables;  // registry order; external tables included (flagged)
  std::vector<View> views;    // plain and materialized
  std::vector<Function> functions;
  std::vector<Skipped> skipped;
  std::vector<Sequence> sequences;  // inspection only
  std::vector<Refused> refused;     // inspection only
  // The registry's `renamed_from` declarations of columns: (table, column) -> the names it had
  // before. Kept in snapshots, so that the next migration can tell a declaration that an earlier one
  // already planned from a new one. False for a catalog and for a snapshot from before they were kept.
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> column_renames;
  bool renames_recorded = false;

  const Table* table(const std::string& n) const;
};

}  // namespace schemactl::schema

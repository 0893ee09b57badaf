// Random registries for the round-trip tests: a small model of a registry (tables, columns, keys,
// indexes, reference rows, enums) that can be generated at random, mutated by random edits that
// keep it valid, and written out in the registry's YAML format.
#pragma once

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "registry/loader.hpp"

namespace schemactl::test::rr {

// Every logical type of docs/registry.md but vector(n) (no pgvector on the test servers, and MariaDB
// has no VECTOR type).
enum class Kind {
  uuid,
  string,
  text,
  smallint,
  int_,
  bigint,
  serial,
  bigserial,
  float_,
  double_,
  decimal,
  bool_,
  date,
  time,
  timestamp,
  timestamptz,
  json,
  list_text,
  list_int,
  enum_,
  bytes
};

struct Column {
  std::string name;
  Kind kind = Kind::text;
  int length = 0;                 // string(n)
  int precision = 10, scale = 2;  // decimal(p,s)
  std::string enum_name;          // enum_
  bool nullable = true;
  std::string default_yaml;  // the YAML of `default:`; empty: none
  std::string comment;
  // A column check: `range: [min, max]` (numbers) or `in: [...]` (strings).
  enum class CheckKind { none, range, in_list } check = CheckKind::none;
  std::string check_name;  // empty: derived
  int range_min = 0;
  std::optional<int> range_max;
  std::vector<std::string> in_values;
  std::vector<std::string> renamed_from;
};

struct KeyPart {
  std::string column;
  int prefix = 0;
  bool desc = false;
};

struct Index {
  std::string name;  // empty: derived
  std::vector<KeyPart> keys;
  bool unique = false;
  std::string method;        // "" (btree) or "gin": then postgres only
  std::string where_column;  // partial index "<col> IS NOT NULL": then postgres only
  bool postgres_only() const { return !method.empty() || !where_column.empty(); }
};

struct Unique {
  std::string name;  // empty: derived
  std::vector<std::string> columns;
};

struct Check {  // a table check: "<column> >= <min>"
  std::string name;
  std::string column;
  int min = 0;
};

struct ForeignKey {
  std::string name;  // empty: derived
  std::string column;
  std::string ref_table;
  std::string ref_column;
  std::string on_delete;  // "" or a registry action
};

struct Row {
  std::vector<std::pair<std::string, std::string>> values;  // column -> YAML literal
};

struct Table {
  std::string name;
  std::string comment;
  std::vector<std::string> renamed_from;
  std::vector<Column> columns;
  std::vector<std::string> primary_key;
  std::vector<Unique> uniques;
  std::vector<Check> checks;
  std::vector<ForeignKey> foreign_keys;
  std::vector<Index> indexes;
  std::vector<Row> rows;

  Column* column(const std::string& name);
  const Column* column(const std::string& name) const;
  bool in_primary_key(const std::string& column) const;
};

struct Enum {
  std::string name;
  std::vector<std::string> values;
};

// Every model also has the external table ext_accounts (id uuid), which foreign keys may use.
inline constexpr const char* kExternalTable = "ext_accounts";

struct Model {
  std::string pg_schema;  // postgres.schema; empty: public
  std::vector<Enum> enums;
  std::vector<Table> tables;
  int next_id = 1;  // fresh names and row values

  Table* table(const std::string& name);
  const Table* table(const std::string& name) const;
  const Enum* enum_type(const std::string& name) const;
};

// Which edits `mutate` may make (some are refused by a dialect's planner on purpose).
struct Options {
  bool table_renames = true;      // declared table renames (renamed_from on a table)
  bool pk_column_renames = true;  // declared renames of primary-key columns
  // Indexes and uniques led by a foreign-key column (in the MySQL family such an index can end up
  // being the one the foreign key needs, and then cannot be dropped).
  bool keys_on_fk_columns = true;
};

Model random_model(std::mt19937& rng, const Options& options);
// `from` changed by a few random edits (each described in `edits`); the result is still valid.
Model mutate(const Model& from, std::mt19937& rng, const Options& options, std::vector<std::string>& edits);
// The registry directory of a model: registry.yaml and one entity file.
std::vector<registry::SourceFile> render(const Model& m);

}  // namespace schemactl::test::rr

// Random registries for the round-trip tests: a small model of a registry (tables, columns, keys,
// indexes, reference rows, enums) that can be generated at random, mutated by random edits that
// keep it valid, and written out in the registry's YAML format.
#pragma once

#include <algorithm>
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
  // Per-dialect type overrides (`postgres: { type: ... }` / `tidb: { type: ... }`), each one that
  // holds the same values as the logical type.
  std::string pg_type, tidb_type;
};

struct KeyPart {
  std::string column;
  int prefix = 0;
  bool desc = false;
  std::string nulls;    // "", "first", "last"
  std::string opclass;  // e.g. gin_trgm_ops
};

struct Index {
  std::string name;  // empty: derived
  std::vector<KeyPart> keys;
  bool unique = false;
  std::string method;                // "" (btree), gin, brin, hash: then postgres only
  std::string where_column;          // partial index "<col> IS NOT NULL": then postgres only
  std::string expression_column;     // an expression index on lower(<col>) (no keys): postgres only
  std::vector<std::string> include;  // covering columns: postgres only
  bool postgres_only() const {
    return !method.empty() || !where_column.empty() || !expression_column.empty() || !include.empty() ||
           std::any_of(keys.begin(), keys.end(), [](const KeyPart& k) {
             // The order TiDB gives anyway (NULLs first ascending, last descending) is for both.
             return (k.nulls == "first" && k.desc) || (k.nulls == "last" && !k.desc) || !k.opclass.empty();
           });
  }
  std::vector<std::string> columns() const;  // every column it uses
};

// An exclusion constraint (gist, every element `<column> WITH =`; needs btree_gist): postgres only.
struct Exclusion {
  std::string name;
  std::vector<std::string> columns;
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
  std::vector<std::string> columns;
  std::string ref_table;
  std::vector<std::string> ref_columns;
  std::string on_delete, on_update;  // "" or a registry action
  bool uses(const std::string& column) const;
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
  std::vector<Exclusion> exclusions;
  std::vector<Row> rows;

  Column* column(const std::string& name);
  const Column* column(const std::string& name) const;
  bool in_primary_key(const std::string& column) const;
};

struct Enum {
  std::string name;
  std::vector<std::string> values;
  std::string comment;
};

// A view (both dialects) or materialized view (postgres only) selecting columns of one table.
struct View {
  std::string name;
  std::string table;
  std::vector<std::string> columns;
  bool materialized = false;
  bool filtered = false;  // WHERE <first column> IS NOT NULL
  std::string comment;
  std::string index_column;  // materialized views: an index on this column ("" none)
};

// A Postgres function with no table behind it (its body text is hostile: quotes, `$$`).
struct Function {
  std::string name;
  std::string language = "sql";  // sql | plpgsql
  std::string volatility;        // "", stable, immutable
  int variant = 0;               // which body
  std::string comment;
};

// Every model also has the external table ext_accounts (id uuid), which foreign keys may use.
inline constexpr const char* kExternalTable = "ext_accounts";

struct Model {
  std::string pg_schema;       // postgres.schema; empty: public
  std::string tidb_uuid_type;  // registry-wide `types: { tidb: { uuid: ... } }`; empty: none
  std::vector<std::pair<std::string, std::string>> extensions;  // name, description (postgres only)
  std::vector<Enum> enums;
  std::vector<Table> tables;
  std::vector<View> views;
  std::vector<Function> functions;
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

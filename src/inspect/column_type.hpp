// A catalog's column type read as a registry type: the logical type that lowers to exactly that
// SQL type on the inspected dialect, or, where none does, the closest logical type plus a
// per-dialect override holding the catalog's own spelling (never a silent approximation).
#pragma once

#include <set>
#include <string>

#include "schema/dialect_id.hpp"
#include "schema/schema.hpp"

namespace schemactl::inspect {

struct ColumnType {
  std::string logical;   // registry spelling: "string(20)", "enum(status)", "serial" ...
  std::string override;  // SQL type for the inspected dialect's override; empty: the logical type fits
};

// `enums`: the enum types of the schema (Postgres) whose names may appear as column types.
// `serial`: the column is a serial (or AUTO_INCREMENT / identity) column.
ColumnType read_column_type(DialectId dialect, const std::string& catalog_type, const std::set<std::string>& enums,
                            bool serial);

// Postgres enum value lists of MySQL-family ENUM('a','b') types ("" when the type is no ENUM).
bool parse_mysql_enum(const std::string& catalog_type, std::vector<std::string>& values);

}  // namespace schemactl::inspect

// A catalog's column default read as a registry default: a named one (`now`, `uuid`, ...) where
// it is exactly what that name lowers to, a plain literal where the value is a constant of the
// column's type, else the catalog's own SQL for the inspected dialect.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "schema/dialect_id.hpp"

namespace schemactl::inspect {

struct ColumnDefault {
  enum class Kind { none, named, literal, sql } kind = Kind::none;
  nlohmann::ordered_json value;  // the registry's `default:` value
};

// `logical`: the column's registry type ("string(20)", "list<text>", "bool" ...); `catalog_type`:
// the type as the catalog spells it.
ColumnDefault read_column_default(DialectId dialect, const std::string& catalog_default, const std::string& logical,
                                  const std::string& catalog_type);

}  // namespace schemactl::inspect

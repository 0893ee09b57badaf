// Reference rows as a unique index sees them. Two literals that are one value to the column's type
// (1 and 1.0 in an int, 1.001 and 1.00 in a decimal(12,2)) clash there whatever their text; each
// dialect's own comparison (a collation, uuid's spelling) goes on top (Dialect::unique_form).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "registry/model.hpp"

namespace schemactl::registry {

// The literal as a column of `type` holds it, in one spelling: numbers rounded to the type's scale
// (whole numbers for the integer types; half away from zero, as both servers round) without a
// sign on zero or redundant zeros, float and double by their binary value; anything else as
// written.
std::string value_form(const LogicalType& type, const Literal& lit);

// value_form() for a value of `column` of `t` (as written when the column or its type is unknown).
std::string value_form(const TableSpec& t, const std::string& column, const Literal& lit);

// A set of columns in which no two rows may hold the same values: the primary key, a unique
// constraint or column, a unique index of whole columns without a predicate.
struct UniqueSet {
  std::string what;  // "the primary key", "unique u_name", "unique column code" ...
  std::vector<std::string> columns;
  bool is_rows_key = false;  // the columns of the rows' key (in any order)
};
std::vector<UniqueSet> unique_sets(const TableSpec& t, const std::vector<std::string>& rows_key);

// Two rows whose forms agree in every column of a set (a NULL in any column: no clash).
struct RowClash {
  const RowSpec* first = nullptr;
  const RowSpec* later = nullptr;
};
using FormOf = std::function<std::string(const std::string& column, const Literal& value)>;
std::vector<RowClash> clashes(const RowsSpec& rows, const std::vector<std::string>& columns, const FormOf& form);

// The values of `columns` in `row`, as written ("NULL" for a null, "" for one left out).
std::vector<std::string> written(const RowSpec& row, const std::vector<std::string>& columns);

}  // namespace schemactl::registry

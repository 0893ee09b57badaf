// A catalog's check constraint read as a registry check: `in: [...]` or `range: [min, max]` on a
// column where the catalog's text is exactly what those forms lower to (they then hold on both
// dialects, and Postgres' own spelling of an IN list, which it does not read back to the same
// text, is avoided), else the catalog's expression for the inspected dialect only.
#pragma once

#include <string>

#include "inspect/document.hpp"
#include "schema/schema.hpp"

namespace schemactl::inspect {

struct CheckReading {
  std::string column;  // set for `in` / `range` checks
  Tree body;           // { in: [...] } | { range: [...] } | { expr: { <dialect>: ... }, dialects: [<dialect>] }
};

// `expr`: Postgres without the surrounding "CHECK (...)"; MySQL family as CHECK_CLAUSE has it.
CheckReading read_check(DialectId dialect, const std::string& expr, const schema::Table& table);

}  // namespace schemactl::inspect

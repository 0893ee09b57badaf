// One catalog table as a registry table: columns (types, nullability, defaults, comments, serial
// and identity columns), keys, checks, foreign keys, indexes and exclusion constraints. Names the
// registry would derive itself (src/lower/names.cpp) are left out; others are written.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "inspect/document.hpp"
#include "schema/schema.hpp"

namespace schemactl::inspect {

struct TableReading {
  Tree body;                          // the table's registry entry
  std::vector<std::string> notes;     // what it holds that the registry cannot say (YAML comments)
  std::vector<std::string> problems;  // what makes the table impossible to write as a registry
  // MySQL family: the ENUM(...) column types, as enums the table's entity declares (name -> values).
  std::map<std::string, std::vector<std::string>> enums;
};

// `external`: the table is only referenced (it is outside the --tables selection): its columns
// are written, nothing else. `enums`: the names of the schema's enum types (computed once).
TableReading read_table(const schema::Schema& s, const schema::Table& t, bool external,
                        const std::set<std::string>& enums);

}  // namespace schemactl::inspect

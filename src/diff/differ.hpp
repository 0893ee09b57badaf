// One generic differ: old schema -> new schema as a list of Changes. Renames come only from the
// registry's `renamed_from` declarations (carried in `Renames`), never from guessing.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "diff/change.hpp"

namespace schemactl::diff {

struct Renames {
  std::map<std::string, std::vector<std::string>> tables;  // new table -> names it had before
  // (table, new column) -> names it had before
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> columns;
};

std::vector<Change> diff(const schema::Schema& from, const schema::Schema& to, const Renames& renames = {});

}  // namespace schemactl::diff

#include "inspect/glob.hpp"

#include <fnmatch.h>

namespace schemactl::inspect {

bool glob_match(const std::string& pattern, const std::string& name) {
  return fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

bool any_glob_match(const std::vector<std::string>& patterns, const std::string& name) {
  for (const auto& p : patterns)
    if (glob_match(p, name)) return true;
  return false;
}

}  // namespace schemactl::inspect

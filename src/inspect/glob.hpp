// Shell-style name patterns for --tables and --entity (`*`, `?`, `[...]`), matched whole.
#pragma once

#include <string>
#include <vector>

namespace schemactl::inspect {

bool glob_match(const std::string& pattern, const std::string& name);
bool any_glob_match(const std::vector<std::string>& patterns, const std::string& name);

}  // namespace schemactl::inspect

// Running a helper program (git) and reading what it prints.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace schemactl {

// Runs argv[0] (looked up in PATH) with `argv`, stdin and stderr on /dev/null; its standard output,
// or nullopt when it cannot be started or exits non-zero.
std::optional<std::string> run_capture(const std::vector<std::string>& argv);

}  // namespace schemactl

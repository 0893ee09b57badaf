// `schemactl --version`: the version and the commit the binary was built from.
#include <doctest/doctest.h>

#include <regex>

#include "cli_support.hpp"

namespace schemactl::test {

TEST_CASE("cli: --version prints the version and the git commit") {
  Run r = schemactl("--version");
  INFO(r.output);
  CHECK(r.status == 0);
  std::smatch m;
  REQUIRE(std::regex_match(r.output, m,
                           std::regex("schemactl ([0-9]+\\.[0-9]+\\.[0-9]+) \\(commit ([0-9a-f]{12}|unknown)\\)\n")));
  CHECK(m[1].str() == SCHEMACTL_VERSION);
  // Built from a git checkout (as CI and every developer build), the commit is known.
  if (fs::exists(fs::path(SCHEMACTL_SOURCE_DIR) / ".git")) CHECK(m[2].str() != "unknown");
}

}  // namespace schemactl::test

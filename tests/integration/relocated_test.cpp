// A copied (or installed) binary needs nothing from its build: the templates are compiled in.
#include <doctest/doctest.h>

#include <fstream>
#include <map>

#include "cli_support.hpp"
#include "output/fileset.hpp"

namespace schemactl::test {
namespace {

const fs::path kSource = SCHEMACTL_SOURCE_DIR;

std::map<std::string, std::string> files_under(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    read_file(entry.path(), out[fs::relative(entry.path(), root).generic_string()]);
  }
  return out;
}

}  // namespace

TEST_CASE("cli: a copied binary generates, from a directory holding only a registry, what the build does") {
  TempDir tmp;
  fs::create_directories(tmp.path / "bin");
  fs::copy_file(SCHEMACTL_BINARY, tmp.path / "bin" / "schemactl");
  fs::permissions(tmp.path / "bin" / "schemactl", fs::perms::owner_all);
  fs::path work = tmp.path / "work";
  fs::create_directories(work);
  fs::copy(kSource / "schema", work / "schema", fs::copy_options::recursive);

  SUBCASE("the built-in templates") {
    std::string output;
    int status = run_command("cd " + work.string() + " && ../bin/schemactl generate", output);
    INFO(output);
    REQUIRE(status == 0);
    CHECK(files_under(work / "generated") == files_under(kSource / "generated"));
  }
  SUBCASE("a templates/ directory next to the registry is not picked up by itself") {
    fs::create_directories(work / "templates");
    std::ofstream(work / "templates" / "entity.hpp.mustache") << "unrelated\n";
    std::ofstream(work / "templates" / "support.hpp.mustache") << "unrelated\n";
    std::string output;
    int status = run_command("cd " + work.string() + " && ../bin/schemactl generate", output);
    INFO(output);
    REQUIRE(status == 0);
    CHECK(files_under(work / "generated") == files_under(kSource / "generated"));
    // ... but it is used when asked for.
    status =
        run_command("cd " + work.string() + " && ../bin/schemactl generate --templates templates --out other", output);
    REQUIRE(status == 0);
    CHECK(files_under(work / "other").at("include/companion/support.hpp") == "unrelated\n");
  }
}

}  // namespace schemactl::test

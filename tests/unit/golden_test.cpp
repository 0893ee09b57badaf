// Golden files: what `generate` writes for each test registry, byte for byte. Regenerate on purpose
// with SCHEMACTL_UPDATE_GOLDENS=1 (then review the diff).
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "codegen/builtin_templates.hpp"
#include "output/generate.hpp"
#include "registry/loader.hpp"

namespace schemactl::test {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = SCHEMACTL_SOURCE_DIR;

FileSet generate_for(const fs::path& registry_dir) {
  Compiled compiled = compile_registry(registry::read_registry_dir(registry_dir));
  return generate_outputs(compiled, {});  // the templates built into the binary
}

void check_golden(const fs::path& registry_dir, const fs::path& golden_dir) {
  FileSet files = generate_for(registry_dir);
  const char* update = std::getenv("SCHEMACTL_UPDATE_GOLDENS");
  if (update && std::string(update) == "1") {
    MESSAGE("rewriting goldens in " << golden_dir.string());
    files.write(golden_dir);
  }
  auto diffs = files.compare(golden_dir);
  for (const auto& d : diffs)
    FAIL_CHECK((golden_dir / d.path).string()
               << ": " << d.what << " (if the change is intended: SCHEMACTL_UPDATE_GOLDENS=1)");
  CHECK(diffs.empty());
}

}  // namespace

TEST_CASE("golden: the shipped registry's outputs are the committed generated/") {
  check_golden(kSource / "schema", kSource / "generated");
}

TEST_CASE("golden: test registries") {
  for (const char* name : {"mumble", "nirva", "coverage", "vectors"}) {
    SUBCASE(name) {
      check_golden(kSource / "tests/registries" / name, kSource / "tests/golden" / name);
    }
  }
}

TEST_CASE("generation is deterministic: the same registry gives byte-identical files") {
  for (const char* dir : {"schema", "tests/registries/coverage"}) {
    CAPTURE(dir);
    FileSet a = generate_for(kSource / dir);
    FileSet b = generate_for(kSource / dir);
    CHECK(a.files() == b.files());
  }
}

TEST_CASE("the install banner names the registry and its content hash, and no timestamp") {
  FileSet files = generate_for(kSource / "schema");
  const std::string& pg = files.files().at("postgres/install.sql");
  CHECK(pg.rfind("-- schemactl install script for registry 'companion', dialect postgres\n-- registry sha256: ", 0) ==
        0);
  CHECK(pg.find("2026") == std::string::npos);
  CHECK(pg.find("2025") == std::string::npos);
}

TEST_CASE("the templates built into the binary are templates/ byte for byte, every one of them") {
  std::set<std::string> on_disk, built_in;
  for (const auto& entry : fs::directory_iterator(kSource / "templates"))
    if (entry.path().extension() == ".mustache") on_disk.insert(entry.path().filename().string());
  for (const auto& t : codegen::builtin_templates()) {
    CAPTURE(t.name);
    built_in.insert(t.name);
    std::string text;
    REQUIRE(read_file(kSource / "templates" / t.name, text));
    CHECK(text == t.text);
  }
  CHECK(built_in == on_disk);
  CHECK(built_in.count("entity.hpp.mustache") == 1);
}

TEST_CASE("--templates DIR overrides the built-in templates") {
  Compiled compiled = compile_registry(registry::read_registry_dir(kSource / "tests/registries/vectors"));
  fs::path dir = fs::temp_directory_path() / ("schemactl-templates-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "entity.hpp.mustache") << "// entity {{entity}}\n";
  std::ofstream(dir / "support.hpp.mustache") << "// support\n";
  FileSet files = generate_outputs(compiled, dir);
  fs::remove_all(dir);
  CHECK(files.files().at("include/vectors/embedding.hpp") == "// entity Embedding\n");
  CHECK(files.files().at("include/vectors/support.hpp") == "// support\n");
}

}  // namespace schemactl::test

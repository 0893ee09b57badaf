// Helpers shared by the unit tests.
#pragma once

#include <string>
#include <vector>

#include "lower/compile.hpp"
#include "registry/loader.hpp"
#include "util/diagnostic.hpp"

namespace schemactl::test {

// A registry file with just a name, plus the given entity files (name -> YAML text).
inline std::vector<registry::SourceFile> registry_files(
    const std::vector<std::pair<std::string, std::string>>& entity_files,
    const std::string& registry_yaml = "registry: test\n") {
  std::vector<registry::SourceFile> files{{"schema/registry.yaml", registry_yaml}};
  for (const auto& [name, text] : entity_files) files.push_back({name, text});
  return files;
}

// The sorted diagnostics of compiling `files` (empty when the registry is valid).
inline std::vector<Diagnostic> compile_errors(const std::vector<registry::SourceFile>& files) {
  try {
    compile_registry(files);
  } catch (const RegistryError& e) {
    return e.diagnostics().sorted();
  }
  return {};
}

}  // namespace schemactl::test

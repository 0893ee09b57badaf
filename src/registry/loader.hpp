// Reads registry YAML strictly: unknown keys, wrong shapes and bad types become diagnostics with
// file:line:col; nothing is guessed.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "registry/model.hpp"
#include "util/diagnostic.hpp"

namespace schemactl::registry {

struct SourceFile {
  std::string name;  // as shown in messages, e.g. "schema/moment.yaml"
  std::string content;
};

// Reads every *.yaml / *.yml file of `dir` (sorted by name). Throws Error if the directory
// cannot be read at all.
std::vector<SourceFile> read_registry_dir(const std::filesystem::path& dir);

// Parses the files into a Registry; problems go to `diagnostics` (the result is then partial).
Registry load_registry(const std::vector<SourceFile>& files, Diagnostics& diagnostics);

}  // namespace schemactl::registry

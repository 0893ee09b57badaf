// The registry that inspection writes, as a tree in the registry's own format (the keys of
// docs/registry.md, in the order they are written), one tree per file, with the notes that become
// YAML comments: what the catalog holds that the registry cannot express.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace schemactl::inspect {

using Tree = nlohmann::ordered_json;

// A number written as it came from the catalog ("0.50" stays "0.50", and stays a YAML number).
Tree number(const std::string& text);
// The text of a number() node, or nullptr when `node` is none.
const std::string* number_text(const Tree& node);

struct RegistryFile {
  std::string path;                // relative to the output directory, e.g. "analysis_periods.yaml"
  std::vector<std::string> notes;  // one comment line each, written at the top of the file
  Tree body;
};

struct Document {
  std::vector<RegistryFile> files;  // registry.yaml first, then entity files by name
};

}  // namespace schemactl::inspect

// The registry trees as file text: YAML in the style of the shipped registry (block maps, short
// entries in flow style, SQL in literal blocks, notes as comments), or JSON for machines.
#pragma once

#include <string>

#include "inspect/document.hpp"

namespace schemactl::inspect {

std::string render_yaml(const RegistryFile& file);
// The whole document as one JSON object: {"files": {"registry.yaml": {...}, ...}, "notes": {...}}.
std::string render_json(const Document& doc);

}  // namespace schemactl::inspect

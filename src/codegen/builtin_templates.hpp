// The default templates, compiled into the binary from templates/ (cmake/embed_templates.cmake).
#pragma once

#include <string>
#include <vector>

namespace schemactl::codegen {

struct BuiltinTemplate {
  const char* name;  // e.g. "entity.hpp.mustache"
  const char* text;
};

// Every file of templates/ as it was when the binary was built.
const std::vector<BuiltinTemplate>& builtin_templates();

}  // namespace schemactl::codegen

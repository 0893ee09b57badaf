// C++ model headers, rendered through the mustache templates in templates/.
#pragma once

#include <filesystem>
#include <string>

#include "output/fileset.hpp"
#include "registry/model.hpp"

namespace schemactl::codegen {

// The directory holding entity.hpp.mustache and support.hpp.mustache: `explicit_dir` when given,
// else the empty path, which stands for the templates compiled into the binary.
std::filesystem::path find_templates(const std::string& explicit_dir);

// Adds include/<registry>/<entity>.hpp for every entity and include/<registry>/support.hpp.
// `templates` empty: the built-in ones.
void render_headers(const registry::Registry& reg, const std::filesystem::path& templates, FileSet& out);

// The C++ member type of a field, e.g. "std::optional<std::vector<std::string>>".
std::string member_type(const registry::FieldSpec& field, bool in_primary_key, const registry::Registry& reg);
// A C++ identifier for `name` (keywords get a trailing underscore).
std::string cpp_identifier(const std::string& name);

}  // namespace schemactl::codegen

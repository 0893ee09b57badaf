# Writes OUT: a C++ source holding every file of TEMPLATES (paths relative to SOURCE_DIR) as a raw
# string, so that the binary carries its default templates (`--templates DIR` overrides them).
# Run at build time (add_custom_command in ../CMakeLists.txt), again whenever a template changes.
set(delimiter "schemactl_tmpl")  # at most 16 characters
set(entries "")
foreach(name IN LISTS TEMPLATES)
  file(READ "${SOURCE_DIR}/${name}" text)
  string(FIND "${text}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${SOURCE_DIR}/${name} holds ')${delimiter}\"', the raw-string delimiter of ${OUT}")
  endif()
  get_filename_component(base "${name}" NAME)
  string(APPEND entries "      {\"${base}\", R\"${delimiter}(${text})${delimiter}\"},\n")
endforeach()
set(content "// Generated from templates/ by cmake/embed_templates.cmake at build time; do not edit.
#include \"codegen/builtin_templates.hpp\"

namespace schemactl::codegen {

const std::vector<BuiltinTemplate>& builtin_templates() {
  static const std::vector<BuiltinTemplate> all = {
${entries}  };
  return all;
}

}  // namespace schemactl::codegen
")
# Only touch OUT when it changes, so an unrelated rebuild recompiles nothing.
file(WRITE "${OUT}.tmp" "${content}")
configure_file("${OUT}.tmp" "${OUT}" COPYONLY)
file(REMOVE "${OUT}.tmp")

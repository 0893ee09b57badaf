#include "output/generate.hpp"

#include "codegen/headers.hpp"
#include "dialect/dialect.hpp"

namespace schemactl {

FileSet generate_outputs(const Compiled& compiled, const std::filesystem::path& templates) {
  FileSet out;
  for (const auto& [dialect, schema] : compiled.schemas)
    out.add(dialect_name(dialect) + "/install.sql", dialect_for(dialect).render_install(schema));
  codegen::render_headers(compiled.registry, templates, out);
  return out;
}

}  // namespace schemactl
